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
  ORDER_COUPON_LOCK_MS,
  validUntilLabel,
  valueLabel,
  type CouponState,
  type CouponView,
} from '../../miniprogram/shared/coupon-rules'
import { formatYuan } from '../../miniprogram/shared/money'
import { getDoc, list, runTransaction, txGet, withoutId, type Transaction } from './db-util'
import type { OrderDoc, StoreDoc } from './documents'
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

export interface CouponPricing {
  couponId: string
  originalAmountFen: number
  discountFen: number
  payableFen: number
}

/**
 * The server's price of `amountFen` with this member's coupon at `storeId`: refused with the
 * specific code (not theirs = NOT_FOUND, so nobody probes others' coupons).
 */
export async function priceWithCoupon(
  db: Database,
  now: Date,
  req: { openid: string; couponId: string; storeId: string; amountFen: number; forOrder?: string },
): Promise<CouponPricing> {
  const coupon = await getDoc<CouponDoc>(db, COLLECTIONS.coupons, req.couponId)
  if (!coupon || coupon.openid !== req.openid) throw new AppError('NOT_FOUND', '优惠券不存在')
  const stores = await storeNameMap(db)
  const refusal = useRefusal(coupon, now, req.storeId, stores, req.forOrder)
  if (refusal) throw new AppError(refusal.code, refusal.message)
  const priced = priceRefusalOrDiscount(coupon, req.amountFen)
  if (isRefusal(priced)) throw new AppError(priced.code, priced.message)
  return { couponId: coupon._id, originalAmountFen: req.amountFen, discountFen: priced.discountFen, payableFen: priced.payableFen }
}

/**
 * createOrder with a coupon: the order is added and the coupon locked to it in one transaction,
 * from the state it was priced in (a conditional update: two orders racing for one coupon, one
 * gets it, the other is told COUPON_LOCKED). The lock lapses by itself after ORDER_COUPON_LOCK_MS.
 */
export async function addOrderLockingCoupon(db: Database, order: OrderDoc, now: Date): Promise<void> {
  const couponId = order.couponId
  if (!couponId) throw new Error('addOrderLockingCoupon: order without a coupon')
  const stores = await storeNameMap(db)
  try {
    await runTransaction(db, async (t) => {
      const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, couponId)
      if (!coupon || coupon.openid !== order.openid) throw new AppError('NOT_FOUND', '优惠券不存在')
      const refusal = useRefusal(coupon, now, order.storeId, stores)
      if (refusal) throw new AppError(refusal.code, refusal.message)
      await t.collection(COLLECTIONS.coupons).doc(couponId).update({
        data: { status: 'locked', lockOrder: order._id, lockExpiresAt: new Date(now.getTime() + ORDER_COUPON_LOCK_MS), updatedAt: now },
      })
      await t.collection(COLLECTIONS.orders).add({ data: order })
    })
  } catch (e) {
    if (e instanceof AppError) throw e
    // The transaction lost to another lock of the same coupon (its retries ran out): say so if that is what happened.
    const coupon = await getDoc<CouponDoc>(db, COLLECTIONS.coupons, couponId)
    const refusal = coupon && coupon.lockOrder !== order._id ? useRefusal(coupon, new Date(), order.storeId, stores) : null
    if (refusal) throw new AppError(refusal.code, refusal.message)
    throw e
  }
}

/**
 * The order-closing path (an unpaid order closed or timed out): the coupon locked to it is
 * usable again, in the caller's transaction. Answers whether it released one.
 */
export async function releaseOrderCoupon(t: Transaction, order: Pick<OrderDoc, '_id' | 'couponId'>, now: Date = new Date()): Promise<boolean> {
  if (!order.couponId) return false
  const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, order.couponId)
  if (!coupon || coupon.status !== 'locked' || coupon.lockOrder !== order._id) return false
  await t.collection(COLLECTIONS.coupons).doc(coupon._id).update({ data: { status: 'available', lockOrder: null, lockExpiresAt: null, updatedAt: now } })
  const event: CouponEventDoc = { _id: `released:${order._id}`, couponId: coupon._id, kind: 'released', ref: order._id, createdAt: now }
  await t.collection(COLLECTIONS.couponEvents).doc(event._id).set({ data: withoutId(event) })
  return true
}

/** Releases outside any transaction (createOrder's own failure path). */
export async function releaseOrderCouponNow(db: Database, order: Pick<OrderDoc, '_id' | 'couponId'>, now: Date): Promise<void> {
  await runTransaction(db, (t) => releaseOrderCoupon(t, order, now))
}

/**
 * In the capture transaction: the order's coupon becomes used. A WeChat Pay order holds its
 * coupon by lock (even a lapsed one, as long as nobody took it since: the member paid the
 * discounted amount); a cashier order takes a coupon that is usable now. Answers false when the
 * coupon is no longer there to take (logged by the caller; the payment itself stands).
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

/**
 * In the refund transaction: the coupon the order used goes back to the member if it is still
 * within its validity (recorded as an event), else the refund says it expired.
 */
export async function returnOrderCoupon(t: Transaction, order: Pick<OrderDoc, '_id' | 'couponId'>, now: Date): Promise<'returned' | 'expired' | null> {
  if (!order.couponId) return null
  const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, order.couponId)
  if (!coupon || coupon.status !== 'used' || coupon.usedOrder !== order._id) return null
  const expired = time(coupon.validUntil) <= now.getTime()
  const event: CouponEventDoc = { _id: `refund:${order._id}`, couponId: coupon._id, kind: expired ? 'refundExpired' : 'refundReturned', ref: order._id, createdAt: now }
  await t.collection(COLLECTIONS.couponEvents).doc(event._id).set({ data: withoutId(event) })
  if (expired) return 'expired'
  await t.collection(COLLECTIONS.coupons).doc(coupon._id).update({
    data: { status: 'available', usedAt: null, usedStoreId: null, usedOrder: null, updatedAt: now },
  })
  return 'returned'
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
