import { callCloud, hasCode } from '../../lib/call-cloud'
import { instanceStore } from '../../lib/ui'
import { errorMessageOf, initialLoadable } from '../../lib/view-state'
import { inviteViewModel, inviterOf, JOIN_PITCH, sharePath, shareQuery, TIMELINE_SCENE, type InviteView } from './view-model'
import { reloadMethods } from '../../lib/reload'
import { bindInviterOnce } from '../../lib/inviter'

const emptyView: InviteView = { inviter: '', invitedCount: 0, rewardedCount: 0, pointsEarned: 0, ruleText: '', friends: [] }

const local = instanceStore(() => ({ inviter: '', loaded: false, loading: false }))

function enterScene(): number {
  try {
    const opts =
      typeof wx.getEnterOptionsSync === 'function' ? wx.getEnterOptionsSync() : typeof wx.getLaunchOptionsSync === 'function' ? wx.getLaunchOptionsSync() : null
    return Number(opts?.scene ?? 0)
  } catch {
    return 0
  }
}

/** Not a member yet: the card says so, or inviteSummary answers NOT_FOUND. */
class NotMember extends Error {}

/**
 * 邀请好友. A member sees their invite card; a friend who opened a shared link (`inviter`) and is
 * not a member yet is bound to the inviter once and sees the join pitch; a Moments viewer in
 * single-page mode (scene 1154) sees a static pitch without any cloud call.
 */
Component({
  data: {
    ...initialLoadable,
    view: emptyView,
    brandName: '',
    /** '' (the invite card / states) | 'invited' (join pitch with 去支付) | 'timeline' (static pitch) */
    pitch: '' as '' | 'invited' | 'timeline',
    pitchTitle: JOIN_PITCH.title,
    pitchPoints: JOIN_PITCH.points,
    pitchTip: JOIN_PITCH.timelineTip,
    inviterHint: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      local(this).inviter = inviterOf(query)
      if (enterScene() === TIMELINE_SCENE) {
        // Single-page mode cannot call the cloud: a static page that still says what this is.
        this.setData({ pitch: 'timeline', viewState: 'ready', errorMessage: '' })
        return
      }
      if (typeof wx.showShareMenu === 'function') void wx.showShareMenu({ withShareTicket: false, menus: ['shareAppMessage', 'shareTimeline'] })
      void this.load()
    },
    /** Back from paying: a new member should now see their invite card. */
    onShow() {
      const s = local(this)
      if (s.loaded && !s.loading && this.data.pitch !== 'timeline') void this.load({ quiet: true })
    },
    ...reloadMethods,
    /** `quiet`: no loading state, and a failed refresh keeps what is on screen. */
    async load(opts: { quiet?: boolean } = {}) {
      const s = local(this)
      if (this.data.pitch === 'timeline' || s.loading) return
      s.loading = true
      if (!opts.quiet) this.setData({ viewState: 'loading' })
      try {
        const card = await callCloud('member', 'card', {})
        this.setData({ brandName: card.brand.name })
        if (!card.member) throw new NotMember()
        const summary = await callCloud('member', 'inviteSummary', {})
        this.setData({ view: inviteViewModel(summary), pitch: '', viewState: 'ready', errorMessage: '' })
      } catch (e) {
        if (e instanceof NotMember || hasCode(e, 'NOT_FOUND')) {
          if (s.inviter) {
            this.setData({ pitch: 'invited', viewState: 'ready', errorMessage: '' })
            void this.bindInviter()
          } else {
            this.setData({ pitch: '', viewState: 'empty', errorMessage: '' })
          }
        } else if (!opts.quiet) {
          this.setData({ pitch: '', viewState: 'error', errorMessage: errorMessageOf(e) })
        }
      } finally {
        s.loading = false
        s.loaded = true
      }
    },
    /** Opened from a friend's Moments post: bind the inviter once (the server keeps the first). */
    async bindInviter() {
      const hint = await bindInviterOnce(this, local(this).inviter, '已接受好友邀请，完成首次消费即可成为会员')
      if (hint) this.setData({ inviterHint: hint })
    },
    shareTitle(): string {
      const brand = this.data.brandName
      return brand ? `邀你成为${brand}会员，支付即入会，积分享好礼` : '邀你成为会员，支付即入会，积分享好礼'
    },
    /** Chat card: opens the card page, which binds the inviter. No reward for sharing itself. */
    onShareAppMessage() {
      const inviter = this.data.view.inviter
      return { title: this.shareTitle(), path: inviter ? sharePath(inviter) : '/pages/card/index' }
    },
    /**
     * Moments: WeChat opens this same page (single-page mode first) with the query, so the
     * inviter arrives here, not on the card page; onLoad handles both.
     */
    onShareTimeline() {
      const inviter = this.data.view.inviter
      return { title: this.shareTitle(), query: inviter ? shareQuery(inviter) : '' }
    },
    goPay() {
      void wx.navigateTo({ url: '/pages/pay/index' })
    },
  },
})
