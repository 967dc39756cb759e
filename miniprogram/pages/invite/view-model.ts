import { formatTime } from '../../lib/date-format'
import type { ActionOutput } from '../../../cloudfunctions/shared/contract'

export type InviteSummary = ActionOutput<'member', 'inviteSummary'>

export interface InviteView {
  inviter: string
  /** What the shares carry (not the member number). */
  inviteToken: string
  invitedCount: number
  rewardedCount: number
  pointsEarned: number
  ruleText: string
  friends: { key: string; name: string; statusText: string; rewarded: boolean; rejected: boolean; timeText: string }[]
}

/** The rule in one sentence; sharing itself is never rewarded, only the friend's own action. */
export function ruleText(rewardPoints: number | undefined, qualifyingAction: string | undefined): string {
  const action = qualifyingAction === 'join' ? '成为会员' : '首次消费'
  return rewardPoints && rewardPoints > 0 ? `好友${action}后，您将获得 ${rewardPoints} 积分` : `好友${action}后，您将获得积分奖励`
}

export function inviteViewModel(s: InviteSummary): InviteView {
  return {
    inviter: s.inviter,
    inviteToken: s.inviteToken ?? '',
    invitedCount: s.invitedCount,
    rewardedCount: s.rewardedCount,
    pointsEarned: s.pointsEarned,
    ruleText: ruleText(s.rewardPoints, s.qualifyingAction) + (s.minQualifyingFen ? `（好友消费满 ${fenToYuanText(s.minQualifyingFen)} 元）` : ''),
    friends: s.friends.map((f, i) => ({
      key: `${i}-${f.boundAt}`,
      name: f.name,
      statusText: f.status === 'rewarded' ? '已消费，奖励已到账' : f.status === 'rejected' ? `未达到奖励条件：${f.reason ?? ''}` : '已接受邀请，待首次消费',
      rewarded: f.status === 'rewarded',
      rejected: f.status === 'rejected',
      timeText: formatTime(f.boundAt, 'YYYY-MM-DD'),
    })),
  }
}

/** 1000 → "10", 1050 → "10.5". */
function fenToYuanText(fen: number): string {
  return String(fen / 100)
}

/** What a chat card opens: the card page with the inviter's invite token (it binds the inviter), never the member number. */
export function sharePath(inviteToken: string): string {
  return `/pages/card/index?invite=${encodeURIComponent(inviteToken)}`
}
/**
 * What a Moments post opens: WeChat only lets onShareTimeline set a query on the page itself, so
 * viewers land on this invite page with `inviter=…` (first in single-page mode, scene 1154).
 */
export function shareQuery(inviteToken: string): string {
  return `invite=${encodeURIComponent(inviteToken)}`
}


/** An invite token as links carry it (cloudfunctions/services/invite-token.ts). */
export const INVITE_TOKEN = /^i[a-z2-9]{11}$/

/**
 * The inviter of a shared link: its invite token (`invite=`), or from a link shared before
 * tokens an 8-digit member number (`inviter=`, still accepted by the server), or ''.
 */
export function inviterOf(query: Record<string, string | undefined> | undefined): string {
  const token = query?.invite ?? ''
  if (INVITE_TOKEN.test(token)) return token
  const raw = query?.inviter ?? ''
  return /^\d{8}$/.test(raw) ? raw : ''
}

/** Shown to a friend who is not a member yet; brand-agnostic so it needs no server call. */
export const JOIN_PITCH = {
  title: '好友邀请您加入会员',
  points: ['支付即会员：首次支付后自动成为会员，无需填写资料', '消费即得积分，会员等级与权益随时查看'],
  timelineTip: '点击下方「前往小程序」参与',
}
