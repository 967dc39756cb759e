/**
 * Refund reconciliation with WeChat Pay, played through the local cloud: a refund started in the
 * merchant platform reverses the points when its notification arrives, once (the same cause as
 * the app's refund); a refund killed between cloudPay.refund and the reversal is completed by the
 * next attempt or by the job; a refund WeChat reports failed afterwards is reverted and shown on
 * the order, and a new refund of it works; refund notifications' replies say what happened.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { MERCHANT_DOC_ID } from '../../../cloudfunctions/services/documents'
import { post } from '../local-cloud/helpers'
import { CLOSE_MIN_AGE_MS } from '../../../local-cloud/src/pay'
import { addStore, memberState, startAppCloud, type AppCloud } from '../support/app-cloud'
import { atWechat, MIN, placeOrder, runJob, snapshotOf, stored, untilWechat } from './reconcile-support'

const BOSS = 'o-rc-boss'
let app: AppCloud
beforeAll(async () => {
  // No redelivery: what a lost or failed notification leaves is what the other paths must repair.
  app = await startAppCloud({ payRetryDelaysMs: [], payCloseMinAgeMs: CLOSE_MIN_AGE_MS })
  await addStore(app.db, 'store-rc', '徐汇店')
  await app.db.collection(COLLECTIONS.staff).add({ data: { _id: BOSS, openid: BOSS, name: '老板', role: 'owner', storeIds: [], invitedBy: null, createdAt: new Date() } })
})
afterAll(() => app.stop())

async function paidOrder(openid: string, amountFen: number): Promise<string> {
  const no = await placeOrder(app, openid, amountFen)
  const [reply] = await app.pay(no)
  expect(reply).toEqual({ errcode: 0, errmsg: 'OK' })
  return no
}

const refundAcknowledged = (i = 0) => (o: any) => o.refunds[i]?.notify?.acknowledged === true

/** The refund notification's last reply (delivered after the refund's reply, asynchronously). */
const lastReply = (refund: any) => refund.notify.deliveries[refund.notify.deliveries.length - 1].reply

async function expectBalanced(openid: string) {
  const s = await memberState(app.db, openid)
  expect(s.member.points).toBe(s.ledgerSum)
  expect(s.member.pointsDebt).toBe(s.debtSum)
  return s
}

describe('a refund started in the merchant platform (not in the app)', () => {
  it('reverses the points when WeChat notifies it, once; the app’s refund then finds it refunded', async () => {
    const openid = 'o-rc-outside'
    const keep = await paidOrder(openid, 1000)
    const no = await paidOrder(openid, 5000)
    expect((await memberState(app.db, openid)).member.points).toBe(60)

    const started = await post(`${app.lc.url}/pay/orders/${no}/refund-outside`, {})
    expect(started.status).toBe(200)
    expect(started.body.refund).toMatchObject({ source: 'VENDOR_PLATFORM', refundFee: 5000, status: 'SUCCESS' })
    const wx = await untilWechat(app, no, refundAcknowledged())
    expect(lastReply(wx.refunds[0])).toEqual({ errcode: 0, errmsg: 'OK: points reversed' })

    expect(await stored(app, no)).toMatchObject({
      status: 'refunded',
      refund: { source: 'merchant_platform', state: 'succeeded', outRefundNo: started.body.refund.outRefundNo, refundId: started.body.refund.refundId, refundFee: 5000 },
    })
    const s = await expectBalanced(openid)
    expect(s.member).toMatchObject({ points: 10, paidOrderCount: 1, totalSpentFen: 1000 })
    expect(s.ledger.filter((l: any) => l._id === `refund:${no}`)).toHaveLength(1)

    // Delivered again (WeChat may), and the staff tap 退款 in the app too: nothing moves.
    const before = await snapshotOf(app, [COLLECTIONS.orders, COLLECTIONS.members, COLLECTIONS.pointsLedger])
    const replay = await post(`${app.lc.url}/pay/refunds/${started.body.refund.outRefundNo}/succeed`, { times: 2, concurrent: true })
    expect(replay.body.results).toEqual([
      { errcode: 0, errmsg: 'OK (already processed)' },
      { errcode: 0, errmsg: 'OK (already processed)' },
    ])
    expect(await app.ok('admin', 'orders.refund', { outTradeNo: no }, BOSS)).toEqual({ status: 'refunded', pointsReversed: 0, pointsDebt: 0, alreadyRefunded: true })
    expect(await snapshotOf(app, [COLLECTIONS.orders, COLLECTIONS.members, COLLECTIONS.pointsLedger])).toBe(before)
    expect((await stored(app, keep)).status).toBe('paid')
  })

  it('a partial refund from the merchant platform leaves the points as they are, and says so', async () => {
    const openid = 'o-rc-partial'
    const no = await paidOrder(openid, 4000)
    const started = await post(`${app.lc.url}/pay/orders/${no}/refund-outside`, { refundFee: 1000 })
    const wx = await untilWechat(app, no, refundAcknowledged())
    expect(lastReply(wx.refunds[0])).toEqual({ errcode: 0, errmsg: 'ignored: partial refund, points unchanged' })
    expect(started.body.refund.refundFee).toBe(1000)
    expect((await stored(app, no)).status).toBe('paid')
    expect((await expectBalanced(openid)).member.points).toBe(40)
  })
})

describe('a refund killed between cloudPay.refund and the reversal', () => {
  /** Makes the function fail right after cloudPay.refund (the merchant's tiers momentarily unreadable). */
  async function breakSettings() {
    await app.db.collection(COLLECTIONS.merchant).doc(MERCHANT_DOC_ID).set({ data: { tiers: [] } })
  }
  async function repairSettings() {
    await app.db.collection(COLLECTIONS.merchant).doc(MERCHANT_DOC_ID).remove()
  }

  async function killedRefund(openid: string, amountFen: number): Promise<string> {
    const no = await paidOrder(openid, amountFen)
    await breakSettings()
    const died = await app.call('admin', 'orders.refund', { outTradeNo: no }, BOSS)
    expect(died).toMatchObject({ ok: false, code: 'INTERNAL' })
    // WeChat refunded the money; its notification failed too (and is not delivered again here).
    const wx = await untilWechat(app, no, (o) => o.refunds[0]?.notify?.deliveries.length === 1)
    expect(wx).toMatchObject({ state: 'REFUND', refunds: [{ outRefundNo: `R${no}`, status: 'SUCCESS' }] })
    expect(wx.refunds[0].notify.deliveries[0].reply).toMatchObject({ errcode: 1 })
    await repairSettings()
    // Today's bug: the money is returned and the points stay. Here the request is on record.
    expect(await stored(app, no)).toMatchObject({ status: 'paid', refund: { state: 'requested', outRefundNo: `R${no}`, source: 'app' } })
    expect((await memberState(app.db, openid)).member.points).toBe(amountFen / 100)
    return no
  }

  it('is completed by the next attempt (WeChat answers the same refund for the same out_refund_no)', async () => {
    const openid = 'o-rc-killed-retry'
    const no = await killedRefund(openid, 7000)
    expect(await app.ok('admin', 'orders.refund', { outTradeNo: no }, BOSS)).toEqual({ status: 'refunded', pointsReversed: 70, pointsDebt: 0, alreadyRefunded: false })
    expect((await atWechat(app, no)).refunds).toHaveLength(1)
    const s = await expectBalanced(openid)
    expect(s.member).toMatchObject({ points: 0, paidOrderCount: 0 })
    expect(await stored(app, no)).toMatchObject({ status: 'refunded', refund: { state: 'succeeded' } })
  })

  it('is completed by the reconciliation job (queryRefund by its out_refund_no), once', async () => {
    const openid = 'o-rc-killed-job'
    const no = await killedRefund(openid, 8000)
    // Too recent: orders.refund might still be on its way.
    expect(await runJob(app)).toMatchObject({ refundsChecked: 0 })
    await app.db.collection(COLLECTIONS.orders).doc(no).update({ data: { 'refund.requestedAt': new Date(Date.now() - 2 * MIN) } })
    const [a, b] = await Promise.all([runJob(app), runJob(app)])
    expect(a.refundsCompleted + b.refundsCompleted).toBeGreaterThanOrEqual(1)
    expect(a.errors + b.errors).toBe(0)
    const s = await expectBalanced(openid)
    expect(s.member).toMatchObject({ points: 0, paidOrderCount: 0, totalSpentFen: 0 })
    expect(s.ledger.filter((l: any) => l._id.startsWith('refund:'))).toHaveLength(1)
    expect(await stored(app, no)).toMatchObject({ status: 'refunded', refund: { state: 'succeeded', refundId: (await atWechat(app, no)).refunds[0].refundId } })
    // WeChat's notification comes after all: already processed.
    const late = await post(`${app.lc.url}/pay/refunds/R${no}/succeed`, {})
    expect(late.body.results).toEqual([{ errcode: 0, errmsg: 'OK (already processed)' }])
  })

  it('a request that never reached WeChat is dropped by the job, the order stays paid and can be refunded', async () => {
    const openid = 'o-rc-never-sent'
    const no = await paidOrder(openid, 2000)
    // What a crash right after recording the request leaves (before cloudPay.refund).
    const now = new Date(Date.now() - 2 * MIN)
    await app.db.collection(COLLECTIONS.orders).doc(no).update({
      data: { refund: { outRefundNo: `R${no}`, source: 'app', state: 'requested', attempt: 0, refundId: '', refundFee: 2000, requestedAt: now, updatedAt: now } },
    })
    expect(await runJob(app)).toMatchObject({ refundsChecked: 1, refundsDropped: 1 })
    expect(await stored(app, no)).toMatchObject({ status: 'paid', refund: { state: 'failed' } })
    expect((await expectBalanced(openid)).member.points).toBe(20)
    expect(await app.ok('admin', 'orders.refund', { outTradeNo: no }, BOSS)).toMatchObject({ status: 'refunded', pointsReversed: 20, alreadyRefunded: false })
    expect((await expectBalanced(openid)).member.points).toBe(0)
  })
})

describe('a refund WeChat reports failed after accepting it', () => {
  it('is reverted (points, spend, visits back), shown on the order, and a new refund of it works', async () => {
    const openid = 'o-rc-failed'
    const no = await paidOrder(openid, 6000)
    expect(await app.ok('admin', 'orders.refund', { outTradeNo: no }, BOSS)).toEqual({ status: 'refunded', pointsReversed: 60, pointsDebt: 0, alreadyRefunded: false })
    await untilWechat(app, no, refundAcknowledged())
    expect((await expectBalanced(openid)).member).toMatchObject({ points: 0, paidOrderCount: 0 })

    const failed = await post(`${app.lc.url}/pay/refunds/R${no}/fail`, { status: 'CHANGE' })
    expect(failed.body.refund).toMatchObject({ status: 'CHANGE' })
    const wx = await untilWechat(app, no, refundAcknowledged())
    expect(wx.state).toBe('SUCCESS')
    expect(lastReply(wx.refunds[0])).toEqual({ errcode: 0, errmsg: 'OK: refund failed, points restored' })
    const order = await stored(app, no)
    expect(order).toMatchObject({ status: 'paid', refundedAt: null, refund: { state: 'failed', failReason: expect.stringContaining('退款异常') } })
    let s = await expectBalanced(openid)
    expect(s.member).toMatchObject({ points: 60, paidOrderCount: 1, visitCount: 1, totalSpentFen: 6000 })
    expect(s.ledger.map((l: any) => l._id).sort()).toEqual([`purchase:${no}`, `refund-failed:${no}:0`, `refund:${no}`].sort())

    // The staff see it on the member's profile, and may refund again.
    const memberNo = s.member.memberNo
    const profile = await app.ok('admin', 'members.profile', { memberNo, page: 1 }, BOSS)
    expect(profile.orders[0]).toMatchObject({ outTradeNo: no, status: 'paid', refundable: true, refundNote: expect.stringContaining('退款异常') })

    // The failure notified again: nothing moves.
    const before = await snapshotOf(app, [COLLECTIONS.orders, COLLECTIONS.members, COLLECTIONS.pointsLedger])
    const replay = await post(`${app.lc.url}/pay/refunds/R${no}/succeed`, {})
    expect(replay.body.results).toEqual([{ errcode: 0, errmsg: 'OK (already processed)' }])
    expect(await snapshotOf(app, [COLLECTIONS.orders, COLLECTIONS.members, COLLECTIONS.pointsLedger])).toBe(before)

    // Asked again with the same out_refund_no (as WeChat requires), it is a new attempt with its own causes.
    expect(await app.ok('admin', 'orders.refund', { outTradeNo: no }, BOSS)).toEqual({ status: 'refunded', pointsReversed: 60, pointsDebt: 0, alreadyRefunded: false })
    await untilWechat(app, no, (o) => o.refunds[0].status === 'SUCCESS' && o.refunds[0].notify?.acknowledged === true)
    s = await expectBalanced(openid)
    expect(s.member).toMatchObject({ points: 0, paidOrderCount: 0 })
    expect(s.ledger.map((l: any) => l._id)).toContain(`refund:${no}:1`)
    expect(await stored(app, no)).toMatchObject({ status: 'refunded', refund: { state: 'succeeded', attempt: 1 } })
  })
})

describe('a failed refund of a friend’s qualifying order', () => {
  it('gives the inviter’s reward back too, once', async () => {
    await paidOrder('o-rc-host', 1000)
    const hostNo = (await app.ok('member', 'card', {}, 'o-rc-host')).member!.memberNo
    expect((await app.call('member', 'bindInviter', { inviter: hostNo }, 'o-rc-guest')).ok).toBe(true)
    const no = await paidOrder('o-rc-guest', 5000)
    const rewarded = (await expectBalanced('o-rc-host')).member.points
    expect(rewarded).toBeGreaterThan(10)

    await app.ok('admin', 'orders.refund', { outTradeNo: no }, BOSS)
    await untilWechat(app, no, refundAcknowledged())
    expect((await expectBalanced('o-rc-host')).member.points).toBe(10)
    expect((await app.db.collection(COLLECTIONS.referrals).doc('o-rc-guest').get()).data).toMatchObject({ status: 'bound', refundedOrder: no })

    await post(`${app.lc.url}/pay/refunds/R${no}/fail`, {})
    await untilWechat(app, no, refundAcknowledged())
    const host = await expectBalanced('o-rc-host')
    expect(host.member.points).toBe(rewarded)
    expect(host.ledger.map((l: any) => l._id)).toContain(`referral-restore:o-rc-guest:${no}:0`)
    expect((await app.db.collection(COLLECTIONS.referrals).doc('o-rc-guest').get()).data).toMatchObject({ status: 'rewarded', rewardOrder: no, points: rewarded - 10 })
    expect((await expectBalanced('o-rc-guest')).member).toMatchObject({ points: 50, paidOrderCount: 1 })
    // Replayed: nothing more.
    await post(`${app.lc.url}/pay/refunds/R${no}/succeed`, {})
    expect((await expectBalanced('o-rc-host')).member.points).toBe(rewarded)
  })
})
