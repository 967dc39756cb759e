import { post, get, startTestCloud, sdkFor, type HttpAnswer, type TestCloud, type Sdk } from './helpers'

let t: TestCloud
let sdk: Sdk

beforeAll(async () => {
  t = await startTestCloud({ appid: 'wxpaytest00000001' })
  sdk = sdkFor(t.cloud)
})
afterAll(async () => {
  await t.stop()
})

const payer = (event: Record<string, unknown>, openid = 'o-payer'): Promise<HttpAnswer<any>> =>
  post(`${t.cloud.url}/functions/payer`, event, { 'X-WX-OPENID': openid })

async function events(kind: string): Promise<any[]> {
  const res = await sdk.database().collection('pay_events').where({ kind }).limit(1000).get()
  return res.data
}

describe('WeChat Pay simulation', () => {
  it('answers unifiedOrder with payment parameters and remembers the order', async () => {
    const a = await payer({ action: 'order', outTradeNo: 'T1001', totalFee: 990 })
    expect(a.status).toBe(200)
    expect(a.body).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', errCode: 0, errMsg: 'cloudPay.unifiedOrder:ok', subMchId: '1900000109' })
    expect(a.body.payment).toEqual({
      appId: 'wxpaytest00000001',
      timeStamp: expect.stringMatching(/^\d+$/),
      nonceStr: expect.any(String),
      package: `prepay_id=${a.body.prepayId}`,
      signType: 'MD5',
      paySign: expect.any(String),
    })
    const order = await get(`${t.cloud.url}/pay/orders/T1001`)
    expect(order.body.order).toMatchObject({ outTradeNo: 'T1001', totalFee: 990, openid: 'o-payer', functionName: 'paycb', envId: 'local', subMchId: '1900000109', state: 'NOTPAY', createdBy: 'payer' })
    const query = await payer({ action: 'query', outTradeNo: 'T1001' })
    expect(query.body).toMatchObject({ tradeState: 'NOTPAY', totalFee: 990, errCode: 0 })
  })

  it('delivers the payment callback as WeChat does when the user pays', async () => {
    const a = await post(`${t.cloud.url}/pay/orders/T1001/pay`)
    expect(a.status).toBe(200)
    expect(a.body.order.state).toBe('SUCCESS')
    expect(a.body.results).toHaveLength(1)
    expect(a.body.results[0]).toMatchObject({ errcode: 0, wx: { OPENID: 'o-payer', SOURCE: 'wx_paycallback', ENV: 'local' } })
    const [received] = await events('pay')
    expect(received.event).toMatchObject({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      appid: expect.any(String),
      mchId: expect.any(String),
      subAppid: 'wxpaytest00000001',
      subMchId: '1900000109',
      nonceStr: expect.any(String),
      openid: 'o-payer',
      subOpenid: 'o-payer',
      isSubscribe: 'N',
      tradeType: 'JSAPI',
      bankType: expect.any(String),
      totalFee: 990,
      feeType: 'CNY',
      cashFee: 990,
      transactionId: expect.stringMatching(/^\d{28}$/),
      outTradeNo: 'T1001',
      timeEnd: expect.stringMatching(/^\d{14}$/),
    })
    const query = await payer({ action: 'query', outTradeNo: 'T1001' })
    expect(query.body).toMatchObject({ tradeState: 'SUCCESS', transactionId: received.event.transactionId, timeEnd: received.event.timeEnd })
  })

  it('replays the callback 20 times concurrently when asked', async () => {
    await payer({ action: 'order', outTradeNo: 'T2002', totalFee: 100 }, 'o-replay')
    const a = await post(`${t.cloud.url}/pay/orders/T2002/pay`, { times: 20, concurrent: true })
    expect(a.status).toBe(200)
    expect(a.body.results).toHaveLength(20)
    for (const r of a.body.results) expect(r).toMatchObject({ errcode: 0, wx: { OPENID: 'o-replay', SOURCE: 'wx_paycallback' } })
    const received = (await events('pay')).filter((e) => e.event.outTradeNo === 'T2002')
    expect(received).toHaveLength(20)
    expect(new Set(received.map((e) => e.event.transactionId)).size).toBe(1)
  })

  it('refunds a paid order, delivers the refund callback, and answers queryRefund', async () => {
    const a = await payer({ action: 'refund', outTradeNo: 'T1001', outRefundNo: 'R1001', totalFee: 990, refundFee: 500 })
    expect(a.body).toMatchObject({ resultCode: 'SUCCESS', outRefundNo: 'R1001', refundFee: 500, totalFee: 990, errCode: 0 })
    // The callback follows the reply asynchronously.
    let refunds: any[] = []
    for (let i = 0; i < 50 && refunds.length === 0; i++) {
      refunds = await events('refund')
      if (refunds.length === 0) await new Promise((r) => setTimeout(r, 50))
    }
    expect(refunds).toHaveLength(1)
    expect(refunds[0].event).toMatchObject({ returnCode: 'SUCCESS', reqInfo: { outTradeNo: 'T1001', outRefundNo: 'R1001', refundFee: 500, refundStatus: 'SUCCESS' } })
    expect(refunds[0].wx).toMatchObject({ OPENID: 'o-payer', SOURCE: 'wx_paycallback' })

    const again = await payer({ action: 'refund', outTradeNo: 'T1001', outRefundNo: 'R1001', totalFee: 990, refundFee: 500 })
    expect(again.body.refundId).toBe(a.body.refundId) // idempotent on out_refund_no
    const tooMuch = await payer({ action: 'refund', outTradeNo: 'T1001', outRefundNo: 'R1002', totalFee: 990, refundFee: 600 })
    expect(tooMuch.body).toMatchObject({ resultCode: 'FAIL', errCode: 0, errCodeDes: expect.any(String) })

    const q = await payer({ action: 'queryRefund', outRefundNo: 'R1001' })
    expect(q.body).toMatchObject({ resultCode: 'SUCCESS', refundCount: 1, outRefundNo_0: 'R1001', refundStatus_0: 'SUCCESS', refundFee_0: 500 })

    const redeliver = await post(`${t.cloud.url}/pay/refunds/R1001/succeed`)
    expect(redeliver.body.results).toEqual([{ errcode: 0, errmsg: 'ok' }])
  })

  it('answers business failures without throwing, and closes unpaid orders', async () => {
    const missing = await payer({ action: 'query', outTradeNo: 'NOPE' })
    expect(missing.body).toMatchObject({ resultCode: 'FAIL', errCode: 0, errCodeDes: '订单不存在' })
    await payer({ action: 'order', outTradeNo: 'T3003' })
    const closed = await payer({ action: 'close', outTradeNo: 'T3003' })
    expect(closed.body.resultCode).toBe('SUCCESS')
    const pay = await post(`${t.cloud.url}/pay/orders/T3003/pay`)
    expect(pay.status).toBe(409)
    expect((await post(`${t.cloud.url}/pay/orders/NOPE/pay`)).status).toBe(404)
  })

  it('answers the unmodified SDK outside a function', async () => {
    const res = await sdk.cloudPay.queryOrder({ subMchId: '1900000109', outTradeNo: 'T1001', nonceStr: 'x' })
    expect(res).toMatchObject({ tradeState: 'REFUND', errMsg: 'cloudPay.queryOrder:ok' })
    await expect(sdk.cloudPay.downloadBill({ billDate: '20240101' })).rejects.toMatchObject({ errCode: -501007 })
  })

  it('keeps orders across a restart', async () => {
    await t.cloud.close()
    t = await startTestCloud({ dataDir: t.dataDir, appid: 'wxpaytest00000001' })
    const order = await get(`${t.cloud.url}/pay/orders/T1001`)
    expect(order.body.order).toMatchObject({ state: 'REFUND', refunds: [expect.objectContaining({ outRefundNo: 'R1001' })] })
  })
})
