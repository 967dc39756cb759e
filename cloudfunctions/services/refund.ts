import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import type { MerchantSettings } from '../domain/merchant-settings'
import { growthForSpend, reversePoints, tierForGrowth } from '../domain/loyalty'
import { computeAutoTags, tagStamp } from '../domain/tags'
import { getDoc, runTransaction, txGet, type Transaction } from './db-util'
import { memberIdOf, type LedgerDoc, type MemberDoc, type OrderDoc, type ReferralDoc } from './documents'
import { returnOrderCoupon } from './coupons'

export const REFUND_TITLE = '退款扣回'
export const REFERRAL_REFUND_TITLE = '好友订单退款，邀请奖励扣回'

export interface RefundOutcome {
  status: 'refunded'
  pointsReversed: number
  pointsDebt: number
  alreadyProcessed: boolean
  /** The order's coupon (coupons): back to the member, or expired meanwhile; null without one. */
  couponReturn?: 'returned' | 'expired' | null
}

/** Takes `points` back from a member: never below zero, the rest recorded as debt, with its ledger line. */
async function takeBack(t: Transaction, member: MemberDoc, points: number, line: Pick<LedgerDoc, '_id' | 'kind' | 'title'>, now: Date) {
  const { debit, debt } = reversePoints(member.points, points)
  const ledger: LedgerDoc = { ...line, memberId: member._id, delta: -debit, debtDelta: debt, balanceAfter: member.points - debit, createdAt: now }
  await t.collection(COLLECTIONS.pointsLedger).add({ data: ledger })
  return { debit, debt }
}

/** The inviter's reward for this order goes back, and the friend is bound again (a later first payment qualifies). */
async function reverseReferral(t: Transaction, inviteeOpenid: string, outTradeNo: string, now: Date): Promise<void> {
  const ref = await txGet<ReferralDoc>(t, COLLECTIONS.referrals, inviteeOpenid)
  if (!ref || ref.status !== 'rewarded' || ref.rewardOrder !== outTradeNo || !ref.inviterOpenid) return
  const inviter = await txGet<MemberDoc>(t, COLLECTIONS.members, memberIdOf(ref.inviterOpenid))
  if (inviter && ref.points > 0) {
    const { debit, debt } = await takeBack(t, inviter, ref.points, { _id: `referral-refund:${inviteeOpenid}:${outTradeNo}`, kind: 'referral', title: REFERRAL_REFUND_TITLE }, now)
    await t.collection(COLLECTIONS.members).doc(inviter._id).update({
      data: { points: inviter.points - debit, pointsDebt: inviter.pointsDebt + debt, updatedAt: now },
    })
  }
  await t.collection(COLLECTIONS.referrals).doc(ref._id).update({ data: { status: 'bound', rewardedAt: null, points: 0, rewardOrder: '' } })
}

async function reverseOnce(db: Database, settings: MerchantSettings, outTradeNo: string, now: Date): Promise<RefundOutcome> {
  return runTransaction(db, async (t) => {
    const order = await txGet<OrderDoc>(t, COLLECTIONS.orders, outTradeNo)
    if (!order) throw new AppError('NOT_FOUND', '订单不存在')
    if (order.status === 'refunded') return { status: 'refunded', pointsReversed: 0, pointsDebt: 0, alreadyProcessed: true }
    if (order.status !== 'paid') throw new AppError('CONFLICT', '订单未支付，无法退款')
    const member = await txGet<MemberDoc>(t, COLLECTIONS.members, order.memberId)
    if (!member) throw new AppError('NOT_FOUND', '会员不存在')
    const { debit, debt } = await takeBack(t, member, order.pointsEarned, { _id: `refund:${outTradeNo}`, kind: 'refund', title: REFUND_TITLE }, now)
    // The refunded purchase no longer counts: spend, growth, tier, visits.
    const growth = Math.max(0, member.growth - growthForSpend(order.amountFen))
    const storeVisits = { ...member.storeVisits, [order.storeId]: Math.max(0, (member.storeVisits[order.storeId] ?? 0) - 1) }
    const totalSpentFen = Math.max(0, member.totalSpentFen - order.amountFen)
    const autoTags = computeAutoTags(
      { joinedAt: new Date(member.createdAt), lastVisitAt: member.lastVisitAt ? new Date(member.lastVisitAt) : null, totalSpentFen, birthday: member.birthday, referrerOpenid: member.referrerOpenid, storeVisits },
      settings,
      now,
    )
    await t.collection(COLLECTIONS.members).doc(member._id).update({
      data: {
        points: member.points - debit,
        pointsDebt: member.pointsDebt + debt,
        growth,
        tierLevel: tierForGrowth(settings.tiers, growth).level,
        totalSpentFen,
        visitCount: Math.max(0, member.visitCount - 1),
        paidOrderCount: Math.max(0, member.paidOrderCount - 1),
        storeVisits,
        autoTags,
        autoTagsStamp: tagStamp(settings, now),
        updatedAt: now,
      },
    })
    if (order.referralSettled) await reverseReferral(t, order.openid, outTradeNo, now)
    const couponReturn = await returnOrderCoupon(t, order, now)
    await t.collection(COLLECTIONS.orders).doc(order._id).update({ data: { status: 'refunded', refundedAt: now, ...(order.couponId ? { couponReturn } : {}) } })
    return { status: 'refunded', pointsReversed: debit, pointsDebt: debt, alreadyProcessed: false, couponReturn }
  })
}

/**
 * Reverses a paid order once: the points it earned come back out of the balance, never below
 * zero — what the balance cannot cover is recorded as debt on the member and in the ledger line —
 * and a referral reward it paid goes back too. A concurrent refund of the same order that won the
 * race may surface here as a conflict or a duplicate ledger line (how depends on the database);
 * either way the order is then refunded, which is the answer.
 */
export async function reverseOrder(db: Database, settings: MerchantSettings, outTradeNo: string, now: Date): Promise<RefundOutcome> {
  try {
    return await reverseOnce(db, settings, outTradeNo, now)
  } catch (e) {
    const order = await getDoc<OrderDoc>(db, COLLECTIONS.orders, outTradeNo)
    if (order?.status === 'refunded' && !(e instanceof AppError)) return { status: 'refunded', pointsReversed: 0, pointsDebt: 0, alreadyProcessed: true }
    throw e
  }
}
