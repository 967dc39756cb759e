import { callCloud } from '../../lib/call-cloud'
import { definePage } from '../../lib/page'
import { HOME_ENTRIES, homeViewModel, type HomeView } from './view-model'

const emptyView: HomeView = { brandName: '', cardStyle: '', isMember: false, greeting: '', pointsText: '', growthText: '' }

definePage({
  data: { view: emptyView, entries: HOME_ENTRIES },
  // Back from paying: points and tier may have changed (a failed refresh keeps what is shown).
  refreshOnShow: true,
  async load() {
    return { view: homeViewModel(await callCloud('member', 'card', {})) }
  },
  methods: {
    onEntry(e: WechatMiniprogram.TouchEvent) {
      const entry = HOME_ENTRIES[Number(e.currentTarget.dataset.index)]
      if (!entry) return
      if (entry.tab) void wx.switchTab({ url: entry.url })
      else void wx.navigateTo({ url: entry.url })
    },
    goPay() {
      void wx.navigateTo({ url: '/pages/pay/index' })
    },
    onHero() {
      if (this.data.view.isMember) void wx.switchTab({ url: '/pages/card/index' })
    },
  },
})
