import { callCloud, CloudCallError, hasCode } from '../../../lib/call-cloud'
import { COUPON_PAGES } from '../../../lib/coupons'
import { definePage, exclusive } from '../../../lib/page'
import { instanceStore, toast, toastError } from '../../../lib/ui'
import { emptyGift, giftPageView, giftTokenOf, type GiftPageView } from './view-model'

const local = instanceStore(() => ({ token: '' }))

/**
 * A forwarded coupon, opened from the chat card (`token`). The first friend to accept owns it
 * (the server decides; many may open the card at once): everyone else sees it was taken; the
 * sender sees their own gift; a gift taken back or returned after 24 hours says so.
 */
definePage({
  data: { view: emptyGift as GiftPageView, accepting: false },
  onQuery(query) {
    local(this).token = giftTokenOf(query.token)
  },
  methods: {
    async onAccept() {
      await exclusive(
        this,
        'accepting',
        async () => {
          await callCloud('member', 'acceptGift', { token: local(this).token })
          toast('领取成功')
          await this.reload({ quiet: true })
        },
        (e) => {
          // someone else was first, or the sender took it back meanwhile: show the gift as it is now
          if (hasCode(e, 'GIFT_TAKEN', 'GIFT_CLOSED', 'GIFT_OWN', 'EXPIRED')) {
            toastError(e)
            void this.reload({ quiet: true })
          } else toastError(e)
        },
      )
    },
    goCoupon() {
      const id = this.data.view.couponId
      void wx.redirectTo({ url: id ? `${COUPON_PAGES.detail}?id=${encodeURIComponent(id)}` : '/pages/coupons/index' })
    },
    goMine() {
      void wx.switchTab({ url: '/pages/coupons/index' })
    },
    goCenter() {
      void wx.redirectTo({ url: COUPON_PAGES.center })
    },
  },
  async load() {
    const token = local(this).token
    if (!token) throw new CloudCallError('NOT_FOUND', '链接无效，请让好友重新转赠')
    const { gift } = await callCloud('member', 'openGift', { token })
    return { view: giftPageView(gift) }
  },
})
