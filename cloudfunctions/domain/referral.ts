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
