import type { OpenApi } from 'wx-server-sdk'
import type { ActionContext } from '../shared/handler'
import { COLLECTIONS } from '../shared/collections'
import type { MerchantSettings } from '../domain/merchant-settings'
import { applyCredit } from '../domain/loyalty'
import { rewardRefusal, rewardRefusalMessage } from '../domain/referral'
import { chinaDay } from '../domain/tags'
import { getDoc, txGet, type Transaction } from './db-util'
import { txTime } from './tx-clock'
import { memberIdOf, type LedgerDoc, type MemberDoc, type ReferralDoc } from './documents'
import { isLocalCloudRuntime } from './wechat-pay'

export const REFERRAL_TITLE = '邀请好友奖励'

/** The ledger cause of a referral reward: one per invitee and qualifying order. */
export const referralCause = (inviteeOpenid: string, outTradeNo: string): string => `referral:${inviteeOpenid}:${outTradeNo}`

/** What the risk check found before the capture (network calls stay out of the transaction). */
export interface ReferralRisk {
  rank: number | null
  /** Why no rank was taken ('' when it was). */
  note: string
}

export const RISK_SKIPPED_LOCAL = '本地云环境不提供 riskControl.getUserRiskRank，已跳过风险检查'
export const RISK_SKIPPED_OFF = '商家未开启风险检查'

/**
 * riskControl.getUserRiskRank (scene 1 = 营销作弊) for an invitee whose payment may earn a
 * reward; only asked when a bound referral waits, so ordinary payments cost nothing. A failed
 * check does not withhold the reward (the other caps still hold) but is recorded with it.
 */
export async function referralRiskOf(ctx: ActionContext, settings: MerchantSettings, inviteeOpenid: string): Promise<ReferralRisk | undefined> {
  const ref = await getDoc<ReferralDoc>(ctx.db, COLLECTIONS.referrals, inviteeOpenid)
  if (!ref || ref.status !== 'bound') return undefined
  if (!settings.referral.riskCheck) return { rank: null, note: RISK_SKIPPED_OFF }
  if (isLocalCloudRuntime()) return { rank: null, note: RISK_SKIPPED_LOCAL }
  try {
    const res = await (ctx.cloud.openapi as OpenApi).riskControl.getUserRiskRank({ appid: ctx.caller.appid, openid: inviteeOpenid, scene: 1 })
    return typeof res.riskRank === 'number' ? { rank: res.riskRank, note: '' } : { rank: null, note: '风险检查未返回等级' }
  } catch (e) {
    console.error('[getUserRiskRank]', e)
    return { rank: null, note: '风险检查暂时不可用' }
  }
}

interface CounterDoc {
  count: number
}

/**
 * Inside the capture's transaction: the invitee's qualifying payment credits the inviter, or,
 * below the minimum amount, past the inviter's daily/monthly caps or for a risky invitee, marks
 * the referral rejected with the reason the inviter sees. The caps are counters with derived ids
 * (<inviter>:d:<China day>, <inviter>:m:<China month>) read and written in this transaction, so
 * concurrent payments of 20 invitees cannot all slip under a cap. Answers whether it paid.
 */
export async function settleReferralReward(
  t: Transaction,
  settings: MerchantSettings,
  payment: { inviteeOpenid: string; outTradeNo: string; amountFen: number; risk?: ReferralRisk },
  now: Date,
): Promise<boolean> {
  const { inviteeOpenid, outTradeNo } = payment
  const ref = await txGet<ReferralDoc>(t, COLLECTIONS.referrals, inviteeOpenid)
  if (!ref || ref.status !== 'bound' || !ref.inviterOpenid) return false
  const day = chinaDay(now)
  const dayId = `${ref.inviterOpenid}:d:${day}`
  const monthId = `${ref.inviterOpenid}:m:${day.slice(0, 7)}`
  const [today, month, inviter] = await Promise.all([
    txGet<CounterDoc>(t, COLLECTIONS.referralCounters, dayId),
    txGet<CounterDoc>(t, COLLECTIONS.referralCounters, monthId),
    txGet<MemberDoc>(t, COLLECTIONS.members, memberIdOf(ref.inviterOpenid)),
  ])
  const rule = settings.referral
  const risk = payment.risk ?? { rank: null, note: '' }
  const refusal = rewardRefusal({
    amountFen: payment.amountFen,
    minQualifyingFen: rule.minQualifyingFen,
    rewardedToday: today?.count ?? 0,
    rewardedThisMonth: month?.count ?? 0,
    dailyCap: rule.dailyCap,
    monthlyCap: rule.monthlyCap,
    riskRank: risk.rank,
  })
  const riskFacts = { riskRank: risk.rank, riskNote: risk.note }
  if (refusal) {
    await t.collection(COLLECTIONS.referrals).doc(ref._id).update({
      data: { status: 'rejected', rejectedAt: now, rejectCode: refusal, rejectReason: rewardRefusalMessage(refusal, rule.minQualifyingFen), rewardOrder: outTradeNo, ...riskFacts },
    })
    return false
  }
  const points = inviter ? rule.inviterPoints : 0
  if (inviter && points > 0) {
    // The inviter's own ledger must read in commit order too (services/tx-clock.ts).
    const at = txTime(now, inviter)
    const { toBalance, debtPaid } = applyCredit(inviter.pointsDebt, points)
    await t.collection(COLLECTIONS.members).doc(inviter._id).update({
      data: { points: inviter.points + toBalance, pointsDebt: inviter.pointsDebt - debtPaid, updatedAt: at },
    })
    const line: LedgerDoc = {
      _id: referralCause(inviteeOpenid, outTradeNo),
      memberId: inviter._id,
      delta: toBalance,
      debtDelta: -debtPaid,
      balanceAfter: inviter.points + toBalance,
      kind: 'referral',
      title: REFERRAL_TITLE,
      createdAt: at,
    }
    await t.collection(COLLECTIONS.pointsLedger).add({ data: line })
  }
  // Counted whether or not points were due: the caps limit rewarded referrals, not points.
  await t.collection(COLLECTIONS.referralCounters).doc(dayId).set({ data: { count: (today?.count ?? 0) + 1, inviterOpenid: ref.inviterOpenid, updatedAt: now } })
  await t.collection(COLLECTIONS.referralCounters).doc(monthId).set({ data: { count: (month?.count ?? 0) + 1, inviterOpenid: ref.inviterOpenid, updatedAt: now } })
  await t.collection(COLLECTIONS.referrals).doc(ref._id).update({ data: { status: 'rewarded', rewardedAt: now, points, rewardOrder: outTradeNo, ...riskFacts } })
  return true
}
