import { callCloud, hasCode } from '../../lib/call-cloud'
import { definePage } from '../../lib/page'
import { bindInviterOnce } from '../../lib/inviter'
import { inTimeline } from '../../lib/scene'
import { inviteViewModel, inviterOf, JOIN_PITCH, sharePath, shareQuery, type InviteView } from './view-model'

const emptyView: InviteView = { inviter: '', inviteToken: '', invitedCount: 0, rewardedCount: 0, pointsEarned: 0, ruleText: '', friends: [] }

type Pitch = '' | 'invited' | 'timeline'

function shareTitle(brand: string): string {
  return brand ? `邀你成为${brand}会员，支付即入会，积分享好礼` : '邀你成为会员，支付即入会，积分享好礼'
}

/** Not a member yet: the card says so, or inviteSummary answers NOT_FOUND. */
class NotMember extends Error {}

/**
 * 邀请好友. A member sees their invite card; a friend who opened a shared link (`inviter`) and is
 * not a member yet is bound to the inviter once and sees the join pitch; a Moments viewer in
 * single-page mode (scene 1154) sees a static pitch without any cloud call.
 */
definePage({
  data: {
    view: emptyView,
    brandName: '',
    inviter: '',
    timeline: false,
    /** Pitch: '' (the invite card / states) | 'invited' (join pitch with 去支付) | 'timeline' (static pitch) */
    pitch: '',
    pitchTitle: JOIN_PITCH.title,
    pitchPoints: JOIN_PITCH.points,
    pitchTip: JOIN_PITCH.timelineTip,
    inviterHint: '',
  },
  // Back from paying: a new member should now see their invite card.
  refreshOnShow: true,
  methods: {
    /** Opened from a friend's Moments post: bind the inviter once (the server keeps the first). */
    async bindInviter() {
      const hint = await bindInviterOnce(this, this.data.inviter, '已接受好友邀请，完成首次消费即可成为会员')
      if (hint) this.setData({ inviterHint: hint })
    },
    /** Chat card: opens the card page, which binds the inviter. No reward for sharing itself. */
    onShareAppMessage() {
      const token = this.data.view.inviteToken
      return { title: shareTitle(this.data.brandName), path: token ? sharePath(token) : '/pages/card/index' }
    },
    /**
     * Moments: WeChat opens this same page (single-page mode first) with the query, so the
     * inviter arrives here, not on the card page; load handles both.
     */
    onShareTimeline() {
      const token = this.data.view.inviteToken
      return { title: shareTitle(this.data.brandName), query: token ? shareQuery(token) : '' }
    },
    goPay() {
      void wx.navigateTo({ url: '/pages/pay/index' })
    },
  },
  onQuery(query) {
    const timeline = inTimeline()
    // the static pitch shows at once: its load makes no call
    this.setData({ inviter: inviterOf(query), timeline, ...(timeline ? { pitch: 'timeline' } : {}) })
    if (!timeline && typeof wx.showShareMenu === 'function') void wx.showShareMenu({ withShareTicket: false, menus: ['shareAppMessage', 'shareTimeline'] })
  },
  async load({ quiet }): Promise<{ pitch: Pitch; view?: InviteView; viewState?: 'empty' }> {
    // Single-page mode cannot call the cloud: a static page that still says what this is.
    if (this.data.timeline) return { pitch: 'timeline' }
    try {
      const card = await callCloud('member', 'card', {})
      this.setData({ brandName: card.brand.name })
      if (!card.member) throw new NotMember()
      return { view: inviteViewModel(await callCloud('member', 'inviteSummary', {})), pitch: '' }
    } catch (e) {
      if (!(e instanceof NotMember || hasCode(e, 'NOT_FOUND'))) {
        // the error state replaces a pitch; a quiet refresh keeps what is shown
        if (!quiet) this.setData({ pitch: '' })
        throw e
      }
      if (!this.data.inviter) return { pitch: '', viewState: 'empty' }
      void this.bindInviter()
      return { pitch: 'invited' }
    }
  },
})
