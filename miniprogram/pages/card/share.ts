import { inTimeline } from '../../lib/scene'
import { inviterOf } from '../invite/view-model'

export const DEFAULT_EMPTY_TEXT = '完成首次支付即可成为会员'
/** Moments single-page mode may not reach the server: still say what the card is about. */
export const TIMELINE_EMPTY_TEXT = '好友邀请你成为会员：首次消费即可加入，享积分与会员权益。点击下方「前往小程序」即可加入'
export const INVITED_HINT = '好友邀请你成为会员，首次消费即可加入'
export const BOUND_HINT = '已接受好友邀请，首次消费即可加入'

/** The card's share from the ··· menu: a member's share carries their invite (sharing itself earns nothing). */
export function cardShareMessage(brandName: string, inviteToken: string): { title: string; path: string } {
  return {
    title: `${brandName || '会员中心'}会员卡：首次消费即可加入，享积分与会员权益`,
    // The invite token, never the member number (a number typed at the cashier names a member).
    path: inviteToken ? `/pages/card/index?invite=${encodeURIComponent(inviteToken)}` : '/pages/card/index',
  }
}

/** How the card was opened: from a friend's share (the inviter) and/or from Moments. */
export function openedFrom(query: Record<string, string | undefined>): { inviter: string; timeline: boolean; inviterHint: string } {
  const inviter = inviterOf(query)
  return { inviter, timeline: inTimeline(), inviterHint: inviter ? INVITED_HINT : '' }
}
