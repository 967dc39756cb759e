import { randomInt } from 'node:crypto'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import type { MerchantSettings } from '../domain/merchant-settings'
import { applyCredit, growthForSpend, pointsForSpend, tierForGrowth } from '../domain/loyalty'
import { computeAutoTags, tagStamp } from '../domain/tags'
import { getDoc, runTransaction, txGet, withoutId, type Transaction } from './db-util'
import { memberIdOf, type LedgerDoc, type MemberDoc, type OrderDoc, type ReferralDoc } from './documents'
import { writeAudit, type AuditDoc } from './audit'
import { useCouponInCapture } from './coupons'
import { txTime } from './tx-clock'
import { runCaptureEffects } from './capture-effects'
import { REFERRAL_TITLE, referralCause, settleReferralReward, type ReferralRisk } from './referral-reward'

/**
 * Capture: what a payment does to a member (支付即会员). One transaction per order, so however
 * many times and however concurrently a callback or a cashier submit arrives, the order moves
 * from created to paid once, and points, tier, spend, visits and the referral move with it.
 */
export interface CaptureRequest {
  outTradeNo: string
  openid: string
  amountFen: number
  storeId: string
  channel: 'wxpay' | 'cashier'
  clerkOpenid?: string | null
  clientRequestKey?: string
  touchpoint?: string
  transactionId?: string | null
  /** A staff capture's audit line (admin cashier.capture): written in the capture's transaction, not on a replay. */
  audit?: AuditDoc
  /** A cashier capture with a coupon (coupons): amountFen is then the amount after its discount. */
  coupon?: { couponId: string; originalAmountFen: number; discountFen: number }
  /** The risk check of the invitee, taken before the transaction (services/referral-reward.ts). */
  referralRisk?: ReferralRisk
}

export interface CaptureOutcome {
  outTradeNo: string
  memberNo: string
  pointsEarned: number
  tierName: string
  tierUpgraded: boolean
  joined: boolean
  alreadyProcessed: boolean
}

export const PURCHASE_TITLE = '消费得积分'
export { REFERRAL_TITLE }

export function newMemberNo(): string {
  return String(randomInt(10_000_000, 100_000_000))
}

/** A member as the first payment creates it (before that payment is counted). */
export function newMember(
  openid: string,
  memberNo: string,
  origin: { storeId: string; touchpoint?: string },
  referrerOpenid: string | null,
  now: Date,
): MemberDoc {
  return {
    _id: memberIdOf(openid),
    openid,
    memberNo,
    points: 0,
    pointsDebt: 0,
    growth: 0,
    tierLevel: 1,
    totalSpentFen: 0,
    visitCount: 0,
    paidOrderCount: 0,
    lastVisitAt: null,
    firstStoreId: origin.storeId,
    sourceTouchpoint: origin.touchpoint ?? '',
    referrerOpenid,
    birthday: null,
    phone: null,
    storeVisits: {},
    autoTags: [],
    manualTags: [],
    createdAt: now,
    updatedAt: now,
  }
}

/** What a replay answers: the outcome the order already had. */
function alreadyProcessed(settings: MerchantSettings, order: OrderDoc, member: MemberDoc | null): CaptureOutcome {
  return {
    outTradeNo: order.outTradeNo,
    memberNo: member?.memberNo ?? '',
    pointsEarned: order.pointsEarned,
    tierName: member ? tierForGrowth(settings.tiers, member.growth).name : '',
    tierUpgraded: false,
    joined: order.joined,
    alreadyProcessed: true,
  }
}

export { referralCause }

/** Extra work a caller (the cashier's guards) does inside the capture's transaction, for a new capture only. */
export type CaptureGuard = (t: Transaction, now: Date) => Promise<void>

async function captureOnce(db: Database, settings: MerchantSettings, req: CaptureRequest, requested: Date, memberNo: string, guard?: CaptureGuard): Promise<CaptureOutcome> {
  return runTransaction(db, async (t) => {
    const order = await txGet<OrderDoc>(t, COLLECTIONS.orders, req.outTradeNo)
    if (req.channel === 'wxpay') {
      if (!order) throw new AppError('NOT_FOUND', '订单不存在')
      if (order.amountFen !== req.amountFen || order.openid !== req.openid) throw new AppError('INVALID_INPUT', '支付金额或付款人与订单不符')
    }
    const memberId = memberIdOf(req.openid)
    let member = await txGet<MemberDoc>(t, COLLECTIONS.members, memberId)
    if (order && order.status !== 'created') return alreadyProcessed(settings, order, member)
    // Stamped inside the transaction, after the member's last write (services/tx-clock.ts), so
    // the ledger sorted by time follows the running balance.
    const now = txTime(requested, member)
    // The order's coupon becomes used in this same transaction (coupons).
    const couponId = order?.couponId ?? req.coupon?.couponId ?? null
    if (couponId && !(await useCouponInCapture(t, { outTradeNo: req.outTradeNo, openid: req.openid, storeId: req.storeId, couponId, channel: req.channel }, now))) {
      console.error(`[capture] ${req.outTradeNo}: coupon ${couponId} was no longer held by this order; the payment stands`)
    }
    if (guard) await guard(t, now)

    const joined = member === null
    if (!member) {
      const ref = await txGet<ReferralDoc>(t, COLLECTIONS.referrals, req.openid)
      member = newMember(req.openid, memberNo, req, ref?.inviterOpenid ?? null, now)
      if (!ref) {
        // Claim the invitee key: a shared card opened while this payment commits then collides
        // with it (write conflict or duplicate key) instead of binding a member after the fact.
        const marker: ReferralDoc = { _id: req.openid, inviteeOpenid: req.openid, inviterOpenid: null, status: 'none', boundAt: now, rewardedAt: null, points: 0 }
        await t.collection(COLLECTIONS.referrals).add({ data: marker })
      }
    }
    const firstPayment = member.paidOrderCount === 0
    const tierBefore = tierForGrowth(settings.tiers, member.growth)
    const pointsEarned = pointsForSpend(settings, tierBefore, req.amountFen)
    const { toBalance, debtPaid } = applyCredit(member.pointsDebt, pointsEarned)
    const growth = member.growth + growthForSpend(req.amountFen)
    const tierAfter = tierForGrowth(settings.tiers, growth)
    const storeVisits = { ...member.storeVisits, [req.storeId]: (member.storeVisits[req.storeId] ?? 0) + 1 }
    const facts = {
      points: member.points + toBalance,
      pointsDebt: member.pointsDebt - debtPaid,
      growth,
      tierLevel: tierAfter.level,
      totalSpentFen: member.totalSpentFen + req.amountFen,
      visitCount: member.visitCount + 1,
      paidOrderCount: member.paidOrderCount + 1,
      lastVisitAt: now,
      storeVisits,
      updatedAt: now,
    }
    const autoTags = computeAutoTags(
      { joinedAt: member.createdAt, lastVisitAt: now, totalSpentFen: facts.totalSpentFen, birthday: member.birthday, referrerOpenid: member.referrerOpenid, storeVisits },
      settings,
      now,
    )
    const autoTagsStamp = tagStamp(settings, now)
    const memberAfter: MemberDoc = { ...member, ...facts, autoTags, autoTagsStamp }
    if (joined) {
      await t.collection(COLLECTIONS.members).doc(memberId).set({ data: withoutId({ ...member, ...facts, autoTags, autoTagsStamp }) })
    } else {
      await t.collection(COLLECTIONS.members).doc(memberId).update({ data: { ...facts, autoTags, autoTagsStamp } })
    }

    const line: LedgerDoc = {
      _id: `purchase:${req.outTradeNo}`,
      memberId,
      delta: toBalance,
      debtDelta: -debtPaid,
      balanceAfter: facts.points,
      kind: 'purchase',
      title: PURCHASE_TITLE,
      createdAt: now,
    }
    await t.collection(COLLECTIONS.pointsLedger).add({ data: line })

    const qualifies = settings.referral.qualifyingAction === 'join' ? joined : firstPayment
    const referralSettled = qualifies
      ? await settleReferralReward(t, settings, { inviteeOpenid: req.openid, outTradeNo: req.outTradeNo, amountFen: req.amountFen, risk: req.referralRisk }, now)
      : false
    const paid = { status: 'paid' as const, memberId, pointsEarned, joined, referralSettled, paidAt: now, transactionId: req.transactionId ?? null }
    if (order) {
      await t.collection(COLLECTIONS.orders).doc(order._id).update({ data: paid })
    } else {
      const created: OrderDoc = {
        _id: req.outTradeNo,
        outTradeNo: req.outTradeNo,
        openid: req.openid,
        storeId: req.storeId,
        amountFen: req.amountFen,
        channel: req.channel,
        clerkOpenid: req.clerkOpenid ?? null,
        ...(req.clientRequestKey ? { clientRequestKey: req.clientRequestKey } : {}),
        ...(req.coupon ? { couponId: req.coupon.couponId, originalAmountFen: req.coupon.originalAmountFen, discountFen: req.coupon.discountFen } : {}),
        touchpoint: req.touchpoint ?? '',
        createdAt: now,
        refundedAt: null,
        ...paid,
      }
      await t.collection(COLLECTIONS.orders).add({ data: created })
    }
    // Other features' share of the payment (rewards, counters, attribution), in this transaction.
    await runCaptureEffects(t, {
      outTradeNo: req.outTradeNo,
      openid: req.openid,
      memberId,
      storeId: req.storeId,
      channel: req.channel,
      amountFen: req.amountFen,
      clerkOpenid: req.clerkOpenid ?? order?.clerkOpenid ?? null,
      touchpoint: req.touchpoint ?? order?.touchpoint ?? '',
      joined,
      firstPayment,
      member: memberAfter,
      settings,
      now,
    })
    if (req.audit) await writeAudit(t, req.audit)

    return {
      outTradeNo: req.outTradeNo,
      memberNo: member.memberNo,
      pointsEarned,
      tierName: tierAfter.name,
      tierUpgraded: tierAfter.level > tierBefore.level,
      joined,
      alreadyProcessed: false,
    }
  })
}

function isDuplicateMemberNo(e: unknown): boolean {
  return e instanceof Error && /E11000/.test(e.message) && /memberNo/.test(e.message)
}

/**
 * Runs the capture. A (rare) clash of random member numbers is retried with a new number. A
 * concurrent capture of the same order that won the race may surface as a conflict or a
 * duplicate ledger line (how depends on the database); the order is then paid, which is the answer.
 */
export async function captureOrder(db: Database, settings: MerchantSettings, req: CaptureRequest, now: Date, guard?: CaptureGuard): Promise<CaptureOutcome> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await captureOnce(db, settings, req, now, newMemberNo(), guard)
    } catch (e) {
      if (attempt < 3 && isDuplicateMemberNo(e)) continue
      if (e instanceof AppError) throw e
      const order = await getDoc<OrderDoc>(db, COLLECTIONS.orders, req.outTradeNo)
      if (!order || order.status === 'created' || order.openid !== req.openid) throw e
      return alreadyProcessed(settings, order, await getDoc<MemberDoc>(db, COLLECTIONS.members, order.memberId))
    }
  }
}
