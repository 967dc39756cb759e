import { randomBytes } from 'node:crypto'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError, type ErrorCode } from '../shared/errors'
import { newCouponNo } from '../domain/coupon-code'
import {
  chinaDate,
  conditionLabel,
  couponDiscount,
  COUPON_STATE_NAMES,
  EXPIRING_SOON_DAYS,
  MAX_COUPONS_PER_ORDER,
  ORDER_COUPON_LOCK_MS,
  stackDiscount,
  validUntilLabel,
  valueLabel,
  type CouponState,
  type CouponView,
  type StackOutcome,
} from '../../miniprogram/shared/coupon-rules'
import { formatYuan } from '../../miniprogram/shared/money'
import { getDoc, list, runTransaction, txGet, withoutId, type Transaction } from './db-util'
import type { CouponRetake, OrderDoc, StoreDoc } from './documents'
import type { CouponDoc, CouponEventDoc, CouponGiftDoc } from './coupon-docs'

/** Coupon state, views and the coupon side of paying (lock, use, release, refund). */

export const DAY_MS = 86_400_000

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null)
const time = (d: Date | string | null | undefined): number => (d ? new Date(d).getTime() : 0)

/** What the coupon is now: expiry and lock release are computed here, on read, from the clock. */
export function couponState(c: CouponDoc, now: Date): CouponState {
  if (c.status === 'used') return 'used'
  if (c.status === 'given') return 'given'
  if (c.status === 'gifting') return 'gifting'
  if (time(c.validUntil) <= now.getTime()) return 'expired'
  if (c.status === 'locked' && time(c.lockExpiresAt) > now.getTime()) return 'locked'
  if (time(c.validFrom) > now.getTime()) return 'notStarted'
  return 'available'
}

export function isExpiringSoon(c: CouponDoc, now: Date): boolean {
  const state = couponState(c, now)
  return (state === 'available' || state === 'notStarted' || state === 'locked') && time(c.validUntil) - now.getTime() <= EXPIRING_SOON_DAYS * DAY_MS
}

/** Store names by id (a merchant has a handful of stores). */
export async function storeNameMap(db: Database): Promise<Map<string, StoreDoc>> {
  const rows = await list<StoreDoc>(db.collection(COLLECTIONS.stores).limit(1000))
  return new Map(rows.map((s) => [s._id, s]))
}

export function namesOf(ids: readonly string[] | null, stores: Map<string, StoreDoc>): string[] {
  return ids ? ids.map((id) => stores.get(id)?.name ?? '').filter(Boolean) : []
}

export function couponView(c: CouponDoc, now: Date, stores: Map<string, StoreDoc>, gift?: CouponGiftDoc | null): CouponView {
  const state = couponState(c, now)
  return {
    id: c._id,
    templateId: c.templateId,
    type: c.terms.value.type,
    title: c.terms.title,
    value: c.terms.value,
    valueLabel: valueLabel(c.terms.value),
    conditionLabel: conditionLabel(c.terms.value),
    state,
    stateName: COUPON_STATE_NAMES[state],
    validFrom: new Date(c.validFrom).toISOString(),
    validUntil: new Date(c.validUntil).toISOString(),
    validUntilLabel: validUntilLabel(new Date(c.validUntil).toISOString()),
    expiringSoon: isExpiringSoon(c, now),
    forwardable: c.terms.forwardable,
    stackable: c.terms.stackable,
    storeIds: c.terms.usableStoreIds,
    storeNames: namesOf(c.terms.usableStoreIds, stores),
    claimedAt: new Date(c.claimedAt).toISOString(),
    usedAt: iso(c.usedAt),
    usedStoreName: c.usedStoreId ? (stores.get(c.usedStoreId)?.name ?? '') : '',
    fromFriend: c.fromGiftId !== null,
    giftToken: state === 'gifting' ? c.giftId : null,
    giftExpiresAt: state === 'gifting' && gift ? new Date(gift.expiresAt).toISOString() : state === 'gifting' ? iso(c.giftExpiresAt) : null,
  }
}

/** 「12-01 10:20」 in China time. */
export function chinaMinute(d: Date | string): string {
  return new Date(new Date(d).getTime() + 8 * 3_600_000).toISOString().slice(5, 16).replace('T', ' ')
}

export interface Refusal {
  code: ErrorCode
  message: string
}

/**
 * Why this coupon cannot be used at `storeId` now (null: it can). `forOrder`: the order asking,
 * whose own lock (or own use, for a replayed submit) does not count against it.
 */
export function useRefusal(c: CouponDoc, now: Date, storeId: string, stores: Map<string, StoreDoc>, forOrder?: string): Refusal | null {
  const state = couponState(c, now)
  if (state === 'used') {
    if (forOrder && c.usedOrder === forOrder) return null
    const where = c.usedStoreId ? (stores.get(c.usedStoreId)?.name ?? '') : ''
    return { code: 'ALREADY_USED', message: `该券已于 ${chinaMinute(c.usedAt ?? now)}${where ? ` 在${where}` : ''}使用` }
  }
  if (state === 'given') return { code: 'COUPON_GIVEN', message: '该券已转赠给好友，原券码已失效' }
  if (state === 'gifting') return { code: 'COUPON_IN_TRANSIT', message: '该券正在转赠中，暂不可使用' }
  if (state === 'expired') return { code: 'EXPIRED', message: `该券已于 ${chinaDate(new Date(time(c.validUntil) - 1))} 过期` }
  if (state === 'locked' && c.lockOrder !== forOrder) return { code: 'COUPON_LOCKED', message: '该券正在另一笔订单中使用，请完成或取消那笔订单' }
  if (state === 'notStarted') return { code: 'NOT_STARTED', message: `该券 ${chinaDate(new Date(c.validFrom))} 起可用` }
  if (c.terms.usableStoreIds && !c.terms.usableStoreIds.includes(storeId)) {
    const names = namesOf(c.terms.usableStoreIds, stores)
    return { code: 'COUPON_WRONG_STORE', message: `该券不适用于本门店${names.length ? `，仅限：${names.join('、')}` : ''}` }
  }
  return null
}

/** What a coupon takes off `amountFen`, or the specific refusal. */
export function priceRefusalOrDiscount(c: CouponDoc, amountFen: number): { discountFen: number; payableFen: number } | Refusal {
  const outcome = couponDiscount(c.terms.value, amountFen)
  if (outcome.ok) return { discountFen: outcome.discountFen, payableFen: outcome.payableFen }
  if (outcome.reason === 'THRESHOLD') return { code: 'COUPON_THRESHOLD', message: `未达到使用门槛：满 ${formatYuan(outcome.thresholdFen)} 可用` }
  if (outcome.reason === 'NOT_MONEY') return { code: 'COUPON_NOT_MONEY', message: '兑换券请到店出示券码核销，不能抵扣付款' }
  return { code: 'COUPON_EXCEEDS_ORDER', message: '券的优惠不能大于或等于订单金额，请调整金额或换一张券' }
}

export function isRefusal(v: unknown): v is Refusal {
  return typeof v === 'object' && v !== null && 'code' in v
}

/** One coupon's share of an order's discount (stacking: several per order). */
export interface CouponLine {
  couponId: string
  discountFen: number
}

export interface CouponPricing {
  /** The first coupon (what single-coupon readers of an order look at). */
  couponId: string
  /** Every coupon on the order, in the order the member chose them. */
  couponIds: string[]
  lines: CouponLine[]
  originalAmountFen: number
  discountFen: number
  payableFen: number
}

/** The coupon fields an order stores: couponId (kept for old readers) and couponIds. */
export type OrderCouponFields = Pick<CouponPricing, 'couponId' | 'couponIds' | 'lines' | 'originalAmountFen' | 'discountFen'>

export function orderCouponFields(p: OrderCouponFields): Pick<OrderDoc, 'couponId' | 'couponIds' | 'couponLines' | 'originalAmountFen' | 'discountFen'> {
  return { couponId: p.couponIds[0] ?? p.couponId, couponIds: p.couponIds, couponLines: p.lines, originalAmountFen: p.originalAmountFen, discountFen: p.discountFen }
}

/**
 * The coupons an order carries: `couponIds` (stacking), or the single `couponId` orders stored
 * before it (the fallback that keeps old orders readable without a data migration).
 */
export function orderCouponIds(order: { couponId?: string | null; couponIds?: string[] | null } | null | undefined): string[] {
  if (!order) return []
  if (order.couponIds && order.couponIds.length > 0) return order.couponIds
  return order.couponId ? [order.couponId] : []
}

const STACK_REFUSALS = {
  NOT_STACKABLE: '该券不能与其他优惠券同时使用：多张券同用时，每一张都须可叠加',
  TOO_MANY: `一笔订单最多同时使用 ${MAX_COUPONS_PER_ORDER} 张优惠券`,
} as const

/** Refusals of a stack as the server words them (the coupon's title names which one). */
function stackRefusal(outcome: Exclude<StackOutcome, { ok: true }>, coupons: CouponDoc[]): Refusal {
  if (outcome.reason === 'TOO_MANY') return { code: 'INVALID_INPUT', message: STACK_REFUSALS.TOO_MANY }
  const title = coupons[outcome.index]?.terms.title ?? ''
  const named = (text: string): string => (coupons.length > 1 && title ? `「${title}」${text}` : text)
  if (outcome.reason === 'NOT_STACKABLE') return { code: 'COUPON_NOT_STACKABLE', message: named(STACK_REFUSALS.NOT_STACKABLE) }
  if (outcome.reason === 'THRESHOLD') return { code: 'COUPON_THRESHOLD', message: named(`未达到使用门槛：满 ${formatYuan(outcome.thresholdFen)} 可用`) }
  if (outcome.reason === 'NOT_MONEY') return { code: 'COUPON_NOT_MONEY', message: named('兑换券请到店出示券码核销，不能抵扣付款') }
  return { code: 'COUPON_EXCEEDS_ORDER', message: named('券的优惠不能大于或等于订单金额，请调整金额或换一张券') }
}

/** Prices held coupon documents together (stackDiscount, shared/coupon-rules.ts). */
export function priceStack(coupons: CouponDoc[], amountFen: number): Omit<CouponPricing, 'couponId'> | Refusal {
  const outcome = stackDiscount(
    coupons.map((c) => ({ value: c.terms.value, stackable: c.terms.stackable })),
    amountFen,
  )
  if (!outcome.ok) return stackRefusal(outcome, coupons)
  return {
    couponIds: coupons.map((c) => c._id),
    lines: coupons.map((c, i) => ({ couponId: c._id, discountFen: outcome.discounts[i] })),
    originalAmountFen: amountFen,
    discountFen: outcome.discountFen,
    payableFen: outcome.payableFen,
  }
}

/**
 * The server's price of `amountFen` with these coupons of this member at `storeId`: refused with
 * the specific code (not theirs = NOT_FOUND, so nobody probes others' coupons). Several coupons
 * only when every one is stackable (stackDiscount says in which order they apply).
 */
export async function priceWithCoupons(
  db: Database,
  now: Date,
  req: { openid: string; couponIds: string[]; storeId: string; amountFen: number; forOrder?: string },
): Promise<CouponPricing> {
  if (req.couponIds.length === 0) throw new Error('priceWithCoupons: no coupon')
  if (new Set(req.couponIds).size !== req.couponIds.length) throw new AppError('INVALID_INPUT', '同一张优惠券不能重复使用')
  if (req.couponIds.length > MAX_COUPONS_PER_ORDER) throw new AppError('INVALID_INPUT', STACK_REFUSALS.TOO_MANY)
  const [coupons, stores] = await Promise.all([Promise.all(req.couponIds.map((id) => getDoc<CouponDoc>(db, COLLECTIONS.coupons, id))), storeNameMap(db)])
  const held: CouponDoc[] = []
  for (const coupon of coupons) {
    if (!coupon || coupon.openid !== req.openid) throw new AppError('NOT_FOUND', '优惠券不存在')
    const refusal = useRefusal(coupon, now, req.storeId, stores, req.forOrder)
    if (refusal) throw new AppError(refusal.code, coupons.length > 1 ? `「${coupon.terms.title}」${refusal.message}` : refusal.message)
    held.push(coupon)
  }
  const priced = priceStack(held, req.amountFen)
  if (isRefusal(priced)) throw new AppError(priced.code, priced.message)
  return { couponId: priced.couponIds[0], ...priced }
}

/** One coupon (the single-coupon callers). */
export function priceWithCoupon(
  db: Database,
  now: Date,
  req: { openid: string; couponId: string; storeId: string; amountFen: number; forOrder?: string },
): Promise<CouponPricing> {
  return priceWithCoupons(db, now, { openid: req.openid, couponIds: [req.couponId], storeId: req.storeId, amountFen: req.amountFen, forOrder: req.forOrder })
}

/**
 * Locks the coupons to `orderId` inside `t`, each from the state it was priced in (a
 * conditional update: two orders racing for a shared coupon, one gets it, the other is told
 * COUPON_LOCKED). `lockMs`: how long the lock lasts by itself.
 */
export async function lockCoupons(t: Transaction, req: { orderId: string; openid: string; storeId: string; couponIds: string[]; lockMs: number }, stores: Map<string, StoreDoc>, now: Date): Promise<void> {
  for (const couponId of req.couponIds) {
    const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, couponId)
    if (!coupon || coupon.openid !== req.openid) throw new AppError('NOT_FOUND', '优惠券不存在')
    const refusal = useRefusal(coupon, now, req.storeId, stores, req.orderId)
    if (refusal) throw new AppError(refusal.code, refusal.message)
    await t.collection(COLLECTIONS.coupons).doc(couponId).update({
      data: { status: 'locked', lockOrder: req.orderId, lockExpiresAt: new Date(now.getTime() + req.lockMs), updatedAt: now },
    })
  }
}

/** After a lost lock transaction: the refusal of the first coupon someone else holds now, if any. */
export async function lockLoss(db: Database, orderId: string, storeId: string, couponIds: string[], stores: Map<string, StoreDoc>): Promise<Refusal | null> {
  for (const couponId of couponIds) {
    const coupon = await getDoc<CouponDoc>(db, COLLECTIONS.coupons, couponId)
    const refusal = coupon && coupon.lockOrder !== orderId ? useRefusal(coupon, new Date(), storeId, stores) : null
    if (refusal) return refusal
  }
  return null
}

/**
 * createOrder with coupons: the order is added and every coupon locked to it in one
 * transaction. The lock lapses by itself after ORDER_COUPON_LOCK_MS, which outlasts the time
 * the order can be paid (ORDER_PAYABLE_MS, told to WeChat as time_expire).
 */
export async function addOrderLockingCoupon(db: Database, order: OrderDoc, now: Date): Promise<void> {
  const couponIds = orderCouponIds(order)
  if (couponIds.length === 0) throw new Error('addOrderLockingCoupon: order without a coupon')
  const stores = await storeNameMap(db)
  try {
    await runTransaction(db, async (t) => {
      await lockCoupons(t, { orderId: order._id, openid: order.openid, storeId: order.storeId, couponIds, lockMs: ORDER_COUPON_LOCK_MS }, stores, now)
      await t.collection(COLLECTIONS.orders).add({ data: order })
    })
  } catch (e) {
    if (e instanceof AppError) throw e
    // The transaction lost to another lock of a coupon (its retries ran out): say so if that is what happened.
    const refusal = await lockLoss(db, order._id, order.storeId, couponIds, stores)
    if (refusal) throw new AppError(refusal.code, refusal.message)
    throw e
  }
}

/**
 * The order-closing path (an unpaid order closed or timed out, a cashier approval refused):
 * every coupon locked to it is usable again, in the caller's transaction. Answers whether it
 * released any.
 */
export async function releaseOrderCoupon(t: Transaction, order: { _id: string; couponId?: string | null; couponIds?: string[] | null }, now: Date = new Date()): Promise<boolean> {
  let released = false
  for (const couponId of orderCouponIds(order)) {
    const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, couponId)
    if (!coupon || coupon.status !== 'locked' || coupon.lockOrder !== order._id) continue
    await t.collection(COLLECTIONS.coupons).doc(coupon._id).update({ data: { status: 'available', lockOrder: null, lockExpiresAt: null, updatedAt: now } })
    const event: CouponEventDoc = { _id: `released:${order._id}:${coupon._id}`, couponId: coupon._id, kind: 'released', ref: order._id, createdAt: now }
    await t.collection(COLLECTIONS.couponEvents).doc(event._id).set({ data: withoutId(event) })
    released = true
  }
  return released
}

/** Releases outside any transaction (createOrder's own failure path). */
export async function releaseOrderCouponNow(db: Database, order: { _id: string; couponId?: string | null; couponIds?: string[] | null }, now: Date): Promise<void> {
  await runTransaction(db, (t) => releaseOrderCoupon(t, order, now))
}

/**
 * In the capture transaction: the order's coupon becomes used. A WeChat Pay order holds its
 * coupon by lock (even a lapsed one, as long as nobody took it since: the member paid the
 * discounted amount); a cashier order takes a coupon that is usable now (or locked to it by a
 * pending approval). Answers false when the coupon is no longer there to take (logged by the
 * caller; the payment itself stands).
 */
export async function useCouponInCapture(
  t: Transaction,
  req: { outTradeNo: string; openid: string; storeId: string; couponId: string; channel: 'wxpay' | 'cashier' },
  now: Date,
): Promise<boolean> {
  const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, req.couponId)
  if (!coupon || coupon.openid !== req.openid) return false
  if (coupon.status === 'used' && coupon.usedOrder === req.outTradeNo) return true
  if (req.channel === 'wxpay') {
    if (coupon.status !== 'locked' || coupon.lockOrder !== req.outTradeNo) return false
  } else {
    const refusal = useRefusal(coupon, now, req.storeId, new Map(), req.outTradeNo)
    if (refusal) throw new AppError(refusal.code, refusal.message)
  }
  await t.collection(COLLECTIONS.coupons).doc(coupon._id).update({
    data: { status: 'used', usedAt: now, usedStoreId: req.storeId, usedOrder: req.outTradeNo, lockOrder: null, lockExpiresAt: null, updatedAt: now },
  })
  return true
}

/** Every coupon of the order used in the capture transaction; answers the ones that were no longer there to take. */
export async function useOrderCouponsInCapture(
  t: Transaction,
  req: { outTradeNo: string; openid: string; storeId: string; couponIds: string[]; channel: 'wxpay' | 'cashier' },
  now: Date,
): Promise<string[]> {
  const lost: string[] = []
  for (const couponId of req.couponIds) {
    if (!(await useCouponInCapture(t, { outTradeNo: req.outTradeNo, openid: req.openid, storeId: req.storeId, couponId, channel: req.channel }, now))) lost.push(couponId)
  }
  return lost
}

/** Which refund attempt of the order is running (services/refund.ts refundAttempt; repeated here to keep the imports one-way). */
const attemptOf = (order: Pick<OrderDoc, 'refund'>): number => (order.refund ? (order.refund.state === 'failed' ? order.refund.attempt + 1 : order.refund.attempt) : 0)

/** A refund's coupon event: per coupon and refund attempt, so a refund after a failed one records again. */
const refundEventId = (orderId: string, couponId: string, attempt: number): string => `refund:${orderId}:${couponId}:${attempt}`

/**
 * In the refund transaction: every coupon the order used goes back to the member if it is still
 * within its validity (recorded as an event per coupon, with where and when it had been used,
 * for a refund that later fails), else the refund says it expired. With several coupons the
 * answer is 'returned' when any went back (each coupon's outcome is in coupon_events).
 */
export async function returnOrderCoupon(t: Transaction, order: Pick<OrderDoc, '_id' | 'couponId' | 'couponIds' | 'refund'>, now: Date): Promise<'returned' | 'expired' | null> {
  let answer: 'returned' | 'expired' | null = null
  const attempt = attemptOf(order)
  for (const couponId of orderCouponIds(order)) {
    const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, couponId)
    if (!coupon || coupon.status !== 'used' || coupon.usedOrder !== order._id) continue
    const expired = time(coupon.validUntil) <= now.getTime()
    const event: CouponEventDoc = {
      _id: refundEventId(order._id, coupon._id, attempt),
      couponId: coupon._id,
      kind: expired ? 'refundExpired' : 'refundReturned',
      ref: order._id,
      createdAt: now,
      usedAt: coupon.usedAt,
      usedStoreId: coupon.usedStoreId,
    }
    await t.collection(COLLECTIONS.couponEvents).doc(event._id).set({ data: withoutId(event) })
    if (expired) {
      answer = answer ?? 'expired'
      continue
    }
    await t.collection(COLLECTIONS.coupons).doc(coupon._id).update({
      data: { status: 'available', usedAt: null, usedStoreId: null, usedOrder: null, updatedAt: now },
    })
    answer = 'returned'
  }
  return answer
}

/**
 * In failRefund's RESTORE transaction (the refund WeChat later reported failed, the order paid
 * again): each coupon that refund returned is taken again for the order — unless the member
 * has since used, locked, or forwarded it, which is recorded instead of taken from them.
 * Answers one line per coupon the refund had returned (null: it returned none).
 */
export async function retakeOrderCoupons(t: Transaction, order: Pick<OrderDoc, '_id' | 'couponId' | 'couponIds' | 'refund' | 'openid'>, now: Date): Promise<CouponRetake[] | null> {
  const r = order.refund
  if (!r) return null
  const lines: CouponRetake[] = []
  for (const couponId of orderCouponIds(order)) {
    const event = await txGet<CouponEventDoc>(t, COLLECTIONS.couponEvents, refundEventId(order._id, couponId, r.attempt))
    if (!event || event.kind !== 'refundReturned') continue
    const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, couponId)
    const state = coupon ? couponState(coupon, now) : null
    const free = coupon && coupon.openid === order.openid && coupon.usedOrder === null && (coupon.status === 'available' || (coupon.status === 'locked' && state !== 'locked'))
    if (!coupon || !free) {
      const why = !coupon || coupon.openid !== order.openid ? '券已不在该会员名下' : COUPON_STATE_NAMES[state ?? 'used']
      lines.push({ couponId, result: 'notRetaken', reason: `退款失败时该券${why}，未收回` })
      continue
    }
    await t.collection(COLLECTIONS.coupons).doc(couponId).update({
      data: {
        status: 'used',
        usedAt: event.usedAt ?? now,
        usedStoreId: event.usedStoreId ?? null,
        usedOrder: order._id,
        lockOrder: null,
        lockExpiresAt: null,
        updatedAt: now,
      },
    })
    const retaken: CouponEventDoc = { _id: `refund-failed:${order._id}:${couponId}:${r.attempt}`, couponId, kind: 'refundFailedRetaken', ref: order._id, createdAt: now }
    await t.collection(COLLECTIONS.couponEvents).doc(retaken._id).set({ data: withoutId(retaken) })
    lines.push({ couponId, result: 'retaken' })
  }
  return lines.length ? lines : null
}

/** A fresh coupon id (unguessable: a coupon id is never enough to use it, but it names it in requests). */
export function newCouponId(): string {
  return `cp${randomBytes(10).toString('hex')}`
}

export function newGiftToken(): string {
  return randomBytes(18).toString('base64url')
}

/** A coupon document for `openid` (a claim or an accepted gift), with a fresh number. */
export function newCouponDoc(fields: Omit<CouponDoc, '_id' | 'couponNo' | 'status' | 'lockOrder' | 'lockExpiresAt' | 'giftId' | 'giftExpiresAt' | 'usedAt' | 'usedStoreId' | 'usedOrder' | 'usedVerification'>): CouponDoc {
  return {
    _id: newCouponId(),
    couponNo: newCouponNo(),
    status: 'available',
    lockOrder: null,
    lockExpiresAt: null,
    giftId: null,
    giftExpiresAt: null,
    usedAt: null,
    usedStoreId: null,
    usedOrder: null,
    usedVerification: null,
    ...fields,
  }
}

export function isDuplicateKey(e: unknown, field?: string): boolean {
  return e instanceof Error && /E11000|duplicate/i.test(e.message) && (!field || e.message.includes(field))
}
