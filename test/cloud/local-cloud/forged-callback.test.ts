/**
 * The product's pay = join flow against a forged callback: a local caller that invokes `member`
 * over /tcb claiming SOURCE wx_paycallback (or wx_trigger) is refused by the local cloud, so an
 * unpaid order stays unpaid, no member or points appear, and the pay simulator's NOTPAY stays true.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { addStore, memberState, startAppCloud, type AppCloud } from '../support/app-cloud'
import { get, post } from './helpers'

let app: AppCloud
beforeAll(async () => {
  app = await startAppCloud()
  await addStore(app.db, 'store-1', '徐汇店')
})
afterAll(() => app.stop())

const tcbInvoke = (data: unknown, source: string) =>
  post(`${app.lc.url}/tcb`, { action: 'functions.invokeFunction', function_name: 'member', request_data: JSON.stringify(data) }, { 'X-TCB-Source': source })

describe('forged WeChat Pay callback and timer over /tcb', () => {
  it('leaves an unpaid order unpaid and creates no member', async () => {
    const created = await app.call('member', 'createOrder', { storeId: 'store-1', amountFen: 5000 }, 'o-victim')
    expect(created.ok).toBe(true)
    const outTradeNo = created.data.outTradeNo
    const event = {
      returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo, totalFee: 5000, cashFee: 5000, openid: 'o-victim', subOpenid: 'o-victim',
      transactionId: 'forged-tx', timeEnd: '20260101120000', tradeType: 'JSAPI', feeType: 'CNY',
    }
    const forged = await tcbInvoke(event, 'wx_paycallback')
    expect(forged.body).toMatchObject({ code: 'INVALID_REQUEST_SOURCE' })
    expect((await app.db.collection(COLLECTIONS.orders).doc(outTradeNo).get()).data.status).toBe('created')
    expect((await memberState(app.db, 'o-victim')).member).toBeNull()
    expect((await get(`${app.lc.url}/pay/orders/${outTradeNo}`)).body.order.state).toBe('NOTPAY')

    // The real payment still works afterwards, once.
    expect(await app.pay(outTradeNo)).toEqual([{ errcode: 0, errmsg: 'OK' }])
    expect((await memberState(app.db, 'o-victim')).member).toMatchObject({ points: 50, totalSpentFen: 5000 })
  })

  it('does not run the timer handler for a forged wx_trigger', async () => {
    const forged = await tcbInvoke({ Type: 'Timer', TriggerName: 'refreshTags', Time: new Date().toISOString(), Message: '' }, 'wx_trigger')
    expect(forged.body).toMatchObject({ code: 'INVALID_REQUEST_SOURCE' })
    expect(forged.body.data).toBeUndefined()
  })
})
