import { callCloud, CloudCallError } from '../../../lib/call-cloud'
import { COUPON_PAGES, type CouponItem } from '../../../lib/coupons'
import { definePage, exclusive } from '../../../lib/page'
import { confirmDialog, instanceStore, toast } from '../../../lib/ui'
import { detailView, emptyDetail, giftShare, type DetailStore, type DetailView, type GiftLine } from './view-model'

const local = instanceStore(() => ({ couponId: '' }))

/**
 * A member's coupon: the rotating code for the clerk (coupon-code), the rules and stores, and
 * forwarding: 转赠给好友 puts the coupon in transit (a gift token) and the share button sends the
 * card; 收回 takes it back until a friend accepts. The share card only ever carries the token.
 */
definePage({
  data: { view: emptyDetail as DetailView, item: null as CouponItem | null, stores: [] as DetailStore[], gifts: [] as GiftLine[], busy: false },
  onQuery(query) {
    local(this).couponId = (query.id ?? '').slice(0, 64)
  },
  refreshOnShow: true,
  methods: {
    async onForward() {
      if (!(await confirmDialog('转赠给好友', '转赠后这张券将暂不可用，好友领取后归好友所有；好友领取前可随时收回，24 小时未领取自动退回。', '转赠'))) return
      await exclusive(this, 'busy', async () => {
        await callCloud('member', 'giftCoupon', { couponId: this.data.view.id })
        await this.reload({ quiet: true })
        toast('请点击「发送给好友」')
      })
    },
    async onTakeBack() {
      if (!(await confirmDialog('收回转赠', '收回后好友将无法领取，这张券回到您的券包。', '收回'))) return
      await exclusive(this, 'busy', async () => {
        await callCloud('member', 'takeBackGift', { couponId: this.data.view.id })
        await this.reload({ quiet: true })
        toast('已收回')
      })
    },
    /** The server stopped giving a code (forwarded, used, expired meanwhile): show why. */
    onCodeFail() {
      void this.reload({ quiet: true })
    },
    onShareAppMessage() {
      const v = this.data.view
      // only a coupon in transit is shared, and only by its token
      if (v.gifting) return giftShare(v.title, v.giftToken)
      return { title: '领券中心', path: COUPON_PAGES.center }
    },
    goPay() {
      void wx.navigateTo({ url: '/pages/pay/index' })
    },
    goGifts() {
      void wx.navigateTo({ url: COUPON_PAGES.gifts })
    },
  },
  async load() {
    const id = local(this).couponId
    if (!id) throw new CloudCallError('NOT_FOUND', '未找到这张优惠券')
    const shown = detailView(await callCloud('member', 'couponDetail', { couponId: id }))
    // the ··· menu forwards only a coupon in transit (the card must carry its gift token)
    if (shown.view.gifting) void wx.showShareMenu?.({ menus: ['shareAppMessage'] })
    else void wx.hideShareMenu?.({})
    return shown
  },
})
