import { callCloud } from '../../lib/call-cloud'
import { errorMessageOf, initialLoadable } from '../../lib/view-state'
import { inviteViewModel, sharePath, shareQuery, type InviteView } from './view-model'
import { reloadMethods } from '../../lib/reload'

const emptyView: InviteView = { inviter: '', invitedCount: 0, rewardedCount: 0, pointsEarned: 0, ruleText: '', friends: [] }

Component({
  data: { ...initialLoadable, view: emptyView, brandName: '' },
  methods: {
    onLoad() {
      if (typeof wx.showShareMenu === 'function') wx.showShareMenu({ withShareTicket: false, menus: ['shareAppMessage', 'shareTimeline'] })
      void this.load()
    },
    ...reloadMethods,
    async load() {
      this.setData({ viewState: 'loading' })
      try {
        const card = await callCloud('member', 'card', {})
        this.setData({ brandName: card.brand.name })
        if (!card.member) {
          this.setData({ viewState: 'empty', errorMessage: '' })
          return
        }
        const summary = await callCloud('member', 'inviteSummary', {})
        this.setData({ view: inviteViewModel(summary), viewState: 'ready', errorMessage: '' })
      } catch (e) {
        this.setData({ viewState: 'error', errorMessage: errorMessageOf(e) })
      }
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
    /** Moments: opens the card page in single-page mode with the same query. */
    onShareTimeline() {
      const inviter = this.data.view.inviter
      return { title: this.shareTitle(), query: inviter ? shareQuery(inviter) : '' }
    },
    goPay() {
      void wx.navigateTo({ url: '/pages/pay/index' })
    },
  },
})
