import { callCloud } from '../../lib/call-cloud'
import { initialLoadable, loadState } from '../../lib/view-state'
import { reloadMethods } from '../../lib/reload'
import { HOME_ENTRIES, homeViewModel, type HomeView } from './view-model'

const emptyView: HomeView = { brandName: '', cardStyle: '', isMember: false, greeting: '', pointsText: '', growthText: '' }

Component({
  data: { ...initialLoadable, view: emptyView, entries: HOME_ENTRIES },
  methods: {
    onLoad() {
      void this.load()
    },
    onShow() {
      // Back from paying: points and tier may have changed.
      if (this.data.viewState === 'ready') void this.load(true)
    },
    ...reloadMethods,
    async load(quiet = false) {
      if (!quiet) this.setData({ viewState: 'loading' })
      const patch = await loadState(async () => ({ view: homeViewModel(await callCloud('member', 'card', {})) }))
      if (quiet && patch.viewState === 'error') return // keep what is shown; a refresh failing is not worth an error page
      this.setData(patch)
    },
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
