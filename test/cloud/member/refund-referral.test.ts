/**
 * Refunding the friend's qualifying payment takes the inviter's reward back (ledger line, never
 * below zero) and un-counts the purchase; the friend's next payment qualifies again, once.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { addStore, memberState, startAppCloud, type AppCloud } from '../support/app-cloud'

let app: AppCloud
beforeAll(async () => {
  app = await startAppCloud()
  await addStore(app.db, 'store-1')
  await app.db.collection(COLLECTIONS.staff).add({ data: { _id: 'o-boss', openid: 'o-boss', name: '老板', role: 'owner', storeIds: [], invitedBy: null, createdAt: new Date() } })
})
afterAll(() => app.stop())

async function payAs(openid: string, amountFen: number): Promise<string> {
  const res = await app.call('member', 'createOrder', { storeId: 'store-1', amountFen }, openid)
  await app.pay(res.data.outTradeNo)
  return res.data.outTradeNo
}

it('takes the referral reward back with the refunded qualifying order, and re-qualifies the next payment', async () => {
  await payAs('o-host', 1000)
  const hostNo = (await app.call('member', 'card', {}, 'o-host')).data.member!.memberNo
  expect((await app.call('member', 'bindInviter', { inviter: hostNo }, 'o-guest')).ok).toBe(true)
  const first = await payAs('o-guest', 5000)
  expect((await memberState(app.db, 'o-host')).member.points).toBe(210)

  const refund = await app.call('admin', 'orders.refund', { outTradeNo: first }, 'o-boss')
  expect(refund).toMatchObject({ ok: true, data: { status: 'refunded', pointsReversed: 50 } })
  const host = await memberState(app.db, 'o-host')
  expect(host.member.points).toBe(10)
  expect(host.ledgerSum).toBe(10)
  expect(host.ledger.map((l: { _id: string }) => l._id)).toContain(`referral-refund:o-guest:${first}`)
  const guest = await memberState(app.db, 'o-guest')
  expect(guest.member).toMatchObject({ points: 0, paidOrderCount: 0, visitCount: 0, totalSpentFen: 0 })
  expect((await app.db.collection(COLLECTIONS.referrals).doc('o-guest').get()).data).toMatchObject({ status: 'bound', points: 0 })
  expect((await app.call('member', 'inviteSummary', {}, 'o-host')).data).toMatchObject({ invitedCount: 1, rewardedCount: 0, pointsEarned: 0 })

  // The friend comes back and really pays: the inviter is rewarded again, once.
  await payAs('o-guest', 3000)
  await payAs('o-guest', 3000)
  const after = await memberState(app.db, 'o-host')
  expect(after.member.points).toBe(210)
  expect(after.ledgerSum).toBe(210)
  expect((await app.call('member', 'inviteSummary', {}, 'o-host')).data).toMatchObject({ rewardedCount: 1, pointsEarned: 200 })
})

it('an inviter who already spent the reward keeps a zero balance and records the debt', async () => {
  await payAs('o-host-2', 1000)
  const hostNo = (await app.call('member', 'card', {}, 'o-host-2')).data.member!.memberNo
  await app.call('member', 'bindInviter', { inviter: hostNo }, 'o-guest-2')
  const order = await payAs('o-guest-2', 5000)
  // The host spent most of the reward meanwhile (an adjustment line, so the ledger still adds up).
  await app.db.collection(COLLECTIONS.members).doc('m_o-host-2').update({ data: { points: 30 } })
  await app.db.collection(COLLECTIONS.pointsLedger).add({ data: { _id: 'adjust:test', memberId: 'm_o-host-2', delta: -180, debtDelta: 0, balanceAfter: 30, kind: 'adjust', title: '测试扣减', createdAt: new Date() } })
  expect((await app.call('admin', 'orders.refund', { outTradeNo: order }, 'o-boss')).ok).toBe(true)
  const host = await memberState(app.db, 'o-host-2')
  expect(host.member.points).toBe(0)
  expect(host.member.pointsDebt).toBe(170)
  expect(host.member.points).toBe(host.ledgerSum)
  expect(host.member.pointsDebt).toBe(host.debtSum)
})
