/**
 * Reconciliation of payments with WeChat Pay, played through the local cloud: a payment whose
 * callback is lost is found by the job and by the consumer's read, and captured once however the
 * late callback and the job race; an unpaid order is closed after 30 minutes (and can no longer
 * be paid); an order WeChat never saw is closed; callback replies say what happened.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { memberIdOf } from '../../../cloudfunctions/services/documents'
import { CLOSE_MIN_AGE_MS } from '../../../local-cloud/src/pay'
import { addStore, memberState, startAppCloud, type AppCloud } from '../support/app-cloud'
import { advanceWechatClock, age, atWechat, ledgerOf, MIN, payWithoutCallback, placeOrder, runJob, snapshotOf, stored } from './reconcile-support'

let app: AppCloud
beforeAll(async () => {
  // No redelivery: a lost notification stays lost unless a test delivers it.
  app = await startAppCloud({ payRetryDelaysMs: [], payCloseMinAgeMs: CLOSE_MIN_AGE_MS })
  await addStore(app.db, 'store-rc', '徐汇店')
})
afterAll(() => app.stop())

describe('a payment whose callback never arrives', () => {
  it('is captured by the reconciliation job, once, and the late callback is answered as already processed', async () => {
    const openid = 'o-rc-job'
    const no = await placeOrder(app, openid, 3000)
    await payWithoutCallback(app, no)
    // Younger than the job's threshold: left alone.
    expect(await runJob(app)).toMatchObject({ queried: 0, captured: 0 })
    expect((await stored(app, no)).status).toBe('created')

    await age(app, no, 6 * MIN)
    const pass = await runJob(app)
    expect(pass).toMatchObject({ queried: 1, captured: 1, errors: 0 })
    const wx = await atWechat(app, no)
    expect(await stored(app, no)).toMatchObject({ status: 'paid', pointsEarned: 30, transactionId: wx.transactionId })
    const s = await memberState(app.db, openid)
    expect(s.member).toMatchObject({ points: 30, paidOrderCount: 1, totalSpentFen: 3000 })
    expect(s.ledger.map((l: any) => l._id)).toEqual([`purchase:${no}`])

    // The callback arrives after all (WeChat delivers it late): nothing moves, and the reply says so.
    const replies = await app.pay(no, { times: 3, concurrent: true })
    for (const r of replies) expect(r).toEqual({ errcode: 0, errmsg: 'OK (already processed)' })
    expect((await memberState(app.db, openid)).ledger).toHaveLength(1)
    // Another pass finds nothing to do.
    expect(await runJob(app)).toMatchObject({ queried: 0 })
  })

  it('is captured when the consumer opens the pay result (orderStatus), without waiting for the timer', async () => {
    const openid = 'o-rc-lazy'
    const no = await placeOrder(app, openid, 2580)
    await payWithoutCallback(app, no)
    await age(app, no, 10_000)
    const status = await app.ok('member', 'orderStatus', { outTradeNo: no }, openid)
    expect(status).toMatchObject({ status: 'paid', pointsEarned: 25, joined: true })
    expect(status.tierName).not.toBe('')
    const first = await app.pay(no)
    expect(first).toEqual([{ errcode: 0, errmsg: 'OK (already processed)' }])
    const s = await memberState(app.db, openid)
    expect(s.ledger).toHaveLength(1)
    expect(s.member.points).toBe(25)
    expect(s.ledgerSum).toBe(25)
  })

  it('is captured once when the job, the consumer’s reads and the late callback all run at the same time', async () => {
    const openid = 'o-rc-race'
    const orders = await Promise.all([1000, 2000, 3000, 4000].map((fen) => placeOrder(app, openid, fen)))
    for (const no of orders) await payWithoutCallback(app, no)
    for (const no of orders) await age(app, no, 6 * MIN)
    const results = await Promise.all([
      runJob(app),
      runJob(app),
      ...orders.map((no) => app.pay(no, { times: 2, concurrent: true })),
      ...orders.map((no) => app.call('member', 'orderStatus', { outTradeNo: no }, openid)),
    ])
    const [a, b] = results as any[]
    // Whoever got there first captured each order; no order was captured twice.
    expect(a.errors + b.errors).toBe(0)
    const callbacks = results.slice(2, 2 + orders.length).flat() as { errcode: number; errmsg: string }[]
    for (const r of callbacks) expect(['OK', 'OK (already processed)']).toContain(r.errmsg)
    expect(callbacks.every((r) => r.errcode === 0)).toBe(true)
    const captures = a.captured + b.captured + callbacks.filter((r) => r.errmsg === 'OK').length
    // Reads capture too; together every order was captured exactly once.
    expect(captures).toBeLessThanOrEqual(orders.length)
    const s = await memberState(app.db, openid)
    expect(s.ledger.map((l: any) => l._id).sort()).toEqual(orders.map((no) => `purchase:${no}`).sort())
    expect(s.member).toMatchObject({ points: 100, paidOrderCount: 4, visitCount: 4, totalSpentFen: 10000 })
    expect(s.ledgerSum).toBe(s.member.points)
    for (const no of orders) expect((await stored(app, no)).status).toBe('paid')
  })
})

describe('an order that is never paid', () => {
  it('is left open before 30 minutes, then closed at WeChat and here; paying it afterwards is refused', async () => {
    const openid = 'o-rc-unpaid'
    const no = await placeOrder(app, openid, 1500)
    await age(app, no, 20 * MIN)
    expect(await runJob(app)).toMatchObject({ queried: 1, pending: 1, closed: 0 })
    expect((await stored(app, no)).status).toBe('created')
    expect((await atWechat(app, no)).state).toBe('NOTPAY')

    await age(app, no, 31 * MIN)
    // WeChat's clock has moved as far: its closeOrder refuses orders younger than 5 minutes.
    await advanceWechatClock(app, 31 * MIN)
    expect(await runJob(app)).toMatchObject({ queried: 1, closed: 1 })
    expect(await stored(app, no)).toMatchObject({ status: 'closed', closeReason: 'unpaid', closedAt: expect.anything() })
    expect((await atWechat(app, no)).state).toBe('CLOSED')
    const refused = await fetch(`${app.lc.url}/pay/orders/${no}/pay`, { method: 'POST', body: '{}' })
    expect(refused.status).toBe(409)
    expect(await app.ok('member', 'orderStatus', { outTradeNo: no }, openid)).toMatchObject({ status: 'closed', pointsEarned: 0 })
    expect(await memberState(app.db, openid)).toMatchObject({ member: null })

    // Closed stays closed: another pass and another read change nothing.
    const before = await snapshotOf(app, [COLLECTIONS.orders, COLLECTIONS.members, COLLECTIONS.pointsLedger])
    expect(await runJob(app)).toMatchObject({ queried: 0 })
    await app.ok('member', 'orderStatus', { outTradeNo: no }, openid)
    expect(await snapshotOf(app, [COLLECTIONS.orders, COLLECTIONS.members, COLLECTIONS.pointsLedger])).toBe(before)
  })

  it('WeChat never saw (the function died between writing it and unifiedOrder): the job closes it', async () => {
    const openid = 'o-rc-crash'
    // What createOrder leaves when it dies right after writing the order.
    const no = '20261202000000123456789'
    await app.db.collection(COLLECTIONS.orders).add({
      data: {
        _id: no, outTradeNo: no, openid, memberId: memberIdOf(openid), storeId: 'store-rc', amountFen: 990, status: 'created', channel: 'wxpay', clerkOpenid: null,
        touchpoint: '', pointsEarned: 0, joined: false, transactionId: null, createdAt: new Date(Date.now() - 2 * MIN), paidAt: null, refundedAt: null,
      },
    })
    expect(await atWechat(app, no)).toBeNull()
    // Too young to be sure createOrder is not still on its way to unifiedOrder: the read leaves it.
    expect(await app.ok('member', 'orderStatus', { outTradeNo: no }, openid)).toMatchObject({ status: 'created' })
    await age(app, no, 6 * MIN)
    expect(await runJob(app)).toMatchObject({ queried: 1, closed: 1 })
    expect(await stored(app, no)).toMatchObject({ status: 'closed', closeReason: 'unknown_at_wechat' })
    expect(await atWechat(app, no)).toBeNull()
    expect(await ledgerOf(app, openid)).toEqual([])
  })
})

describe('callback replies', () => {
  it('say what happened: OK, already processed, rejected', async () => {
    const openid = 'o-rc-replies'
    const no = await placeOrder(app, openid, 1200)
    const [first] = await app.pay(no)
    expect(first).toEqual({ errcode: 0, errmsg: 'OK' })
    const again = await app.pay(no, { times: 2 })
    expect(again).toEqual([
      { errcode: 0, errmsg: 'OK (already processed)' },
      { errcode: 0, errmsg: 'OK (already processed)' },
    ])
    const forged = (await app.lc.invoke('member', { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: no, totalFee: 1, transactionId: 'x' }, { openid, source: 'wx_paycallback' })) as any
    expect(forged).toEqual({ errcode: 0, errmsg: 'rejected: amount or payer mismatch' })
    const unknownRefund = (await app.lc.invoke(
      'member',
      { returnCode: 'SUCCESS', reqInfo: { outTradeNo: 'nope', outRefundNo: 'Rnope', refundStatus: 'SUCCESS', totalFee: 1, refundFee: 1 } },
      { openid, source: 'wx_paycallback' },
    )) as any
    expect(unknownRefund).toEqual({ errcode: 0, errmsg: 'rejected: unknown order' })
    expect((await memberState(app.db, openid)).ledger).toHaveLength(1)
  })
})
