/**
 * The local cloud refuses the cloudPay calls WeChat Pay refuses: a required parameter missing
 * or malformed. Through the unmodified wx-server-sdk, as a product's Node code calls it: the
 * refusal is WeChat's `returnCode: 'FAIL'` with `returnMsg` (no throw, errCode 0), and nothing
 * is created, paid, closed or refunded by a refused call.
 */
import { get, post, sdkFor, startTestCloud, type Sdk, type TestCloud } from './helpers'

let t: TestCloud
let sdk: Sdk
let seq = 0
const uniq = (prefix: string): string => `${prefix}${Date.now().toString(36)}${++seq}`

const MCH = '1900000109'

function orderParams(outTradeNo: string): Record<string, unknown> {
  return { body: '测试订单', outTradeNo, spbillCreateIp: '127.0.0.1', subMchId: MCH, totalFee: 100, envId: 'local', functionName: 'paycb', nonceStr: 'n0nce', tradeType: 'JSAPI' }
}

let paidNo = ''
function refundParams(outRefundNo: string): Record<string, unknown> {
  return { subMchId: MCH, outTradeNo: paidNo, outRefundNo, totalFee: 100, refundFee: 10, nonceStr: 'n0nce', envId: 'local', functionName: 'refundcb' }
}

beforeAll(async () => {
  t = await startTestCloud({ appid: 'wxpaytest00000002', payRetryDelaysMs: [] })
  sdk = sdkFor(t.cloud)
  paidNo = uniq('PAID')
  expect(await sdk.cloudPay.unifiedOrder(orderParams(paidNo))).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS' })
  expect((await post(`${t.cloud.url}/pay/orders/${paidNo}/pay`)).status).toBe(200)
})
afterAll(() => t.stop())

function without(params: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...params }
  delete copy[key]
  return copy
}

const refused = (msg: RegExp | string, api: string) => ({
  returnCode: 'FAIL',
  returnMsg: typeof msg === 'string' ? msg : expect.stringMatching(msg),
  errCode: 0,
  errMsg: `cloudPay.${api}:ok`,
})

async function orderExists(outTradeNo: string): Promise<boolean> {
  return (await get(`${t.cloud.url}/pay/orders/${encodeURIComponent(outTradeNo)}`)).status === 200
}

async function refundCount(): Promise<number> {
  return (await get(`${t.cloud.url}/pay/orders/${paidNo}`)).body.order.refunds.length
}

describe('cloudPay.unifiedOrder', () => {
  const REQUIRED: [string, string][] = [
    ['body', 'body'],
    ['outTradeNo', 'out_trade_no'],
    ['totalFee', 'total_fee'],
    ['spbillCreateIp', 'spbill_create_ip'],
    ['nonceStr', 'nonce_str'],
    ['envId', 'env_id'],
    ['functionName', 'function_name'],
  ]
  it.each(REQUIRED)('refuses a call without %s', async (key, wire) => {
    const no = uniq('U')
    const res = await sdk.cloudPay.unifiedOrder(without(orderParams(no), key))
    expect(res).toEqual(refused(`缺少参数 ${wire}`, 'unifiedOrder'))
    expect(res.payment).toBeUndefined()
    expect(await orderExists(no)).toBe(false)
  })

  it('refuses a call without subMchId as cloudPay does', async () => {
    const no = uniq('U')
    expect(await sdk.cloudPay.unifiedOrder(without(orderParams(no), 'subMchId'))).toEqual(refused('受理机构必须传入sub_mch_id', 'unifiedOrder'))
    expect(await orderExists(no)).toBe(false)
  })

  it('counts an empty string as missing', async () => {
    const no = uniq('U')
    expect(await sdk.cloudPay.unifiedOrder({ ...orderParams(no), nonceStr: '' })).toEqual(refused('缺少参数 nonce_str', 'unifiedOrder'))
    expect(await sdk.cloudPay.unifiedOrder({ ...orderParams(no), functionName: '' })).toEqual(refused('缺少参数 function_name', 'unifiedOrder'))
    expect(await orderExists(no)).toBe(false)
  })

  const BAD_OUT_TRADE_NO = ['A'.repeat(33), 'T 100', 'T.100', 'T#100', 'T|100', '订单100', 'T/../1']
  it.each(BAD_OUT_TRADE_NO)('refuses the outTradeNo %j (over 32 characters or outside [0-9A-Za-z_-])', async (no) => {
    expect(await sdk.cloudPay.unifiedOrder(orderParams(no))).toEqual(refused('invalid out_trade_no', 'unifiedOrder'))
    expect(await orderExists(no)).toBe(false)
  })

  it('accepts exactly 32 characters of [0-9A-Za-z_-]', async () => {
    const no = `Ab_-${'9'.repeat(28)}`
    expect(no).toHaveLength(32)
    expect(await sdk.cloudPay.unifiedOrder(orderParams(no))).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS' })
    expect(await orderExists(no)).toBe(true)
  })

  const BAD_FEES: [string, unknown][] = [
    ['a fraction of a fen', 99.5],
    ['zero', 0],
    ['negative', -100],
    ['a numeric string', '100'],
    ['beyond a safe integer', 2 ** 53],
  ]
  it.each(BAD_FEES)('refuses a totalFee that is %s', async (_label, totalFee) => {
    const no = uniq('F')
    expect(await sdk.cloudPay.unifiedOrder({ ...orderParams(no), totalFee })).toEqual(refused('invalid total_fee', 'unifiedOrder'))
    expect(await orderExists(no)).toBe(false)
  })

  it('refuses other malformed fields: a non-IP spbillCreateIp, a nonceStr over 32, a non-numeric subMchId', async () => {
    const no = uniq('M')
    expect(await sdk.cloudPay.unifiedOrder({ ...orderParams(no), spbillCreateIp: 'localhost' })).toEqual(refused('invalid spbill_create_ip', 'unifiedOrder'))
    expect(await sdk.cloudPay.unifiedOrder({ ...orderParams(no), nonceStr: 'x'.repeat(33) })).toEqual(refused('invalid nonce_str', 'unifiedOrder'))
    expect(await sdk.cloudPay.unifiedOrder({ ...orderParams(no), subMchId: 'merchant-1' })).toEqual(refused('invalid sub_mch_id', 'unifiedOrder'))
    expect(await orderExists(no)).toBe(false)
    // The same order with every field right is accepted: the refusals were the fields'.
    expect(await sdk.cloudPay.unifiedOrder(orderParams(no))).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', payment: expect.any(Object) })
  })
})

describe('cloudPay.refund', () => {
  const REQUIRED: [string, string][] = [
    ['outRefundNo', 'out_refund_no'],
    ['totalFee', 'total_fee'],
    ['refundFee', 'refund_fee'],
    ['nonceStr', 'nonce_str'],
    ['envId', 'env_id'],
    ['functionName', 'function_name'],
  ]
  it.each(REQUIRED)('refuses a refund without %s', async (key, wire) => {
    expect(await sdk.cloudPay.refund(without(refundParams(uniq('R')), key))).toEqual(refused(`缺少参数 ${wire}`, 'refund'))
    expect(await refundCount()).toBe(0)
  })

  it('refuses a refund without subMchId, or naming no order', async () => {
    expect(await sdk.cloudPay.refund(without(refundParams(uniq('R')), 'subMchId'))).toEqual(refused('受理机构必须传入sub_mch_id', 'refund'))
    expect(await sdk.cloudPay.refund(without(refundParams(uniq('R')), 'outTradeNo'))).toEqual(refused('缺少参数 transaction_id/out_trade_no', 'refund'))
    expect(await refundCount()).toBe(0)
  })

  it('refuses malformed fees and numbers', async () => {
    expect(await sdk.cloudPay.refund({ ...refundParams(uniq('R')), refundFee: 0.5 })).toEqual(refused('invalid refund_fee', 'refund'))
    expect(await sdk.cloudPay.refund({ ...refundParams(uniq('R')), refundFee: -10 })).toEqual(refused('invalid refund_fee', 'refund'))
    expect(await sdk.cloudPay.refund({ ...refundParams(uniq('R')), totalFee: 0 })).toEqual(refused('invalid total_fee', 'refund'))
    expect(await sdk.cloudPay.refund({ ...refundParams('R 1'), outRefundNo: 'R 1' })).toEqual(refused('invalid out_refund_no', 'refund'))
    expect(await sdk.cloudPay.refund({ ...refundParams(uniq('R')), outTradeNo: 'X'.repeat(33) })).toEqual(refused('invalid out_trade_no', 'refund'))
    expect(await refundCount()).toBe(0)
  })

  it('refuses a total_fee that is not the order’s, and accepts the refund once every field is right', async () => {
    const no = uniq('R')
    expect(await sdk.cloudPay.refund({ ...refundParams(no), totalFee: 99 })).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'FAIL', errCodeDes: expect.stringContaining('不一致') })
    expect(await refundCount()).toBe(0)
    expect(await sdk.cloudPay.refund(refundParams(no))).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', outRefundNo: no, refundFee: 10 })
    expect(await refundCount()).toBe(1)
  })
})

describe('cloudPay.queryOrder and closeOrder', () => {
  it('queryOrder needs subMchId, nonceStr and an order number', async () => {
    const base = { subMchId: MCH, outTradeNo: paidNo, nonceStr: 'n0nce' }
    expect(await sdk.cloudPay.queryOrder(without(base, 'subMchId'))).toEqual(refused('受理机构必须传入sub_mch_id', 'queryOrder'))
    expect(await sdk.cloudPay.queryOrder(without(base, 'nonceStr'))).toEqual(refused('缺少参数 nonce_str', 'queryOrder'))
    expect(await sdk.cloudPay.queryOrder(without(base, 'outTradeNo'))).toEqual(refused('缺少参数 transaction_id/out_trade_no', 'queryOrder'))
    expect(await sdk.cloudPay.queryOrder({ ...base, outTradeNo: `${paidNo}!` })).toEqual(refused('invalid out_trade_no', 'queryOrder'))
    expect(await sdk.cloudPay.queryOrder(base)).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: paidNo })
  })

  it('closeOrder needs subMchId, outTradeNo and nonceStr, and a refused close leaves the order open', async () => {
    const no = uniq('C')
    await sdk.cloudPay.unifiedOrder(orderParams(no))
    const base = { subMchId: MCH, outTradeNo: no, nonceStr: 'n0nce' }
    expect(await sdk.cloudPay.closeOrder(without(base, 'subMchId'))).toEqual(refused('受理机构必须传入sub_mch_id', 'closeOrder'))
    expect(await sdk.cloudPay.closeOrder(without(base, 'outTradeNo'))).toEqual(refused('缺少参数 out_trade_no', 'closeOrder'))
    expect(await sdk.cloudPay.closeOrder(without(base, 'nonceStr'))).toEqual(refused('缺少参数 nonce_str', 'closeOrder'))
    expect(await sdk.cloudPay.closeOrder({ ...base, outTradeNo: `${no}${'0'.repeat(32)}` })).toEqual(refused('invalid out_trade_no', 'closeOrder'))
    expect((await get(`${t.cloud.url}/pay/orders/${no}`)).body.order.state).toBe('NOTPAY')
    expect(await sdk.cloudPay.closeOrder(base)).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS' })
    expect((await get(`${t.cloud.url}/pay/orders/${no}`)).body.order.state).toBe('CLOSED')
  })
})
