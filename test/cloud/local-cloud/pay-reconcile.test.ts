/**
 * The pay simulator's bad-day hooks, through the unmodified SDK: a payment whose notification is
 * dropped, closeOrder's 5-minute rule against the simulator's clock, a refund from the merchant
 * platform, a refund that fails after it was accepted (notified again, until acknowledged), and
 * the same out_refund_no starting a failed refund over.
 */
import { CLOSE_MIN_AGE_MS } from '../../../local-cloud/src/pay'
import { get, post, sdkFor, startTestCloud, type HttpAnswer, type Sdk, type TestCloud } from './helpers'

let t: TestCloud
let sdk: Sdk
beforeAll(async () => {
  t = await startTestCloud({ appid: 'wxpaytest00000002', payCloseMinAgeMs: CLOSE_MIN_AGE_MS, payRetryDelaysMs: [0, 0, 0] })
  sdk = sdkFor(t.cloud)
})
afterAll(() => t.stop())

const payer = (event: Record<string, unknown>, openid = 'o-payer'): Promise<HttpAnswer<any>> => post(`${t.cloud.url}/functions/payer`, event, { 'X-WX-OPENID': openid })
const order = async (no: string): Promise<any> => (await get(`${t.cloud.url}/pay/orders/${no}`)).body.order

async function events(kind: string, key: string): Promise<any[]> {
  const res = await sdk.database().collection('pay_events').where({ kind }).limit(1000).get()
  return res.data.filter((e: any) => e.event.outTradeNo === key || e.event.reqInfo?.outTradeNo === key)
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read()
    if (ok(v)) return v
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error('timed out')
}

describe('pay simulator: reconciliation hooks', () => {
  it('drops a payment notification on demand: the order is paid at WeChat, nothing is delivered until asked', async () => {
    await payer({ action: 'order', outTradeNo: 'RC1', totalFee: 300 })
    const paid = await post(`${t.cloud.url}/pay/orders/RC1/pay`, { notify: false })
    expect(paid.body).toMatchObject({ ok: true, results: [], order: { state: 'SUCCESS' } })
    expect((await payer({ action: 'query', outTradeNo: 'RC1' })).body).toMatchObject({ tradeState: 'SUCCESS', totalFee: 300, transactionId: paid.body.order.transactionId })
    await new Promise((r) => setTimeout(r, 100))
    expect(await events('pay', 'RC1')).toHaveLength(0)
    expect((await order('RC1')).notify).toBeUndefined()
    // Delivered later, it is the notification's first delivery.
    const late = await post(`${t.cloud.url}/pay/orders/RC1/pay`, {})
    expect(late.body.order.notify.deliveries).toEqual([expect.objectContaining({ n: 1, trigger: 'first', acknowledged: true })])
  })

  it('refuses closeOrder within 5 minutes of the order (WeChat’s rule), by the simulator’s clock', async () => {
    await payer({ action: 'order', outTradeNo: 'RC2', totalFee: 300 })
    const early = await payer({ action: 'close', outTradeNo: 'RC2' })
    expect(early.body).toMatchObject({ resultCode: 'FAIL', errCode: 0, errCodeDes: expect.stringContaining('5分钟') })
    expect((await order('RC2')).state).toBe('NOTPAY')
    const moved = await post(`${t.cloud.url}/pay/clock`, { advanceMs: CLOSE_MIN_AGE_MS })
    expect(moved.body).toMatchObject({ ok: true, now: expect.any(String) })
    expect((await post(`${t.cloud.url}/pay/clock`, { advanceMs: -1 })).status).toBe(400)
    expect((await payer({ action: 'close', outTradeNo: 'RC2' })).body.resultCode).toBe('SUCCESS')
    expect((await post(`${t.cloud.url}/pay/orders/RC2/pay`, {})).status).toBe(409)
    // Unknown orders: ORDERNOTEXIST, which the SDK leaves only in errCodeDes.
    expect((await payer({ action: 'close', outTradeNo: 'NOPE2' })).body).toMatchObject({ resultCode: 'FAIL', errCode: 0, errCodeDes: '订单不存在' })
  })

  it('starts a refund from the merchant platform: numbered by WeChat, notified to the payment’s function as VENDOR_PLATFORM', async () => {
    await payer({ action: 'order', outTradeNo: 'RC3', totalFee: 800 })
    expect((await post(`${t.cloud.url}/pay/orders/RC3/refund-outside`, {})).status).toBe(409) // not paid yet
    await post(`${t.cloud.url}/pay/orders/RC3/pay`, {})
    const started = await post(`${t.cloud.url}/pay/orders/RC3/refund-outside`, { refundFee: 300 })
    expect(started.body).toMatchObject({ ok: true, order: { state: 'REFUND' }, refund: { source: 'VENDOR_PLATFORM', refundFee: 300, status: 'SUCCESS', functionName: 'paycb' } })
    const [note] = await until(() => events('pay', 'RC3').then((e) => e.filter((x) => x.event.reqInfo)), (e) => e.length > 0)
    expect(note.event.reqInfo).toMatchObject({ outTradeNo: 'RC3', outRefundNo: started.body.refund.outRefundNo, refundFee: 300, totalFee: 800, refundStatus: 'SUCCESS', refundRequestSource: 'VENDOR_PLATFORM' })
    expect(note.wx).toMatchObject({ SOURCE: 'wx_paycallback', OPENID: 'o-payer' })
    // More than is left is refused, as WeChat does.
    expect((await post(`${t.cloud.url}/pay/orders/RC3/refund-outside`, { refundFee: 600 })).status).toBe(409)
    expect((await payer({ action: 'queryRefund', outRefundNo: started.body.refund.outRefundNo })).body).toMatchObject({ refundCount: 1, refundStatus_0: 'SUCCESS', refundFee_0: 300 })
  })

  it('fails an accepted refund: the trade is paid again, the failure is notified until acknowledged, and the same number starts it over', async () => {
    await payer({ action: 'order', outTradeNo: 'RC4', totalFee: 500 })
    await post(`${t.cloud.url}/pay/orders/RC4/pay`, {})
    const refunded = await payer({ action: 'refund', outTradeNo: 'RC4', outRefundNo: 'RRC4', totalFee: 500, refundFee: 500 })
    expect(refunded.body.resultCode).toBe('SUCCESS')
    await until(() => events('refund', 'RC4'), (e) => e.length === 1)

    const failed = await post(`${t.cloud.url}/pay/refunds/RRC4/fail`, { status: 'REFUNDCLOSE' })
    expect(failed.body).toMatchObject({ ok: true, order: { state: 'SUCCESS' }, refund: { status: 'REFUNDCLOSE' } })
    expect(failed.body.refund.successTime).toBeUndefined()
    const notes = await until(() => events('refund', 'RC4'), (e) => e.length === 2)
    expect(notes[1].event.reqInfo).toMatchObject({ outRefundNo: 'RRC4', refundStatus: 'REFUNDCLOSE' })
    expect(notes[1].event.reqInfo.successTime).toBeUndefined()
    const o = await until(() => order('RC4'), (x) => x.refunds[0].notify?.acknowledged === true)
    expect(o.refunds[0].earlierNotifies).toEqual([expect.objectContaining({ status: 'SUCCESS', notify: expect.objectContaining({ acknowledged: true }) })])
    expect((await payer({ action: 'query', outTradeNo: 'RC4' })).body.tradeState).toBe('SUCCESS')
    expect((await payer({ action: 'queryRefund', outRefundNo: 'RRC4' })).body).toMatchObject({ refundStatus_0: 'REFUNDCLOSE' })
    expect((await post(`${t.cloud.url}/pay/refunds/RRC4/fail`, {})).status).toBe(409) // already failed

    // 一笔退款失败后重新提交，请使用原商户退款单号: the same number refunds again.
    const again = await payer({ action: 'refund', outTradeNo: 'RC4', outRefundNo: 'RRC4', totalFee: 500, refundFee: 500 })
    expect(again.body).toMatchObject({ resultCode: 'SUCCESS', refundId: refunded.body.refundId })
    const third = await until(() => events('refund', 'RC4'), (e) => e.length === 3)
    expect(third[2].event.reqInfo).toMatchObject({ refundStatus: 'SUCCESS', refundRequestSource: 'API' })
    expect((await payer({ action: 'queryRefund', outRefundNo: 'RRC4' })).body).toMatchObject({ refundStatus_0: 'SUCCESS' })
    expect((await payer({ action: 'query', outTradeNo: 'RC4' })).body.tradeState).toBe('REFUND')
  })
})
