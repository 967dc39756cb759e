import dayjs from 'dayjs'
import type { ActionOutput } from '../../../cloudfunctions/shared/contract'

export type InviteSummary = ActionOutput<'member', 'inviteSummary'>

export interface InviteView {
  inviter: string
  invitedCount: number
  rewardedCount: number
  pointsEarned: number
  ruleText: string
  friends: { key: string; name: string; statusText: string; rewarded: boolean; timeText: string }[]
}

/** The rule in one sentence; sharing itself is never rewarded, only the friend's own action. */
export function ruleText(rewardPoints: number | undefined, qualifyingAction: string | undefined): string {
  const action = qualifyingAction === 'join' ? '成为会员' : '首次消费'
  return rewardPoints && rewardPoints > 0 ? `好友${action}后，您将获得 ${rewardPoints} 积分` : `好友${action}后，您将获得积分奖励`
}

export function inviteViewModel(s: InviteSummary): InviteView {
  return {
    inviter: s.inviter,
    invitedCount: s.invitedCount,
    rewardedCount: s.rewardedCount,
    pointsEarned: s.pointsEarned,
    ruleText: ruleText(s.rewardPoints, s.qualifyingAction),
    friends: s.friends.map((f, i) => ({
      key: `${i}-${f.boundAt}`,
      name: f.name,
      statusText: f.status === 'rewarded' ? '已消费，奖励已到账' : '已接受邀请，待首次消费',
      rewarded: f.status === 'rewarded',
      timeText: dayjs(f.boundAt).format('YYYY-MM-DD'),
    })),
  }
}

/** What a chat card and a Moments post open: the card page with the inviter's member number. */
export function sharePath(inviter: string): string {
  return `/pages/card/index?inviter=${encodeURIComponent(inviter)}`
}
export function shareQuery(inviter: string): string {
  return `inviter=${encodeURIComponent(inviter)}`
}
