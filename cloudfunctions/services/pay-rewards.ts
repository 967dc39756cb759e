import { COLLECTIONS } from '../shared/collections'
import type { PayRule } from '../../miniprogram/shared/reward-rules'
import { txGet, type Transaction } from './db-util'
import type { MemberDoc } from './documents'
import type { RewardGrantDoc, RewardGrantItem } from './reward-docs'
import { txPayRules } from './reward-settings'
import { txTime } from './tx-clock'
import { grantCouponInTx, revokeGrantedCoupon } from './coupon-grant'
import { grantChances, revokeChances } from './chances'
import { creditPoints, takeBackPoints } from './points'
import type { CaptureFacts, ReversalFacts } from './capture-effects'

/**
 * 消费有礼 (issue 13): what a payment earns under the merchant's rules, granted inside the
 * capture's transaction of a NEW capture (CAPTURE_EFFECTS never run on a replay), so however
 * often and however concurrently WeChat's callback arrives, it is granted once. What it granted
 * is kept in reward_grants/<outTradeNo> (added, so a duplicate fails the capture's transaction
 * instead of granting twice) for the pay result page and for the refund, which takes back what
 * was not used: an unused coupon is revoked (a used one is kept and recorded as used), chances
 * not yet played are revoked, points go back out, never below zero — the rest is recorded as
 * debt, as services/refund.ts does.
 */

export const REWARD_TITLE = '消费有礼'
export const REWARD_REFUND_TITLE = '退款扣回消费奖励'
export const REWARD_RESTORE_TITLE = '退款未成功，消费奖励恢复'

export const rewardCause = (outTradeNo: string, ruleId: string): string => `reward:${outTradeNo}:${ruleId}`

/** Does this payment meet the rule? */
export function ruleApplies(rule: PayRule, facts: Pick<CaptureFacts, 'amountFen' | 'firstPayment' | 'storeId'>): boolean {
  return rule.active && facts.amountFen >= rule.minSpendFen && (!rule.firstPaymentOnly || facts.firstPayment) && (rule.storeId === null || rule.storeId === facts.storeId)
}

export async function grantPayRewards(t: Transaction, facts: CaptureFacts): Promise<void> {
  const rules = (await txPayRules(t)).filter((r) => ruleApplies(r, facts))
  if (rules.length === 0) return
  const now = txTime(facts.now, facts.member)
  const items: RewardGrantItem[] = []
  for (const rule of rules) {
    const cause = rewardCause(facts.outTradeNo, rule.id)
    const base = { ruleId: rule.id, ruleName: rule.name, cause }
    if (rule.gift.kind === 'coupon') {
      const res = await grantCouponInTx(t, { templateId: rule.gift.templateId, openid: facts.openid, cause, source: 'reward', now })
      items.push(
        res.ok
          ? { ...base, kind: 'coupon', outcome: 'granted', templateId: rule.gift.templateId, couponId: res.coupon._id, couponTitle: res.coupon.terms.title }
          : { ...base, kind: 'coupon', outcome: 'refused', templateId: rule.gift.templateId, refusal: res.reason },
      )
    } else if (rule.gift.kind === 'chances') {
      const ok = await grantChances(t, { gameId: rule.gift.gameId, openid: facts.openid, count: rule.gift.count, cause, source: 'reward', now })
      items.push({ ...base, kind: 'chances', outcome: ok ? 'granted' : 'refused', ...(ok ? {} : { refusal: 'ALREADY' }), gameId: rule.gift.gameId, count: rule.gift.count })
    } else {
      // The next effect reads the balance this one wrote (capture-effects.ts).
      facts.member = await creditPoints(t, facts.member, rule.gift.points, { _id: cause, kind: 'reward', title: `${REWARD_TITLE}·${rule.name}` }, now)
      items.push({ ...base, kind: 'points', outcome: 'granted', points: rule.gift.points })
    }
  }
  const doc: RewardGrantDoc = { _id: facts.outTradeNo, outTradeNo: facts.outTradeNo, openid: facts.openid, storeId: facts.storeId, items, createdAt: now, reversedAt: null }
  await t.collection(COLLECTIONS.rewardGrants).add({ data: doc })
}

export async function reversePayRewards(t: Transaction, facts: ReversalFacts): Promise<void> {
  const doc = await txGet<RewardGrantDoc>(t, COLLECTIONS.rewardGrants, facts.order.outTradeNo)
  if (!doc || doc.reversedAt) return
  let member: MemberDoc | null = facts.member
  const now = txTime(facts.now, member)
  const items: RewardGrantItem[] = []
  for (const item of doc.items) {
    if (item.outcome !== 'granted') items.push(item)
    else if (item.kind === 'coupon') items.push({ ...item, reversal: await revokeGrantedCoupon(t, item.cause, now) })
    else if (item.kind === 'chances') {
      const r = await revokeChances(t, item.cause, now)
      items.push({ ...item, reversal: r.alreadySpent > 0 ? 'partlySpent' : r.revoked > 0 ? 'revoked' : 'none' })
    } else if (member && item.points) {
      member = await takeBackPoints(t, member, item.points, { _id: `reward-refund:${doc.outTradeNo}:${item.ruleId}:${facts.attempt}`, kind: 'reward', title: REWARD_REFUND_TITLE }, now)
      items.push({ ...item, reversal: 'taken' })
    } else items.push(item) // an erased membership forfeited its points already
  }
  if (member) facts.member = member
  await t.collection(COLLECTIONS.rewardGrants).doc(doc._id).update({ data: { items, reversedAt: now } })
}

/**
 * The refund failed later and the order is paid again: points taken back are credited again
 * (debt first), a revoked coupon or chances are granted again under a new cause (the old one is
 * spent), so a later refund reverses them again.
 */
export async function restorePayRewards(t: Transaction, facts: ReversalFacts): Promise<void> {
  const doc = await txGet<RewardGrantDoc>(t, COLLECTIONS.rewardGrants, facts.order.outTradeNo)
  if (!doc || !doc.reversedAt) return
  let member: MemberDoc | null = facts.member
  const now = txTime(facts.now, member)
  const items: RewardGrantItem[] = []
  for (const item of doc.items) {
    const { reversal, ...kept } = item
    const cause = `${rewardCause(doc.outTradeNo, item.ruleId)}:restore:${facts.attempt}`
    if (item.kind === 'points' && reversal === 'taken' && member && item.points) {
      member = await creditPoints(t, member, item.points, { _id: `reward-restore:${doc.outTradeNo}:${item.ruleId}:${facts.attempt}`, kind: 'reward', title: REWARD_RESTORE_TITLE }, now)
      items.push(kept)
    } else if (item.kind === 'coupon' && reversal === 'revoked' && item.templateId) {
      const res = await grantCouponInTx(t, { templateId: item.templateId, openid: doc.openid, cause, source: 'reward', now })
      items.push(res.ok ? { ...kept, cause, couponId: res.coupon._id } : { ...kept, outcome: 'refused', refusal: res.reason })
    } else if (item.kind === 'chances' && reversal === 'revoked' && item.gameId && item.count) {
      const ok = await grantChances(t, { gameId: item.gameId, openid: doc.openid, count: item.count, cause, source: 'reward', now })
      items.push(ok ? { ...kept, cause } : item)
    } else items.push(item)
  }
  if (member) facts.member = member
  await t.collection(COLLECTIONS.rewardGrants).doc(doc._id).update({ data: { items, reversedAt: null } })
}
