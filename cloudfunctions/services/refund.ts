import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import type { MerchantSettings } from '../domain/merchant-settings'
import { applyCredit, growthForSpend, reversePoints, tierForGrowth } from '../domain/loyalty'
import { computeAutoTags, tagStamp } from '../domain/tags'
import { getDoc, runTransaction, txGet, type Transaction } from './db-util'
import { isErasedMemberId, memberIdOf, type LedgerDoc, type MemberDoc, type OrderDoc, type OrderRefund, type ReferralDoc } from './documents'
import { txTime } from './tx-clock'
import { writeAudit, type AuditDoc } from './audit'
import { returnOrderCoupon } from './coupons'
import { RESTORE_EFFECTS, REVERSAL_EFFECTS, runReversalEffects } from './capture-effects'

export const REFUND_TITLE = '退款扣回'
export const REFERRAL_REFUND_TITLE = '好友订单退款，邀请奖励扣回'
export const REFUND_FAILED_TITLE = '退款未成功，积分恢复'
export const REFERRAL_RESTORE_TITLE = '好友订单退款未成功，邀请奖励恢复'

export interface RefundOutcome {
  status: 'refunded'
  pointsReversed: number
  pointsDebt: number
  alreadyProcessed: boolean
  /** The order's coupon (coupons): back to the member, or expired meanwhile; null without one. */
  couponReturn?: 'returned' | 'expired' | null
}

/** The WeChat Pay refund a reversal records on the order (absent for a cashier order). */
export interface RefundRecord {
  outRefundNo: string
  source: OrderRefund['source']
  refundId: string
  refundFee: number
  /** The staff's action makes this reversal (and answers with its figures). */
  byStaff?: boolean
}

/** The app's out_refund_no for an order: fixed, so asking WeChat again is idempotent there. */
export const appRefundNo = (outTradeNo: string): string => `R${outTradeNo}`

/** Which refund attempt a new request or report of a refund on this order is. */
export function refundAttempt(order: Pick<OrderDoc, 'refund'>): number {
  const r = order.refund
  if (!r) return 0
  return r.state === 'failed' ? r.attempt + 1 : r.attempt
}

/** A ledger cause for refund attempt n: the first keeps the historical id, later ones add `:<n>`. */
const withAttempt = (cause: string, n: number): string => (n === 0 ? cause : `${cause}:${n}`)

/** The ledger line of the member's points going back for refund attempt n of an order. */
export const refundCause = (outTradeNo: string, attempt: number): string => withAttempt(`refund:${outTradeNo}`, attempt)

/** Takes `points` back from a member: never below zero, the rest recorded as debt, with its ledger line. */
async function takeBack(t: Transaction, member: MemberDoc, points: number, line: Pick<LedgerDoc, '_id' | 'kind' | 'title'>, now: Date) {
  const { debit, debt } = reversePoints(member.points, points)
  const ledger: LedgerDoc = { ...line, memberId: member._id, delta: -debit, debtDelta: debt, balanceAfter: member.points - debit, createdAt: now }
  await t.collection(COLLECTIONS.pointsLedger).add({ data: ledger })
  return { debit, debt }
}

/** Gives `points` back to a member (debt first, as any credit), with its ledger line. */
async function giveBack(t: Transaction, member: MemberDoc, points: number, line: Pick<LedgerDoc, '_id' | 'kind' | 'title'>, now: Date) {
  const { toBalance, debtPaid } = applyCredit(member.pointsDebt, points)
  const ledger: LedgerDoc = { ...line, memberId: member._id, delta: toBalance, debtDelta: -debtPaid, balanceAfter: member.points + toBalance, createdAt: now }
  await t.collection(COLLECTIONS.pointsLedger).add({ data: ledger })
  return { toBalance, debtPaid }
}

/** The inviter's reward for this order goes back, and the friend is bound again (a later first payment qualifies). */
async function reverseReferral(t: Transaction, inviteeOpenid: string, outTradeNo: string, attempt: number, requested: Date): Promise<void> {
  const ref = await txGet<ReferralDoc>(t, COLLECTIONS.referrals, inviteeOpenid)
  if (!ref || ref.status !== 'rewarded' || ref.rewardOrder !== outTradeNo || !ref.inviterOpenid) return
  const inviter = await txGet<MemberDoc>(t, COLLECTIONS.members, memberIdOf(ref.inviterOpenid))
  if (inviter && ref.points > 0) {
    const now = txTime(requested, inviter)
    const cause = withAttempt(`referral-refund:${inviteeOpenid}:${outTradeNo}`, attempt)
    const { debit, debt } = await takeBack(t, inviter, ref.points, { _id: cause, kind: 'referral', title: REFERRAL_REFUND_TITLE }, now)
    await t.collection(COLLECTIONS.members).doc(inviter._id).update({
      data: { points: inviter.points - debit, pointsDebt: inviter.pointsDebt + debt, updatedAt: now },
    })
  }
  // refundedPoints remembers what went back, for a refund WeChat later reports failed.
  await t.collection(COLLECTIONS.referrals).doc(ref._id).update({ data: { status: 'bound', rewardedAt: null, points: 0, rewardOrder: '', refundedOrder: outTradeNo, refundedPoints: ref.points } })
}

/** Undoes reverseReferral when the refund failed: only if the friend is still bound to the same inviter and unrewarded. */
async function restoreReferral(t: Transaction, inviteeOpenid: string, outTradeNo: string, attempt: number, requested: Date): Promise<void> {
  const ref = await txGet<ReferralDoc>(t, COLLECTIONS.referrals, inviteeOpenid)
  if (!ref || ref.status !== 'bound' || ref.refundedOrder !== outTradeNo || !ref.inviterOpenid) return
  const points = ref.refundedPoints ?? 0
  const inviter = await txGet<MemberDoc>(t, COLLECTIONS.members, memberIdOf(ref.inviterOpenid))
  if (inviter && points > 0) {
    const now = txTime(requested, inviter)
    const { toBalance, debtPaid } = await giveBack(t, inviter, points, { _id: `referral-restore:${inviteeOpenid}:${outTradeNo}:${attempt}`, kind: 'referral', title: REFERRAL_RESTORE_TITLE }, now)
    await t.collection(COLLECTIONS.members).doc(inviter._id).update({
      data: { points: inviter.points + toBalance, pointsDebt: inviter.pointsDebt - debtPaid, updatedAt: now },
    })
  }
  await t.collection(COLLECTIONS.referrals).doc(ref._id).update({ data: { status: 'rewarded', rewardedAt: requested, points, rewardOrder: outTradeNo, refundedOrder: '', refundedPoints: 0 } })
}

/** What the member's purchase facts become when an order stops (sign -1) or starts again (+1) counting. */
function purchaseFacts(settings: MerchantSettings, member: MemberDoc, order: OrderDoc, sign: 1 | -1, now: Date) {
  const growth = Math.max(0, member.growth + sign * growthForSpend(order.amountFen))
  const storeVisits = { ...member.storeVisits, [order.storeId]: Math.max(0, (member.storeVisits[order.storeId] ?? 0) + sign) }
  const totalSpentFen = Math.max(0, member.totalSpentFen + sign * order.amountFen)
  const autoTags = computeAutoTags(
    { joinedAt: new Date(member.createdAt), lastVisitAt: member.lastVisitAt ? new Date(member.lastVisitAt) : null, totalSpentFen, birthday: member.birthday, referrerOpenid: member.referrerOpenid, storeVisits },
    settings,
    now,
  )
  return {
    growth,
    tierLevel: tierForGrowth(settings.tiers, growth).level,
    totalSpentFen,
    visitCount: Math.max(0, member.visitCount + sign),
    paidOrderCount: Math.max(0, member.paidOrderCount + sign),
    storeVisits,
    autoTags,
    autoTagsStamp: tagStamp(settings, now),
    updatedAt: now,
  }
}

/**
 * The reversal inside transaction `t`: the order refunded, its points and purchase facts out of
 * the member, its referral reward back. An order already refunded answers alreadyProcessed.
 */
async function reverseInTx(t: Transaction, settings: MerchantSettings, outTradeNo: string, requested: Date, refund?: RefundRecord, audit?: AuditDoc): Promise<RefundOutcome> {
  const order = await txGet<OrderDoc>(t, COLLECTIONS.orders, outTradeNo)
  if (!order) throw new AppError('NOT_FOUND', '订单不存在')
  if (order.status === 'refunded') return { status: 'refunded', pointsReversed: 0, pointsDebt: 0, alreadyProcessed: true }
  if (order.status !== 'paid') throw new AppError('CONFLICT', '订单未支付，无法退款')
  const member = await txGet<MemberDoc>(t, COLLECTIONS.members, order.memberId)
  const attempt = refundAttempt(order)
  if (!member && isErasedMemberId(order.memberId)) {
    // The member deleted their membership: their points were forfeited then; an inviter's reward
    // for this order goes back as for any refund (the referral moved to the pseudonym too).
    const now = txTime(requested)
    if (order.referralSettled) await reverseReferral(t, order.openid, outTradeNo, attempt, now)
    await runReversalEffects(REVERSAL_EFFECTS, t, { order, memberId: order.memberId, member: null, settings, now, attempt })
    await t.collection(COLLECTIONS.orders).doc(order._id).update({ data: { status: 'refunded', refundedAt: now } })
    if (audit) await writeAudit(t, audit)
    return { status: 'refunded', pointsReversed: 0, pointsDebt: 0, alreadyProcessed: false }
  }
  if (!member) throw new AppError('NOT_FOUND', '会员不存在')
  const now = txTime(requested, member)
  const { debit, debt } = await takeBack(t, member, order.pointsEarned, { _id: refundCause(outTradeNo, attempt), kind: 'refund', title: REFUND_TITLE }, now)
  // The refunded purchase no longer counts: spend, growth, tier, visits.
  const reversed = { points: member.points - debit, pointsDebt: member.pointsDebt + debt, ...purchaseFacts(settings, member, order, -1, now) }
  await t.collection(COLLECTIONS.members).doc(member._id).update({ data: reversed })
  if (order.referralSettled) await reverseReferral(t, order.openid, outTradeNo, attempt, now)
  // Other features' share of the payment goes back too (rewards, counters), in this transaction.
  await runReversalEffects(REVERSAL_EFFECTS, t, { order, memberId: member._id, member: { ...member, ...reversed }, settings, now, attempt })
  const recorded: OrderRefund | undefined = refund && {
    outRefundNo: refund.outRefundNo,
    source: refund.source,
    refundId: refund.refundId,
    refundFee: refund.refundFee,
    answered: refund.byStaff === true,
    state: 'succeeded',
    attempt,
    requestedAt: order.refund?.state === 'requested' ? order.refund.requestedAt : now,
    updatedAt: now,
  }
  // Coupons: the coupon the order used goes back to the member while still valid.
  const couponReturn = await returnOrderCoupon(t, order, now)
  await t.collection(COLLECTIONS.orders).doc(order._id).update({
    data: { status: 'refunded', refundedAt: now, ...(recorded ? { refund: recorded } : {}), ...(order.couponId ? { couponReturn } : {}) },
  })
  if (audit) await writeAudit(t, audit)
  return { status: 'refunded', pointsReversed: debit, pointsDebt: debt, alreadyProcessed: false, couponReturn }
}

/**
 * Reverses a paid order once: the points it earned come back out of the balance, never below
 * zero — what the balance cannot cover is recorded as debt on the member and in the ledger line —
 * and a referral reward it paid goes back too. A WeChat Pay refund is recorded on the order in
 * the same transaction. A concurrent refund of the same order that won the race may surface here
 * as a conflict or a duplicate ledger line (how depends on the database); either way the order
 * is then refunded, which is the answer. Whoever completes it — the staff's action, its retry,
 * WeChat's refund callback, the reconciliation job — it happens once: the ledger cause is the
 * order's (and refund attempt's). `audit` (a staff refund's line) is written in the reversing
 * transaction, so a repeat that changes nothing records nothing.
 */
export async function reverseOrder(db: Database, settings: MerchantSettings, outTradeNo: string, now: Date, refund?: RefundRecord, audit?: AuditDoc): Promise<RefundOutcome> {
  try {
    return await runTransaction(db, (t) => reverseInTx(t, settings, outTradeNo, now, refund, audit))
  } catch (e) {
    const order = await getDoc<OrderDoc>(db, COLLECTIONS.orders, outTradeNo)
    if (order?.status === 'refunded' && !(e instanceof AppError)) return { status: 'refunded', pointsReversed: 0, pointsDebt: 0, alreadyProcessed: true }
    throw e
  }
}

export type RefundFailureOutcome = 'restored' | 'marked' | 'already'

/**
 * WeChat reports the refund `outRefundNo` failed (退款异常 / 退款关闭), or refused it: the order is
 * paid again — its points, spend, visits and referral reward back — and the failure is recorded
 * on it for the staff to see. A refund still only requested (points not yet reversed) is just
 * marked failed. Once per refund attempt; a replay answers 'already'.
 */
export async function failRefund(
  db: Database,
  settings: MerchantSettings,
  outTradeNo: string,
  outRefundNo: string,
  reason: string,
  requested: Date,
  reported?: Pick<OrderRefund, 'source' | 'refundId' | 'refundFee'>,
): Promise<RefundFailureOutcome> {
  return runTransaction(db, async (t) => {
    const order = await txGet<OrderDoc>(t, COLLECTIONS.orders, outTradeNo)
    if (!order) return 'already'
    const known = order.refund
    if (known?.outRefundNo === outRefundNo && known.state === 'failed') return 'already'
    if (!known || known.outRefundNo !== outRefundNo) {
      // A refund we never heard of (the merchant platform's) failed: nothing was reversed; shown on a paid order.
      if (order.status !== 'paid' || !reported) return 'already'
      const now = txTime(requested)
      const refund: OrderRefund = { outRefundNo, ...reported, state: 'failed', attempt: refundAttempt(order), requestedAt: now, updatedAt: now, failReason: reason }
      await t.collection(COLLECTIONS.orders).doc(order._id).update({ data: { refund } })
      return 'marked'
    }
    const r = known
    if (r.state === 'requested' || order.status !== 'refunded') {
      const now = txTime(requested)
      await t.collection(COLLECTIONS.orders).doc(order._id).update({ data: { refund: { ...r, state: 'failed', failReason: reason, updatedAt: now } } })
      return 'marked'
    }
    const member = await txGet<MemberDoc>(t, COLLECTIONS.members, order.memberId)
    if (!member) throw new AppError('NOT_FOUND', '会员不存在')
    const now = txTime(requested, member)
    const { toBalance, debtPaid } = await giveBack(t, member, order.pointsEarned, { _id: `refund-failed:${outTradeNo}:${r.attempt}`, kind: 'refund', title: REFUND_FAILED_TITLE }, now)
    const restored = { points: member.points + toBalance, pointsDebt: member.pointsDebt - debtPaid, ...purchaseFacts(settings, member, order, 1, now) }
    await t.collection(COLLECTIONS.members).doc(member._id).update({ data: restored })
    if (order.referralSettled) await restoreReferral(t, order.openid, outTradeNo, r.attempt, now)
    await runReversalEffects(RESTORE_EFFECTS, t, { order, memberId: member._id, member: { ...member, ...restored }, settings, now, attempt: r.attempt })
    await t.collection(COLLECTIONS.orders).doc(order._id).update({
      data: { status: 'paid', refundedAt: null, refund: { ...r, state: 'failed', failReason: reason, updatedAt: now } },
    })
    return 'restored'
  })
}

/**
 * Records that the app is about to ask WeChat Pay for a refund (before cloudPay.refund), so a
 * crash after WeChat accepted it is found and completed by the reconciliation job. Answers the
 * refund number and attempt to use: a pending request keeps its number (WeChat's idempotency key).
 */
export async function markRefundRequested(db: Database, outTradeNo: string, refundFee: number, requested: Date): Promise<OrderRefund | 'refunded'> {
  return runTransaction(db, async (t) => {
    const order = await txGet<OrderDoc>(t, COLLECTIONS.orders, outTradeNo)
    if (!order) throw new AppError('NOT_FOUND', '订单不存在')
    // Refunded since the caller read it (a concurrent tap, WeChat's callback): said so, not an error.
    if (order.status === 'refunded') return 'refunded'
    if (order.status !== 'paid') throw new AppError('CONFLICT', '订单未支付，无法退款')
    if (order.refund?.state === 'requested') return order.refund
    const now = txTime(requested)
    const refund: OrderRefund = { outRefundNo: appRefundNo(outTradeNo), source: 'app', state: 'requested', attempt: refundAttempt(order), refundId: '', refundFee, requestedAt: now, updatedAt: now }
    await t.collection(COLLECTIONS.orders).doc(order._id).update({ data: { refund } })
    return refund
  })
}

/** WeChat never received the requested refund (REFUNDNOTEXIST): the request fails, the order stays paid and may be refunded again. */
export const REFUND_NOT_RECEIVED = '退款请求未送达微信支付，可重新发起退款'

export async function clearRefundRequest(db: Database, outTradeNo: string, outRefundNo: string, requested: Date): Promise<boolean> {
  return runTransaction(db, async (t) => {
    const order = await txGet<OrderDoc>(t, COLLECTIONS.orders, outTradeNo)
    const r = order?.refund
    if (!order || order.status !== 'paid' || !r || r.state !== 'requested' || r.outRefundNo !== outRefundNo) return false
    await t.collection(COLLECTIONS.orders).doc(order._id).update({ data: { refund: { ...r, state: 'failed', failReason: REFUND_NOT_RECEIVED, updatedAt: txTime(requested) } } })
    return true
  })
}

/**
 * The staff's refund found the order already reversed by WeChat's refund callback (or the job)
 * for this very request: the first such action claims that reversal as its answer (its ledger
 * line's figures), every other one answers "already refunded". Null when there is nothing to claim.
 */
export async function claimReversal(db: Database, outTradeNo: string, outRefundNo: string, attempt: number): Promise<RefundOutcome | null> {
  return runTransaction(db, async (t) => {
    const order = await txGet<OrderDoc>(t, COLLECTIONS.orders, outTradeNo)
    const r = order?.refund
    if (!order || order.status !== 'refunded' || !r || r.outRefundNo !== outRefundNo || r.attempt !== attempt || r.answered) return null
    const line = await txGet<LedgerDoc>(t, COLLECTIONS.pointsLedger, refundCause(outTradeNo, attempt))
    if (!line) return null
    await t.collection(COLLECTIONS.orders).doc(order._id).update({ data: { refund: { ...r, answered: true } } })
    return { status: 'refunded', pointsReversed: -line.delta, pointsDebt: line.debtDelta, alreadyProcessed: false }
  })
}
