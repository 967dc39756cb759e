import { callCloud } from '../../lib/call-cloud'
import { COUPON_PAGES, couponTabs, type CouponItem, type CouponTabs } from '../../lib/coupons'
import { datasetText } from '../../lib/dataset'
import { definePage } from '../../lib/page'
import type { CouponTab } from '../../shared/coupon-rules'

/** 优惠券 is the third tab of app.json's tabBar. */
const COUPONS_TAB_INDEX = 2
const isTab = (v: string): v is CouponTab => v === 'available' || v === 'used' || v === 'expired'

const NONE_TEXT: Record<CouponTab, string> = { available: '暂无可用优惠券', used: '还没有使用过的券', expired: '没有过期的券' }

/** The tab bar's badge on 优惠券: how many usable coupons expire within 3 days. */
function showBadge(count: number): void {
  if (typeof wx.setTabBarBadge !== 'function') return
  const fail = () => undefined
  if (count > 0) wx.setTabBarBadge({ index: COUPONS_TAB_INDEX, text: String(count), fail })
  else wx.removeTabBarBadge({ index: COUPONS_TAB_INDEX, fail })
}

/**
 * 我的券 (the 优惠券 tab): available / used / expired, each sorted by expiry, with how many expire
 * within 3 days; a coupon opens its detail page (the code for the clerk, forwarding).
 */
definePage({
  data: {
    tab: 'available' as CouponTab,
    tabs: [] as CouponTabs['tabs'],
    items: [] as CouponItem[],
    noneText: NONE_TEXT.available,
    expiringSoon: 0,
  },
  // back from the detail page (forwarded, taken back) or from paying: the lists change
  refreshOnShow: true,
  methods: {
    onTab(e: WechatMiniprogram.TouchEvent) {
      const tab = datasetText(e, 'key')
      if (!isTab(tab) || tab === this.data.tab) return
      this.setData({ tab, items: [] })
      void this.reload()
    },
    onOpen(e: WechatMiniprogram.TouchEvent) {
      const id = datasetText(e, 'id')
      if (id) void wx.navigateTo({ url: `${COUPON_PAGES.detail}?id=${encodeURIComponent(id)}` })
    },
    goCenter() {
      void wx.navigateTo({ url: COUPON_PAGES.center })
    },
    goGifts() {
      void wx.navigateTo({ url: COUPON_PAGES.gifts })
    },
  },
  async load() {
    const tab = this.data.tab
    const res = await callCloud('member', 'myCoupons', { tab })
    const shown = couponTabs(res)
    showBadge(shown.expiringSoon)
    // nothing in any tab: the empty state with the way to 领券中心
    const none = shown.tabs.every((t) => t.count === 0)
    // Object.assign, not spread (a helper per file in the main package)
    return Object.assign(shown, { noneText: NONE_TEXT[tab], viewState: none ? ('empty' as const) : ('ready' as const) })
  },
})
