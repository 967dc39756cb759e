import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { list } from './db-util'
import type { CouponClaimDoc, CouponTemplateDoc, CouponVerificationDoc } from './coupon-docs'
import type { OrderDoc, StoreDoc } from './documents'
import type { DayCounterDoc } from './day-counters'
import { storeScopes, type OrderFactDoc, type TpVisitDoc } from './touchpoints'
import { COUNTER_FIELDS, type CounterField } from '../../miniprogram/shared/touchpoint-rules'

/**
 * The reconciliation of the day counters: one China day recounted from the facts — order facts
 * (payments and their refunds), visits, claims, verifications — and compared with what the
 * counters hold. Plays and prizes are the games area's facts and are not recounted here.
 */
export const RECOUNTED_FIELDS: readonly CounterField[] = COUNTER_FIELDS.filter((f) => f !== 'plays' && f !== 'prizes')

const PAGE = 1000

async function every<T>(db: Database, collection: string, where: Record<string, unknown>): Promise<T[]> {
  const out: T[] = []
  for (let skip = 0; ; skip += PAGE) {
    const rows = await list<T>(db.collection(collection).where(where).skip(skip).limit(PAGE))
    out.push(...rows)
    if (rows.length < PAGE) return out
  }
}

/** The UTC instants a China day ('YYYYMMDD') spans: [start, end). */
export function chinaDayBounds(day: string): { start: Date; end: Date } {
  const start = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8))) - 8 * 3_600_000
  return { start: new Date(start), end: new Date(start + 86_400_000) }
}

export interface CounterDifference {
  scope: string
  field: CounterField
  counted: number
  recounted: number
}

export interface RecountReport {
  date: string
  differences: CounterDifference[]
  scopes: number
  orderFacts: number
  /** Orders paid that day without a fact (paid before the counters existed, or a lost effect), at most 20. */
  ordersWithoutFact: string[]
}

type Tally = Map<string, Partial<Record<CounterField, number>>>

function bump(tally: Tally, scopes: readonly string[], field: CounterField, by: number): void {
  for (const scope of scopes) {
    const row = tally.get(scope) ?? {}
    row[field] = (row[field] ?? 0) + by
    tally.set(scope, row)
  }
}

/** Recounts `day` (nothing is written) and lists every counter that differs. */
export async function recountDay(db: Database, day: string): Promise<RecountReport> {
  const _ = db.command
  const { start, end } = chinaDayBounds(day)
  const [facts, visits, claims, verifications, stores, counters, orders] = await Promise.all([
    every<OrderFactDoc>(db, COLLECTIONS.orderFacts, { paidDay: day }),
    every<TpVisitDoc>(db, COLLECTIONS.tpVisits, { day }),
    every<CouponClaimDoc>(db, COLLECTIONS.couponClaims, { kind: 'total', createdAt: _.gte(start).and(_.lt(end)) }),
    every<CouponVerificationDoc>(db, COLLECTIONS.couponVerifications, { status: 'done', createdAt: _.gte(start).and(_.lt(end)) }),
    every<StoreDoc>(db, COLLECTIONS.stores, {}),
    every<DayCounterDoc>(db, COLLECTIONS.dayCounters, { day }),
    every<OrderDoc>(db, COLLECTIONS.orders, { status: _.in(['paid', 'refunded']), paidAt: _.gte(start).and(_.lt(end)) }),
  ])
  const brandOf = new Map(stores.map((s) => [s._id, s.subBrandId ?? null]))
  const tally: Tally = new Map()
  const payers = new Map<string, Set<string>>()
  for (const f of facts) {
    const scopes = storeScopes(f.storeId, f.brandId)
    if (f.touchpointId) scopes.push(`tp:${f.touchpointId}`)
    // A refund leaves the member a member.
    if (f.joined) bump(tally, scopes, 'newMembers', 1)
    if (f.state !== 'paid') continue
    bump(tally, scopes, 'salesFen', f.amountFen)
    bump(tally, scopes, 'orders', 1)
    if (f.nth === 1) bump(tally, scopes, 'firstPurchases', 1)
    if (f.nth === 2) bump(tally, scopes, 'secondPurchases', 1)
    if (f.nth > 1) bump(tally, scopes, 'repurchases', 1)
    if (f.referral) bump(tally, scopes, 'referrals', 1)
    for (const scope of scopes) {
      const set = payers.get(scope) ?? new Set<string>()
      set.add(f.memberId)
      payers.set(scope, set)
    }
  }
  for (const [scope, set] of payers) bump(tally, [scope], 'payingMembers', set.size)
  for (const v of visits) bump(tally, [...storeScopes(v.storeId, v.brandId), `tp:${v.touchpointId}`], 'visits', 1)
  const templateIds = [...new Set(claims.map((c) => c.templateId))]
  const templates = templateIds.length
    ? await every<CouponTemplateDoc>(db, COLLECTIONS.couponTemplates, { _id: _.in(templateIds) })
    : []
  const templateStore = new Map(templates.map((t) => [t._id, t.storeId]))
  for (const c of claims) {
    const storeId = templateStore.get(c.templateId) ?? null
    bump(tally, storeScopes(storeId, storeId ? brandOf.get(storeId) : null), 'couponsIssued', 1)
  }
  for (const v of verifications) bump(tally, storeScopes(v.storeId, brandOf.get(v.storeId)), 'couponsVerified', 1)

  // The shards of each scope summed.
  const counted = new Map<string, Record<string, number>>()
  for (const doc of counters) {
    const into = counted.get(doc.scope) ?? {}
    for (const [k, v] of Object.entries(doc.n ?? {})) into[k] = (into[k] ?? 0) + v
    counted.set(doc.scope, into)
  }
  const differences: CounterDifference[] = []
  for (const scope of new Set([...counted.keys(), ...tally.keys()])) {
    const c = counted.get(scope) ?? {}
    const r = tally.get(scope) ?? {}
    for (const field of RECOUNTED_FIELDS) {
      const a = c[field] ?? 0
      const b = r[field] ?? 0
      if (a !== b) differences.push({ scope, field, counted: a, recounted: b })
    }
  }
  const factIds = new Set(facts.map((f) => f._id))
  const ordersWithoutFact = orders.filter((o) => !factIds.has(o._id)).map((o) => o._id).slice(0, 20)
  return { date: `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`, differences, scopes: new Set([...counted.keys(), ...tally.keys()]).size, orderFacts: facts.length, ordersWithoutFact }
}
