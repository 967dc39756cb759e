import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { getDoc, runTransaction, txGet, type Transaction } from './db-util'
import { memberIdOf, type MemberDoc, type StoreDoc } from './documents'
import { bumpCounters, chinaDay, type CounterScope } from './day-counters'
import type { CaptureEffect, ReversalEffect } from './capture-effects'
import {
  DEFAULT_COMMISSION_RULES,
  TARGET_PAGES,
  TAB_PAGES,
  type CommissionRules,
  type CounterField,
  type TouchpointKind,
  type TouchpointTarget,
} from '../../miniprogram/shared/touchpoint-rules'

/**
 * Touchpoints (渠道码): a visit through one is recorded once per person per touchpoint per China
 * day, the first one a not-yet-member opens becomes their source (first touch), and the payments
 * of that person within the attribution window are attributed to it — all decided on the server
 * from documents, never from what the client says. Every payment also leaves one order fact,
 * the record the day counters, the touchpoint report and the commission settlement are built on.
 */
export interface TouchpointDoc {
  _id: string
  /** 8 characters, the code's scene (`tp=<shortId>`): unique. */
  shortId: string
  name: string
  kind: TouchpointKind
  /** null: HQ's. */
  storeId: string | null
  costFen: number
  target: TouchpointTarget
  /** A staff badge's clerk (导购): their attributed sales earn the clerk's commission. */
  clerkOpenid: string | null
  status: 'active' | 'archived'
  createdBy: string
  createdAt: Date
  updatedAt: Date
}

/** `<touchpointId>|<day>|<openid>`: one visit per person per touchpoint per China day. */
export interface TpVisitDoc {
  _id: string
  touchpointId: string
  openid: string
  day: string
  storeId: string | null
  /** The store's sub-brand at the time of the visit. */
  brandId: string | null
  at: Date
}

/** The person's first touch, keyed by openid, written only while they are not yet a member. */
export interface TpSourceDoc {
  _id: string
  openid: string
  touchpointId: string
  storeId: string | null
  clerkOpenid: string | null
  firstAt: Date
}

/**
 * One per captured order (_id = outTradeNo), written in the capture's transaction: what the
 * counters counted, so a refund takes back exactly that and a reconciliation can recount it.
 */
export interface OrderFactDoc {
  _id: string
  memberId: string
  openid: string
  storeId: string
  /** The store's sub-brand at the time of the payment. */
  brandId: string | null
  channel: 'wxpay' | 'cashier'
  amountFen: number
  paidAt: Date
  paidDay: string
  /** The member's paid orders after this one (1 = first purchase, 2 = second). */
  nth: number
  joined: boolean
  /** A first payment of an invited member (a referral conversion). */
  referral: boolean
  /** The attributed touchpoint ('' = none) and its badge clerk. */
  touchpointId: string
  badgeClerkOpenid: string | null
  /** The store where the member first joined (for a store's brought-in members' sales). */
  memberFirstStoreId: string
  state: 'paid' | 'refunded'
  refundedAt: Date | null
  refundDay: string | null
  updatedAt: Date
}

/**
 * `<memberId>|<day>|<scope>`: the member's paid orders that day in that scope (the first makes
 * them a paying member of the scope that day; a member paying in two stores counts once in each
 * store and once overall).
 */
export interface PayDayDoc {
  _id: string
  memberId: string
  day: string
  scope: string
  count: number
}

export interface TpSettingsDoc extends CommissionRules {
  _id: string
  updatedAt: Date
}

export const TP_SETTINGS_ID = 'default'

export async function loadCommissionRules(db: Database): Promise<CommissionRules> {
  const doc = await getDoc<TpSettingsDoc>(db, COLLECTIONS.tpSettings, TP_SETTINGS_ID)
  return rulesOf(doc)
}

function rulesOf(doc: TpSettingsDoc | null): CommissionRules {
  if (!doc) return { ...DEFAULT_COMMISSION_RULES }
  return {
    storeBp: doc.storeBp ?? 0,
    couponFeeFen: doc.couponFeeFen ?? 0,
    clerkBp: doc.clerkBp ?? 0,
    includeBroughtIn: doc.includeBroughtIn ?? false,
    attributionDays: doc.attributionDays ?? DEFAULT_COMMISSION_RULES.attributionDays,
  }
}

/** The scopes a fact at `storeId` counts in: everything, the store, and its sub-brand. */
export function storeScopes(storeId: string | null, brandId: string | null | undefined): CounterScope[] {
  const scopes: CounterScope[] = ['all']
  if (storeId) scopes.push(`store:${storeId}`)
  if (brandId) scopes.push(`brand:${brandId}`)
  return scopes
}

async function brandOf(t: Transaction, storeId: string | null): Promise<string | null> {
  if (!storeId) return null
  const store = await txGet<StoreDoc>(t, COLLECTIONS.stores, storeId)
  return store?.subBrandId ?? null
}

/** Where a touchpoint's landing page sends the visitor. */
export function targetOf(tp: TouchpointDoc, couponShortId: string | null): { page: string; query: Record<string, string>; tab: boolean } {
  const page = TARGET_PAGES[tp.target.kind]
  const query: Record<string, string> = {}
  if (tp.target.kind === 'pay') {
    if (tp.storeId) query.storeId = tp.storeId
    query.touchpoint = tp._id
  } else if (tp.target.kind === 'coupon' && couponShortId) query.t = couponShortId
  else if (tp.target.kind === 'game') query.id = tp.target.gameId
  return { page, query, tab: TAB_PAGES.includes(page) }
}

export type VisitOutcome = { counted: boolean; source: boolean }

/**
 * Records a visit: the visit document's id makes it once per person per touchpoint per day
 * (a concurrent second open collides on it and counts nothing); the counters move in the same
 * transaction; a person who is not a member yet and has no source gets this one (first touch).
 */
export async function recordVisit(db: Database, tp: TouchpointDoc, openid: string, now: Date): Promise<VisitOutcome> {
  const day = chinaDay(now)
  const visitId = `${tp._id}|${day}|${openid}`
  // The common repeat (the same person again today) costs one read, no transaction.
  if (await getDoc<TpVisitDoc>(db, COLLECTIONS.tpVisits, visitId)) return { counted: false, source: false }
  try {
    return await runTransaction(db, async (t) => {
      if (await txGet<TpVisitDoc>(t, COLLECTIONS.tpVisits, visitId)) return { counted: false, source: false }
      const brandId = await brandOf(t, tp.storeId)
      const visit: Omit<TpVisitDoc, '_id'> = { touchpointId: tp._id, openid, day, storeId: tp.storeId, brandId, at: now }
      await t.collection(COLLECTIONS.tpVisits).doc(visitId).set({ data: visit })
      await bumpCounters(t, [...storeScopes(tp.storeId, brandId), `tp:${tp._id}`], now, { visits: 1 })
      let source = false
      const member = await txGet<MemberDoc>(t, COLLECTIONS.members, memberIdOf(openid))
      if (!member && !(await txGet<TpSourceDoc>(t, COLLECTIONS.tpSources, openid))) {
        const doc: Omit<TpSourceDoc, '_id'> = { openid, touchpointId: tp._id, storeId: tp.storeId, clerkOpenid: tp.clerkOpenid, firstAt: now }
        await t.collection(COLLECTIONS.tpSources).doc(openid).set({ data: doc })
        source = true
      }
      return { counted: true, source }
    })
  } catch (e) {
    // A concurrent open of the same visit committed first: already counted.
    if (await getDoc<TpVisitDoc>(db, COLLECTIONS.tpVisits, visitId)) return { counted: false, source: false }
    throw e
  }
}

type Deltas = Partial<Record<CounterField, number>>

function factDeltas(fact: OrderFactDoc, sign: 1 | -1, withJoin: boolean): Deltas {
  return {
    salesFen: sign * fact.amountFen,
    orders: sign,
    newMembers: withJoin && fact.joined ? sign : 0,
    firstPurchases: fact.nth === 1 ? sign : 0,
    secondPurchases: fact.nth === 2 ? sign : 0,
    repurchases: fact.nth > 1 ? sign : 0,
    referrals: fact.referral ? sign : 0,
  }
}

function scopesOf(fact: OrderFactDoc): CounterScope[] {
  const scopes = storeScopes(fact.storeId, fact.brandId)
  if (fact.touchpointId) scopes.push(`tp:${fact.touchpointId}`)
  return scopes
}

/**
 * Moves the order's counts (by = 1 capture or restore, -1 refund) on the day it was paid, so a
 * refund takes back from the same day; a scope's paying members move when the member's first
 * order of the day there comes or its last one goes.
 */
async function moveFact(t: Transaction, fact: OrderFactDoc, by: 1 | -1, withJoin: boolean): Promise<void> {
  const scopes = scopesOf(fact)
  const turned = new Set<CounterScope>()
  for (const scope of scopes) {
    const id = `${fact.memberId}|${fact.paidDay}|${scope}`
    const doc = await txGet<PayDayDoc>(t, COLLECTIONS.payDays, id)
    const before = doc?.count ?? 0
    const after = Math.max(0, before + by)
    if (doc) await t.collection(COLLECTIONS.payDays).doc(id).update({ data: { count: after } })
    else await t.collection(COLLECTIONS.payDays).doc(id).set({ data: { memberId: fact.memberId, day: fact.paidDay, scope, count: after } })
    if (by === 1 ? before === 0 : before > 0 && after === 0) turned.add(scope)
  }
  // Counters last and each written once: the shared day documents are held for the shortest time.
  const deltas = factDeltas(fact, by, withJoin)
  const day = new Date(fact.paidAt)
  const plain = scopes.filter((s) => !turned.has(s))
  if (turned.size > 0) await bumpCounters(t, [...turned], day, { ...deltas, payingMembers: by })
  if (plain.length > 0) await bumpCounters(t, plain, day, deltas)
}

/**
 * The capture effect (services/capture-effects.ts): attribution by first touch within the
 * window, the order fact, the paying-member day and the counters of every scope it counts in.
 * Runs once per new capture, in its transaction.
 */
export const touchpointCaptureEffect: CaptureEffect = async (t, f) => {
  const rules = rulesOf(await txGet<TpSettingsDoc>(t, COLLECTIONS.tpSettings, TP_SETTINGS_ID))
  const source = await txGet<TpSourceDoc>(t, COLLECTIONS.tpSources, f.openid)
  if (f.joined && source && f.member.sourceTouchpoint !== source.touchpointId) {
    // The member created by this payment carries the touchpoint of their first visit, not what the client passed.
    await t.collection(COLLECTIONS.members).doc(f.memberId).update({ data: { sourceTouchpoint: source.touchpointId } })
  }
  const inWindow = source !== null && f.now.getTime() - new Date(source.firstAt).getTime() < rules.attributionDays * 86_400_000
  const day = chinaDay(f.now)
  const fact: OrderFactDoc = {
    _id: f.outTradeNo,
    memberId: f.memberId,
    openid: f.openid,
    storeId: f.storeId,
    brandId: await brandOf(t, f.storeId),
    channel: f.channel,
    amountFen: f.amountFen,
    paidAt: f.now,
    paidDay: day,
    nth: f.member.paidOrderCount,
    joined: f.joined,
    referral: f.firstPayment && !!f.member.referrerOpenid,
    touchpointId: inWindow && source ? source.touchpointId : '',
    badgeClerkOpenid: inWindow && source ? source.clerkOpenid : null,
    memberFirstStoreId: f.member.firstStoreId,
    state: 'paid',
    refundedAt: null,
    refundDay: null,
    updatedAt: f.now,
  }
  const { _id, ...data } = fact
  await t.collection(COLLECTIONS.orderFacts).doc(_id).set({ data })
  await moveFact(t, fact, 1, true)
}

/** The refund's reversal: the order's fact becomes refunded and its counts are taken back from its day (once). */
export const touchpointReversalEffect: ReversalEffect = async (t, r) => {
  const fact = await txGet<OrderFactDoc>(t, COLLECTIONS.orderFacts, r.order._id)
  if (!fact || fact.state !== 'paid') return
  await t.collection(COLLECTIONS.orderFacts).doc(r.order._id).update({ data: { state: 'refunded', refundedAt: r.now, refundDay: chinaDay(r.now), updatedAt: r.now } })
  // The member stays a member: a refund does not un-join them.
  await moveFact(t, fact, -1, false)
}

/** A refund that failed later: the order is paid again, and so are its counts. */
export const touchpointRestoreEffect: ReversalEffect = async (t, r) => {
  const fact = await txGet<OrderFactDoc>(t, COLLECTIONS.orderFacts, r.order._id)
  if (!fact || fact.state !== 'refunded') return
  await t.collection(COLLECTIONS.orderFacts).doc(r.order._id).update({ data: { state: 'paid', refundedAt: null, refundDay: null, updatedAt: r.now } })
  await moveFact(t, fact, 1, false)
}

/** Coupon counters (coupons' claim and verification paths): one call each, inside their transaction. */
export async function countCouponIssued(t: Transaction, templateStoreId: string | null, now: Date, by: 1 | -1 = 1): Promise<void> {
  const brandId = await brandOf(t, templateStoreId)
  await bumpCounters(t, storeScopes(templateStoreId, brandId), now, { couponsIssued: by })
}

export async function countCouponVerified(t: Transaction, storeId: string, verifiedAt: Date, by: 1 | -1 = 1): Promise<void> {
  const brandId = await brandOf(t, storeId)
  await bumpCounters(t, storeScopes(storeId, brandId), verifiedAt, { couponsVerified: by })
}
