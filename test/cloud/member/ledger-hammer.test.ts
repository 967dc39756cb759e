/**
 * One member hammered with concurrent credits (payments, replayed callbacks) and debits (refunds,
 * some repeated): afterwards the balance equals the sum of the ledger, the debt equals the sum of
 * the debt column, nothing went below zero, and every cause appears once.
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

async function paidOrder(amountFen: number): Promise<string> {
  const res = await app.call('member', 'createOrder', { storeId: 'store-1', amountFen }, 'o-hammered')
  await app.pay(res.data.outTradeNo)
  return res.data.outTradeNo
}

it('keeps balance = sum of ledger under concurrent credits and debits', async () => {
  const early = await Promise.all([5000, 7000, 9000, 11000].map(paidOrder))
  const newOrders = await Promise.all(
    [1200, 3400, 5600, 7800, 9900, 4300].map(async (fen) => (await app.call('member', 'createOrder', { storeId: 'store-1', amountFen: fen }, 'o-hammered')).data.outTradeNo),
  )
  const refund = (no: string) => app.call('admin', 'orders.refund', { outTradeNo: no }, 'o-boss')
  const results = await Promise.all([
    ...newOrders.map((no) => app.pay(no, { times: 3, concurrent: true })),
    ...early.map(refund),
    ...early.slice(0, 2).map(refund), // refunded twice at once: reversed once
  ])
  expect(results).toHaveLength(newOrders.length + early.length + 2)
  // Whatever lost its retries in the burst is delivered (callbacks) or tapped (refunds) again.
  for (const no of newOrders) expect((await app.pay(no))[0].errcode).toBe(0)
  for (const no of early) expect((await refund(no)).ok).toBe(true)

  const s = await memberState(app.db, 'o-hammered')
  expect(s.member.points).toBe(s.ledgerSum)
  expect(s.member.pointsDebt).toBe(s.debtSum)
  expect(s.member.points).toBeGreaterThanOrEqual(0)
  const causes = s.ledger.map((l: { _id: string }) => l._id)
  expect(new Set(causes).size).toBe(causes.length)
  expect(causes.filter((c: string) => c.startsWith('refund:'))).toHaveLength(early.length)
  expect(causes.filter((c: string) => c.startsWith('purchase:'))).toHaveLength(early.length + newOrders.length)
  const orders = (await app.db.collection(COLLECTIONS.orders).where({ openid: 'o-hammered' }).get()).data as { status: string }[]
  expect(orders.filter((o) => o.status === 'refunded')).toHaveLength(early.length)
  expect(orders.filter((o) => o.status === 'paid')).toHaveLength(newOrders.length)
})
