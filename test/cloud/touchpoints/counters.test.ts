/**
 * The day counters against the facts: a randomized mix of payments (with concurrent callback
 * replays), refunds (some raced twice), coupon claims, verifications, undos and touchpoint
 * visits, run several at a time; afterwards the counters equal a recount from the documents
 * (the reconciliation action finds no difference, and an independent sum in this test agrees),
 * a tampered counter is reported, and the dashboard shows the same figures to each scope.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { chinaDay } from '../../../cloudfunctions/services/day-counters'
import { dateOfDay } from '../../../miniprogram/shared/touchpoint-rules'
import { all, memberCode, seedCodeSecret, seedOrg, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'

let c: AdminCloud
let org: Org
let brand = ''
let template = ''
const tps: Array<{ id: string; shortId: string }> = []
const today = () => dateOfDay(chinaDay(new Date()))

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  await seedCodeSecret(c.db)
  brand = (await c.ok(org.owner, 'subBrands.create', { name: '拾光咖啡' })).subBrand.id
  await c.ok(org.owner, 'stores.assign', { storeId: org.storeA, subBrandId: brand, regionId: null })
  const made = await c.ok(org.owner, 'couponTemplates.create', { storeId: null, title: '总部券', value: { type: 'cash', valueFen: 300 }, validity: { kind: 'relative', days: 30 }, stock: 500, perMemberLimit: 20 })
  template = made.template.id
  await c.ok(org.owner, 'couponTemplates.setStatus', { templateId: template, to: 'active' })
  for (const [storeId, name] of [[org.storeA, '徐汇桌牌'], [org.storeB, '静安海报'], [null, '总部线上']] as const) {
    const tp = await c.ok(org.owner, 'touchpoints.create', { storeId, name, kind: 'poster', costFen: 5000, target: storeId ? { kind: 'pay' } : { kind: 'home' } })
    tps.push(tp.touchpoint)
  }
}, 180_000)
afterAll(async () => {
  await c?.stop()
})

/** A small seeded generator, so a failing mix can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A refund as staff would press it: contention on the day's shared counter documents (every
 * payment writes them) can exhaust a transaction's retries, answered INTERNAL (「系统繁忙」)
 * with nothing changed; the person presses again.
 */
async function refundUntilDone(by: string, outTradeNo: string): Promise<string> {
  // Its callback may still be due for redelivery: refund a paid order.
  for (let i = 0; i < 100 && (await all(c.db, COLLECTIONS.orders, { _id: outTradeNo }))[0]?.status === 'created'; i += 1) await sleep(300)
  for (let attempt = 1; ; attempt += 1) {
    const res = await c.admin(by, 'orders.refund', { outTradeNo })
    if (res.ok) return res.data.status
    if (attempt >= 10 || res.code !== 'INTERNAL') return `${res.code} ${res.message}`
    await sleep(200 * attempt)
  }
}

/** Waits until WeChat Pay's redeliveries captured every order (a callback answered errcode 1 under contention is delivered again). */
async function allCaptured(): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if ((await all(c.db, COLLECTIONS.orders, { status: 'created' })).length === 0) return
    await sleep(300)
  }
  throw new Error('orders still not captured')
}

const PEOPLE = Array.from({ length: 8 }, (_, i) => `o-mix-${i}`)

describe('day counters', () => {
  it('equal a recount from the facts after a randomized concurrent mix, and the dashboard agrees', async () => {
    const seed = Number(process.env.COUNTER_SEED ?? 20261202)
    const rand = rng(seed)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]
    const paid: Array<{ outTradeNo: string; storeId: string }> = []
    const claimed: string[] = []
    const verified: Array<{ id: string; storeId: string }> = []
    let seq = 0

    const ops: Array<() => Promise<void>> = []
    for (let i = 0; i < 60; i += 1) {
      const r = rand()
      if (r < 0.4) {
        const who = pick(PEOPLE)
        const storeId = rand() < 0.6 ? org.storeA : org.storeB
        const amountFen = 100 + Math.floor(rand() * 5000)
        const times = 1 + Math.floor(rand() * 3)
        ops.push(async () => {
          const o = await c.invoke('member', 'createOrder', { storeId, amountFen }, who)
          if (!o.ok) throw new Error(`createOrder ${o.code}`)
          await c.pay(o.data.outTradeNo, { times, concurrent: true })
          paid.push({ outTradeNo: o.data.outTradeNo, storeId })
        })
      } else if (r < 0.52) {
        const twice = rand() < 0.5
        ops.push(async () => {
          const order = paid.shift()
          if (!order) return
          const by = order.storeId === org.storeA ? org.manager : org.owner
          const runs = await Promise.all(Array.from({ length: twice ? 2 : 1 }, () => refundUntilDone(by, order.outTradeNo)))
          for (const res of runs) expect(res).toBe('refunded')
        })
      } else if (r < 0.68) {
        const who = pick(PEOPLE)
        ops.push(async () => {
          const res = await c.invoke('member', 'claimCoupon', { templateId: template }, who)
          if (res.ok) claimed.push(who)
        })
      } else if (r < 0.8) {
        const storeId = rand() < 0.5 ? org.storeA : org.storeB
        ops.push(async () => {
          const who = claimed.shift()
          if (!who) return
          const member = (await all(c.db, COLLECTIONS.members, { openid: who }))[0]
          if (!member) return
          const found = await c.ok(org.owner, 'coupons.lookup', { storeId, code: memberCode(member.memberNo) })
          const coupon = found.coupons.find((x: { ticket?: string; state?: string }) => x.ticket)
          if (!coupon) return
          const requestId = `mix-verify-${(seq += 1)}`
          // The same verification submitted twice at once records once.
          const [a] = await Promise.all([0, 1].map(() => c.admin(org.owner, 'coupons.verify', { storeId, ticket: coupon.ticket, requestId })))
          if (a.ok) verified.push({ id: a.data.verification.id, storeId })
        })
      } else if (r < 0.86) {
        ops.push(async () => {
          const v = verified.shift()
          if (v) await c.admin(org.owner, 'coupons.undo', { verificationId: v.id })
        })
      } else {
        const who = rand() < 0.5 ? pick(PEOPLE) : `o-mix-visitor-${Math.floor(rand() * 5)}`
        const tp = pick(tps)
        ops.push(async () => {
          await Promise.all([0, 1].map(() => c.invoke('member', 'touchpointOpen', { shortId: tp.shortId }, who)))
        })
      }
    }
    // Four at a time.
    let next = 0
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < ops.length) await ops[next++]()
      }),
    )

    await allCaptured()
    const report = await c.ok(org.owner, 'counters.reconcile', { date: today() })
    expect({ seed, differences: report.differences }).toEqual({ seed, differences: [] })
    expect(report.ordersWithoutFact).toEqual([])

    // An independent sum from the orders and verifications themselves.
    const orders = await all(c.db, COLLECTIONS.orders, { status: 'paid' })
    // A scope's day is spread over shards: summed here.
    const counter = async (scope: string) => {
      const sums: Record<string, number> = {}
      for (const doc of await all(c.db, COLLECTIONS.dayCounters, { scope, day: chinaDay(new Date()) })) {
        for (const [k, v] of Object.entries(doc.n as Record<string, number>)) sums[k] = (sums[k] ?? 0) + v
      }
      return sums
    }
    const sum = (xs: Array<{ amountFen: number }>) => xs.reduce((s, o) => s + o.amountFen, 0)
    const allCounter = await counter('all')
    expect(allCounter.salesFen ?? 0).toBe(sum(orders))
    expect(allCounter.orders ?? 0).toBe(orders.length)
    expect(allCounter.payingMembers ?? 0).toBe(new Set(orders.map((o) => o.memberId)).size)
    expect(allCounter.newMembers ?? 0).toBe((await all(c.db, COLLECTIONS.members)).length)
    const inA = orders.filter((o) => o.storeId === org.storeA)
    expect((await counter(`store:${org.storeA}`)).salesFen ?? 0).toBe(sum(inA))
    expect((await counter(`brand:${brand}`)).salesFen ?? 0).toBe(sum(inA))
    const done = await all(c.db, COLLECTIONS.couponVerifications, { status: 'done' })
    expect(allCounter.couponsVerified ?? 0).toBe(done.length)
    expect(allCounter.couponsIssued ?? 0).toBe((await all(c.db, COLLECTIONS.coupons, { templateId: template })).length)
    expect(allCounter.visits ?? 0).toBe((await all(c.db, COLLECTIONS.tpVisits)).length)

    // The dashboard reads the same counters: HQ all, a manager their store.
    const hq = (await c.ok(org.hq, 'dashboard.get', { period: 1 })).dashboard
    const metric = (d: { metrics: Array<{ key: string; value: number }> }, key: string) => d.metrics.find((m) => m.key === key)?.value
    expect(metric(hq, 'salesFen')).toBe(sum(orders))
    expect(metric(hq, 'orders')).toBe(orders.length)
    expect(metric(hq, 'couponsVerified')).toBe(done.length)
    expect(hq.byStore.find((s: { storeId: string }) => s.storeId === org.storeA)?.salesFen).toBe(sum(inA))
    const mine = (await c.ok(org.manager, 'dashboard.get', { period: 7 })).dashboard
    expect(metric(mine, 'salesFen')).toBe(sum(inA))
    expect(mine.byStore.map((s: { storeId: string }) => s.storeId)).toEqual([org.storeA])
    expect(mine.salesByDay).toHaveLength(7)
    expect(mine.salesByDay[6].salesFen).toBe(sum(inA))
    // Nothing before today: the change against the previous period is null, never a division by zero.
    expect(mine.metrics.every((m: { change: number | null; previous: number }) => m.previous !== 0 || m.change === null)).toBe(true)
    const brandView = (await c.ok(org.owner, 'dashboard.get', { period: 30, subBrandId: brand })).dashboard
    expect(metric(brandView, 'salesFen')).toBe(sum(inA))
    expect(await c.admin(org.manager, 'dashboard.get', { period: 7, storeId: org.storeB })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.manager, 'dashboard.get', { period: 5 })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await c.admin(org.clerk, 'dashboard.get', { period: 7 })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  }, 300_000)

  it('reports a counter that drifted from the facts', async () => {
    const shards = await all(c.db, COLLECTIONS.dayCounters, { scope: `store:${org.storeB}`, day: chinaDay(new Date()) })
    expect(shards.length).toBeGreaterThan(0)
    const total = shards.reduce((s, d) => s + (d.n.salesFen ?? 0), 0)
    await c.db.collection(COLLECTIONS.dayCounters).doc(shards[0]._id).update({ data: { 'n.salesFen': (shards[0].n.salesFen ?? 0) + 7 } })
    const report = await c.ok(org.owner, 'counters.reconcile', { date: today() })
    expect(report.differences).toEqual([{ scope: `store:${org.storeB}`, field: 'salesFen', counted: total + 7, recounted: total }])
    expect(await c.admin(org.owner, 'counters.reconcile', { date: '2999-01-01' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await c.admin(org.manager, 'counters.reconcile', { date: today() })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })
})
