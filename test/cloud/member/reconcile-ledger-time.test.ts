/**
 * Ledger lines take their time inside the capture's transaction, after the member's last write:
 * with many concurrent captures (and refunds) for one member, the ledger sorted by createdAt
 * reads as the balance moved — each line's balanceAfter is the running sum of the deltas up to
 * it. With the time taken before the transaction (as before), concurrent invocations commit in
 * another order than their clocks read, and the sorted ledger jumps.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { addStore, memberState, startAppCloud, type AppCloud } from '../support/app-cloud'
import { placeOrder } from './reconcile-support'

const OPENID = 'o-rc-ledger-time'
const BOSS = 'o-rc-time-boss'
let app: AppCloud
beforeAll(async () => {
  app = await startAppCloud()
  await addStore(app.db, 'store-rc', '徐汇店')
  await app.db.collection(COLLECTIONS.staff).add({ data: { _id: BOSS, openid: BOSS, name: '老板', role: 'owner', storeIds: [], invitedBy: null, createdAt: new Date() } })
})
afterAll(() => app.stop())

function expectRunningSum(ledger: any[]) {
  const sorted = [...ledger].sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime())
  const times = sorted.map((l) => new Date(l.createdAt).getTime())
  // Strictly increasing: no two lines of one member share a millisecond, so the order is not a tie-break.
  for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1])
  let sum = 0
  for (const line of sorted) {
    sum += line.delta
    expect({ cause: line._id, balanceAfter: line.balanceAfter }).toEqual({ cause: line._id, balanceAfter: sum })
  }
}

it('sorted by createdAt, balanceAfter follows the running sum under 24 concurrent captures and 6 refunds', async () => {
  const amounts = Array.from({ length: 24 }, (_, i) => 1000 + i * 137)
  const orders = await Promise.all(amounts.map((fen) => placeOrder(app, OPENID, fen)))
  // Every callback at once (each delivered twice), as WeChat may.
  await Promise.all(orders.map((no) => app.pay(no, { times: 2, concurrent: true })))
  // Whatever lost its retries in the burst is delivered again.
  for (const no of orders) expect((await app.pay(no))[0].errcode).toBe(0)
  let s = await memberState(app.db, OPENID)
  expect(s.ledger).toHaveLength(24)
  expect(s.member.points).toBe(s.ledgerSum)
  expectRunningSum(s.ledger)

  // Refunds and new captures interleaved.
  const more = await Promise.all([2200, 3300, 4400].map((fen) => placeOrder(app, OPENID, fen)))
  await Promise.all([
    ...orders.slice(0, 6).map((no) => app.call('admin', 'orders.refund', { outTradeNo: no }, BOSS)),
    ...more.map((no) => app.pay(no, { times: 2, concurrent: true })),
  ])
  for (const no of orders.slice(0, 6)) expect((await app.call('admin', 'orders.refund', { outTradeNo: no }, BOSS)).ok).toBe(true)
  for (const no of more) expect((await app.pay(no))[0].errcode).toBe(0)
  s = await memberState(app.db, OPENID)
  expect(s.ledger).toHaveLength(24 + 6 + 3)
  expect(s.member.points).toBe(s.ledgerSum)
  expectRunningSum(s.ledger)
})
