/**
 * Referral binding rules: first touch wins, no self-invite, no cycles, and an existing member
 * cannot be re-bound. Only the invitee's own qualifying action earns the inviter anything.
 */
export type BindRefusal = 'SELF_INVITE' | 'ALREADY_MEMBER' | 'ALREADY_BOUND' | 'CYCLE' | 'INVITER_NOT_MEMBER'

export interface BindFacts {
  inviteeOpenid: string
  inviterOpenid: string | null
  inviteeIsMember: boolean
  inviteeAlreadyBound: boolean
  /** The inviter's own chain of referrers, nearest first. */
  inviterAncestors: string[]
}

export function checkBind(f: BindFacts): BindRefusal | null {
  if (!f.inviterOpenid) return 'INVITER_NOT_MEMBER'
  if (f.inviterOpenid === f.inviteeOpenid) return 'SELF_INVITE'
  if (f.inviteeIsMember) return 'ALREADY_MEMBER'
  if (f.inviteeAlreadyBound) return 'ALREADY_BOUND'
  if (f.inviterAncestors.includes(f.inviteeOpenid)) return 'CYCLE'
  return null
}

export const BIND_REFUSAL_MESSAGES: Record<BindRefusal, string> = {
  SELF_INVITE: '不能邀请自己',
  ALREADY_MEMBER: '您已是会员，无需绑定邀请',
  ALREADY_BOUND: '您已接受过其他好友的邀请',
  CYCLE: '不能接受被您邀请的好友的邀请',
  INVITER_NOT_MEMBER: '邀请链接无效',
}

// Referral farming (issue 12): when a bound invitee's qualifying payment earns the inviter nothing.
export type RewardRefusal = 'BELOW_MINIMUM' | 'DAILY_CAP' | 'MONTHLY_CAP' | 'RISKY_USER'

export interface RewardFacts {
  amountFen: number
  minQualifyingFen: number
  /** Rewards the inviter already received this China day / month. */
  rewardedToday: number
  rewardedThisMonth: number
  dailyCap: number
  monthlyCap: number
  /** riskControl.getUserRiskRank of the invitee (null: not checked). */
  riskRank: number | null
}

/** WeChat's risk ranks run 0 (normal) to 4; from this rank on a reward is withheld. */
export const RISKY_RANK = 3

export function rewardRefusal(f: RewardFacts): RewardRefusal | null {
  if (f.amountFen < f.minQualifyingFen) return 'BELOW_MINIMUM'
  if (f.riskRank !== null && f.riskRank >= RISKY_RANK) return 'RISKY_USER'
  if (f.rewardedToday >= f.dailyCap) return 'DAILY_CAP'
  if (f.rewardedThisMonth >= f.monthlyCap) return 'MONTHLY_CAP'
  return null
}

/** The reason the inviter reads under 「未达到奖励条件」. */
export function rewardRefusalMessage(r: RewardRefusal, minQualifyingFen: number): string {
  switch (r) {
    case 'BELOW_MINIMUM':
      return `好友首次消费未满 ${(minQualifyingFen / 100).toFixed(2).replace(/\.00$/, '')} 元`
    case 'DAILY_CAP':
      return '您今日获得的邀请奖励已达上限'
    case 'MONTHLY_CAP':
      return '您本月获得的邀请奖励已达上限'
    case 'RISKY_USER':
      return '好友账号未通过微信安全检查'
  }
}
