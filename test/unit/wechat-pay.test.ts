/**
 * The WeChat Pay module: the sub-merchant id comes from WXPAY_SUB_MCH_ID; WeChat's sample id is
 * used only when the runtime says it is the local cloud; anywhere else a missing id fails before
 * anything reaches WeChat Pay. Every call carries what cloudPay requires.
 */
import type * as sdk from 'wx-server-sdk'
import { AppError } from '../../cloudfunctions/shared/errors'
import { LOCAL_SUB_MCH_ID, subMchId, wechatPay, WechatPayConfigError, type PayCloud } from '../../cloudfunctions/services/wechat-pay'

type Api = sdk.CloudPay.Api

function fakeCloud(answers: Partial<Api>, env = 'prod-1a2b3c'): { cloud: PayCloud; calls: [string, unknown][] } {
  const calls: [string, unknown][] = []
  const record = <K extends keyof Api>(name: K): Api[K] =>
    (async (params: unknown) => {
      calls.push([name, params])
      const answer = answers[name] as ((p: unknown) => Promise<unknown>) | undefined
      if (!answer) throw new Error(`unexpected cloudPay.${name}`)
      return answer(params)
    }) as Api[K]
  const api: Api = {
    unifiedOrder: record('unifiedOrder'),
    refund: record('refund'),
    queryOrder: record('queryOrder'),
    closeOrder: record('closeOrder'),
    queryRefund: record('queryRefund'),
  }
  const cloudPay = Object.assign((_options: { appid: string }) => api, api)
  return { cloud: { cloudPay, getWXContext: () => ({ ENV: env }) }, calls }
}

const ok = { returnCode: 'SUCCESS' as const, resultCode: 'SUCCESS' as const, errCode: 0, errMsg: 'cloudPay.x:ok' }
const payment = { appId: 'wx1', timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'MD5', paySign: 'S' }

describe('subMchId', () => {
  it('is the configured variable, trimmed', () => {
    expect(subMchId({ WXPAY_SUB_MCH_ID: ' 1712734762 ' })).toBe('1712734762')
    expect(subMchId({ WXPAY_SUB_MCH_ID: '1712734762', LOCAL_CLOUD_RUNTIME: '1' })).toBe('1712734762')
  })
  it('falls back to the sample id only on the local cloud runtime', () => {
    expect(subMchId({ LOCAL_CLOUD_RUNTIME: '1' })).toBe(LOCAL_SUB_MCH_ID)
  })
  it('fails outside the local cloud when missing, empty or malformed', () => {
    expect(() => subMchId({})).toThrow(WechatPayConfigError)
    expect(() => subMchId({ WXPAY_SUB_MCH_ID: '' })).toThrow(/WXPAY_SUB_MCH_ID/)
    expect(() => subMchId({ LOCAL_CLOUD_RUNTIME: 'true' })).toThrow(WechatPayConfigError)
    expect(() => subMchId({ WXPAY_SUB_MCH_ID: 'mch-001' })).toThrow(/格式错误/)
    expect(() => subMchId({ WXPAY_SUB_MCH_ID: 'mch-001', LOCAL_CLOUD_RUNTIME: '1' })).toThrow(/格式错误/)
  })
})

describe('wechatPay', () => {
  const errors: unknown[] = []
  beforeEach(() => {
    errors.length = 0
    jest.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')))
  })
  afterEach(() => jest.restoreAllMocks())

  it('refuses to run unconfigured on a real environment, loudly, before calling WeChat Pay', () => {
    const { cloud, calls } = fakeCloud({})
    expect(() => wechatPay(cloud, {})).toThrow(AppError)
    expect(() => wechatPay(cloud, {})).toThrow('微信支付尚未开通，请联系商家')
    expect(calls).toHaveLength(0)
    expect(errors.join('\n')).toMatch(/WXPAY_SUB_MCH_ID/)
  })

  it('places an order with every parameter cloudPay requires', async () => {
    const { cloud, calls } = fakeCloud({ unifiedOrder: async () => ({ ...ok, payment }) })
    const res = await wechatPay(cloud, { WXPAY_SUB_MCH_ID: '1712734762' }).unifiedOrder({ outTradeNo: '20260101000000123', totalFee: 990, body: '品牌-门店', callbackFunction: 'member' })
    expect(res).toEqual({ ok: true, value: payment })
    const [name, params] = calls[0]
    expect(name).toBe('unifiedOrder')
    expect(params).toEqual({
      body: '品牌-门店', outTradeNo: '20260101000000123', spbillCreateIp: '127.0.0.1', subMchId: '1712734762', totalFee: 990,
      envId: 'prod-1a2b3c', functionName: 'member', nonceStr: expect.stringMatching(/^[0-9a-f]{32}$/), tradeType: 'JSAPI',
    })
  })

  it('reports WeChat Pay refusals with their reason, protocol-level or business', async () => {
    const { cloud } = fakeCloud({
      unifiedOrder: async () => ({ returnCode: 'FAIL', returnMsg: '缺少参数', errCode: 0, errMsg: 'cloudPay.unifiedOrder:ok' }),
      refund: async () => ({ ...ok, resultCode: 'FAIL', errCodeDes: '订单已全额退款' }),
    })
    const pay = wechatPay(cloud, { LOCAL_CLOUD_RUNTIME: '1' })
    expect(await pay.unifiedOrder({ outTradeNo: 'A1', totalFee: 1, body: 'b', callbackFunction: 'member' })).toEqual({ ok: false, reason: '缺少参数' })
    expect(await pay.refund({ outTradeNo: 'A1', outRefundNo: 'RA1', totalFee: 1, refundFee: 1, callbackFunction: 'member' })).toEqual({ ok: false, reason: '订单已全额退款' })
  })

  it('refunds with the sub-merchant id, a nonce and the callback environment', async () => {
    const { cloud, calls } = fakeCloud({ refund: async () => ({ ...ok, refundId: '5030' }) })
    const res = await wechatPay(cloud, { LOCAL_CLOUD_RUNTIME: '1' }).refund({ outTradeNo: 'A1', outRefundNo: 'RA1', totalFee: 500, refundFee: 500, callbackFunction: 'member' })
    expect(res).toEqual({ ok: true, value: { refundId: '5030' } })
    expect(calls[0][1]).toEqual({
      outTradeNo: 'A1', outRefundNo: 'RA1', totalFee: 500, refundFee: 500, subMchId: LOCAL_SUB_MCH_ID,
      nonceStr: expect.stringMatching(/^[0-9a-f]{32}$/), envId: 'prod-1a2b3c', functionName: 'member',
    })
  })
})

describe('reconciliation calls (queryOrder, closeOrder, queryRefund)', () => {
  const env = { WXPAY_SUB_MCH_ID: '1712734762' }
  const fail = (errCodeDes: string) => ({ returnCode: 'SUCCESS' as const, resultCode: 'FAIL' as const, errCode: 0, errMsg: 'cloudPay.x:ok', errCodeDes })

  it('reads the trade state, the payer for this mini program (sub_openid) and WeChat’s failures by their text', async () => {
    const { cloud, calls } = fakeCloud({
      queryOrder: async (p) => {
        const no = (p as { outTradeNo: string }).outTradeNo
        if (no === 'paid') return { ...ok, tradeState: 'SUCCESS', totalFee: 990, openid: 'o-sp', subOpenid: 'o-app', transactionId: '4200' }
        if (no === 'unpaid') return { ...ok, tradeState: 'USERPAYING' }
        if (no === 'closed') return { ...ok, tradeState: 'REVOKED' }
        if (no === 'documented') return fail('此交易订单号不存在')
        if (no === 'seen') return fail('订单不存在')
        return fail('系统错误')
      },
    })
    const pay = wechatPay(cloud, env)
    expect(await pay.queryOrder('paid')).toEqual({ state: 'paid', totalFee: 990, payer: 'o-app', transactionId: '4200' })
    expect(await pay.queryOrder('unpaid')).toEqual({ state: 'unpaid' })
    expect(await pay.queryOrder('closed')).toEqual({ state: 'closed' })
    expect(await pay.queryOrder('documented')).toEqual({ state: 'unknown' })
    expect(await pay.queryOrder('seen')).toEqual({ state: 'unknown' })
    expect(await pay.queryOrder('other')).toEqual({ state: 'failed', reason: '系统错误' })
    expect(calls[0][1]).toEqual({ subMchId: '1712734762', nonceStr: expect.stringMatching(/^[0-9a-f]{32}$/), outTradeNo: 'paid' })
  })

  it('tells closed, already paid and unknown apart on closeOrder', async () => {
    const answers: Record<string, unknown> = { a: ok, b: fail('订单已支付，不能发起关单'), c: fail('订单不存在'), d: fail('订单生成后不能马上调用关单接口，最短调用时间间隔为5分钟') }
    const { cloud } = fakeCloud({ closeOrder: async (p) => answers[(p as { outTradeNo: string }).outTradeNo] as sdk.CloudPay.Reply })
    const pay = wechatPay(cloud, env)
    expect(await pay.closeOrder('a')).toEqual({ state: 'closed' })
    expect(await pay.closeOrder('b')).toEqual({ state: 'paid' })
    expect(await pay.closeOrder('c')).toEqual({ state: 'unknown' })
    expect(await pay.closeOrder('d')).toEqual({ state: 'failed', reason: '订单生成后不能马上调用关单接口，最短调用时间间隔为5分钟' })
  })

  it('finds its refund among the order’s refunds on queryRefund', async () => {
    const { cloud } = fakeCloud({
      queryRefund: async (p) => {
        const no = (p as { outRefundNo: string }).outRefundNo
        if (no === 'gone') return fail('退款订单查询失败')
        const status = no === 'Rfail' ? 'CHANGE' : no === 'Rwait' ? 'PROCESSING' : 'SUCCESS'
        return { ...ok, refundCount: 2, outRefundNo_0: 'Rother', refundStatus_0: 'SUCCESS', refundId_0: 'x', refundFee_0: 1, outRefundNo_1: no, refundStatus_1: status, refundId_1: '5030', refundFee_1: 990 }
      },
    })
    const pay = wechatPay(cloud, env)
    expect(await pay.queryRefund('Rok')).toEqual({ state: 'succeeded', refundId: '5030', refundFee: 990 })
    expect(await pay.queryRefund('Rwait')).toEqual({ state: 'processing', refundId: '5030', refundFee: 990 })
    expect(await pay.queryRefund('Rfail')).toEqual({ state: 'failed', refundId: '5030', refundFee: 990, status: 'CHANGE' })
    expect(await pay.queryRefund('gone')).toEqual({ state: 'unknown' })
  })
})
