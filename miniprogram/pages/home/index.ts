import { callCloud } from '../../lib/call-cloud'
import { initialLoadable, loadState } from '../../lib/view-state'
import { homeViewModel, type HomeView } from './view-model'

const emptyView: HomeView = { serviceText: '', serverTimeText: '', shortId: '' }

Component({
  data: { ...initialLoadable, view: emptyView },
  methods: {
    onLoad() {
      void this.load()
    },
    onPullDownRefresh() {
      void this.load().then(() => wx.stopPullDownRefresh())
    },
    async load() {
      this.setData({ viewState: 'loading' })
      const patch = await loadState(async () => {
        const [ping, who] = await Promise.all([callCloud('system', 'ping', {}), callCloud('system', 'whoami', {})])
        return { view: homeViewModel(ping, who) }
      })
      this.setData(patch)
    },
    onRetry() {
      void this.load()
    },
    goCard() {
      void wx.switchTab({ url: '/pages/card/index' })
    },
    goCoupons() {
      void wx.switchTab({ url: '/pages/coupons/index' })
    },
  },
})
