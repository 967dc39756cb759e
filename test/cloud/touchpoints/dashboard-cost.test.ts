/**
 * The dashboard's read cost does not grow with the orders: a 30-day dashboard is measured (the
 * database operations the local cloud's engine receives during the call) with 1,000 and with
 * 100,000 orders in the database. The orders, their facts and their day counters are loaded in
 * bulk through the engine (what 100,000 captures would have left), then the dashboard is called
 * for real through the admin function.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { chinaDay, counterDocId, type CounterScope } from '../../../cloudfunctions/services/day-counters'
import { addDays } from '../../../miniprogram/shared/touchpoint-rules'
import { seedOrg, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'

let c: AdminCloud
let org: Org
const tpIds: string[] = []

type Engine = { handle(b: Record<string, unknown>): Promise<Record<string, unknown>> }

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  for (const storeId of [org.storeA, org.storeB]) {
    const tp = await c.ok(org.owner, 'touchpoints.create', { storeId, name: `桌牌${tpIds.length}`, kind: 'tableTent', costFen: 10_000, target: { kind: 'pay' } })
    tpIds.push(tp.touchpoint.id)
  }
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

const int = (n: number) => ({ $numberInt: String(n) })
const date = (d: Date) => ({ $date: { $numberLong: String(d.getTime()) } })

/** What the captures of orders [from, to) leave: orders and facts, and the counters they moved (summed into one shard per scope-day here). */
async function load(from: number, to: number, shard: number): Promise<void> {
  const counters = new Map<string, Record<string, number>>()
  const engine = c.lc.engine as unknown as Engine
  const today = chinaDay(new Date())
  const batch = 1000
  for (let i = from; i < to; i += batch) {
    const orders: string[] = []
    const facts: string[] = []
    for (let j = i; j < Math.min(i + batch, to); j += 1) {
      const day = addDays(today, -(j % 30))
      const paidAt = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)), 4))
      const storeId = j % 3 === 0 ? org.storeB : org.storeA
      const amountFen = 1000 + (j % 50) * 10
      const id = `bulk${String(j).padStart(20, '0')}`
      orders.push(JSON.stringify({ _id: id, outTradeNo: id, openid: `o-bulk-${j % 5000}`, memberId: `m_o-bulk-${j % 5000}`, storeId, amountFen: int(amountFen), status: 'paid', channel: 'wxpay', clerkOpenid: null, touchpoint: '', pointsEarned: int(0), joined: false, transactionId: null, createdAt: date(paidAt), paidAt: date(paidAt), refundedAt: null }))
      const tp = j % 4 === 0 ? tpIds[j % 2] : ''
      facts.push(JSON.stringify({ _id: id, memberId: `m_o-bulk-${j % 5000}`, openid: `o-bulk-${j % 5000}`, storeId, brandId: null, channel: 'wxpay', amountFen: int(amountFen), paidAt: date(paidAt), paidDay: day, nth: int(2), joined: false, referral: false, touchpointId: tp, badgeClerkOpenid: null, memberFirstStoreId: storeId, state: 'paid', refundedAt: null, refundDay: null, updatedAt: date(paidAt) }))
      const scopes: CounterScope[] = ['all', `store:${storeId}`, ...(tp ? [`tp:${tp}` as CounterScope] : [])]
      for (const scope of scopes) {
        const key = `${scope}|${day}`
        const n = counters.get(key) ?? {}
        n.salesFen = (n.salesFen ?? 0) + amountFen
        n.orders = (n.orders ?? 0) + 1
        n.repurchases = (n.repurchases ?? 0) + 1
        counters.set(key, n)
      }
    }
    for (const [collectionName, data] of [[COLLECTIONS.orders, orders], [COLLECTIONS.orderFacts, facts]] as const) {
      const reply = await engine.handle({ action: 'database.insertDocument', collectionName, data })
      if (reply.code) throw new Error(`load ${collectionName}: ${JSON.stringify(reply)}`)
    }
  }
  // The counters as documents: each load's sums in one shard per scope-day (bulk, like the orders).
  const docs = [...counters].map(([key, n]) => {
    const [scope, day] = key.split('|') as [CounterScope, string]
    const sums = Object.fromEntries(Object.entries(n).map(([k, v]) => [k, int(v)]))
    return JSON.stringify({ _id: counterDocId(scope, day, shard), scope, day, shard: int(shard), n: sums, updatedAt: date(new Date()) })
  })
  const reply = await engine.handle({ action: 'database.insertDocument', collectionName: COLLECTIONS.dayCounters, data: docs })
  if (reply.code) throw new Error(`load counters: ${JSON.stringify(reply)}`)
}

/** The database operations one call makes, by kind. */
async function dbOps(call: () => Promise<unknown>): Promise<Record<string, number>> {
  const engine = c.lc.engine as unknown as Engine
  const original = engine.handle.bind(engine)
  const counts: Record<string, number> = {}
  engine.handle = async (b) => {
    const action = String(b.action)
    counts[action] = (counts[action] ?? 0) + 1
    return original(b)
  }
  try {
    await call()
  } finally {
    engine.handle = original
  }
  return counts
}

describe('dashboard read cost', () => {
  it('is the same for a 30-day dashboard with 1,000 and with 100,000 orders', async () => {
    await load(0, 1000, 0)
    const small = await dbOps(() => c.ok(org.hq, 'dashboard.get', { period: 30 }))
    const d1 = (await c.ok(org.hq, 'dashboard.get', { period: 30 })).dashboard
    expect(d1.metrics.find((m: { key: string }) => m.key === 'orders').value).toBe(1000)

    await load(1000, 100_000, 1)
    const large = await dbOps(() => c.ok(org.hq, 'dashboard.get', { period: 30 }))
    const d2 = (await c.ok(org.hq, 'dashboard.get', { period: 30 })).dashboard
    expect(d2.metrics.find((m: { key: string }) => m.key === 'orders').value).toBe(100_000)
    expect(d2.byStore.reduce((s: number, x: { orders: number }) => s + x.orders, 0)).toBe(100_000)

    expect(large).toEqual(small)
    const reads = (ops: Record<string, number>) => Object.entries(ops).filter(([k]) => /get|aggregate|count/i.test(k)).reduce((s, [, v]) => s + v, 0)
    // A handful of queries: the staff check, stores, touchpoints, the headline and the detail counters.
    expect(reads(large)).toBeLessThanOrEqual(12)
    console.log(`[dashboard-cost] 30-day dashboard: ${reads(small)} reads at 1,000 orders, ${reads(large)} at 100,000`)
  }, 600_000)
})
