import { callCloud } from '../../lib/call-cloud'
import { definePage } from '../../lib/page'
import { rememberCard } from '../../lib/member-profile'
import { watchShake, type ShakeWatch } from '../../lib/shake'
import { instanceStore } from '../../lib/ui'
import { HOME_ENTRIES, homeViewModel, type HomeView } from './view-model'

const emptyView: HomeView = { brandName: '', cardStyle: '', isMember: false, greeting: '', pointsText: '', growthText: '' }

const shaking = instanceStore(() => ({ watch: null as ShakeWatch | null }))

definePage({
  data: { view: emptyView, entries: HOME_ENTRIES },
  // Back from paying: points and tier may have changed (a failed refresh keeps what is shown).
  refreshOnShow: true,
  async load() {
    const card = await callCloud('member', 'card', {})
    rememberCard(card.member)
    return { view: homeViewModel(card) }
  },
  // 摇一摇出码: shaking the phone on the home page opens the member code (card tab), like the
  // coffee chains' apps; listening only while the page is on screen.
  pageLifetimes: {
    show() {
      const s = shaking(this)
      s.watch?.stop()
      s.watch = watchShake(() => this.onShake())
    },
    hide() {
      const s = shaking(this)
      s.watch?.stop()
      s.watch = null
    },
  },
  lifetimes: {
    detached() {
      shaking(this).watch?.stop()
    },
  },
  methods: {
    onShake() {
      if (!this.data.view.isMember) return
      void wx.vibrateShort?.({ type: 'medium' })
      void wx.switchTab({ url: '/pages/card/index' })
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
