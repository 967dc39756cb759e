import { callCloud } from '../../lib/call-cloud'
import { confirmDialog, instanceStore, toast, toastError } from '../../lib/ui'
import { errorMessageOf } from '../../lib/view-state'
import { definePage, exclusive } from '../../lib/page'
import { cardViewModel, DAY_OPTIONS, monthDayOf, MONTH_OPTIONS, TIMELINE_SCENE, type CardView } from './view-model'
import { bindInviterOnce } from '../../lib/inviter'

/** The code rotates on the server every minute; the page fetches a new one as often. */
export const CODE_REFRESH_SECONDS = 60

const emptyView: CardView = cardViewModel({ brand: { name: '', logoUrl: '', cardBackground: '', cardTextColor: '' }, member: null })

const local = instanceStore(() => ({
  ticker: 0 as ReturnType<typeof setInterval> | 0,
  inviter: '',
  visible: true,
  fetchingCode: false,
  loaded: false,
  memberNo: '',
}))

const DEFAULT_EMPTY_TEXT = '完成首次支付即可成为会员'

function launchScene(): number {
  try {
    const opts = typeof wx.getEnterOptionsSync === 'function' ? wx.getEnterOptionsSync() : wx.getLaunchOptionsSync()
    return Number(opts?.scene ?? 0)
  } catch {
    return 0
  }
}

definePage({
  data: {
    view: emptyView,
    emptyText: DEFAULT_EMPTY_TEXT,
    inviterHint: '',
    timeline: false,
    code: '',
    codeSeconds: CODE_REFRESH_SECONDS,
    codeTip: '',
    codeRunning: false,
    pickerVisible: false,
    pickerValue: ['01', '01'],
    monthOptions: MONTH_OPTIONS,
    dayOptions: DAY_OPTIONS,
    savingBirthday: false,
  },
  lifetimes: {
    detached() {
      this.stopCode()
    },
  },
  methods: {
    onShow() {
      const s = local(this)
      s.visible = true
      // Back from paying (or another tab): points, tier, even membership may have changed.
      if (s.loaded) void this.reload({ quiet: true })
      else if (this.data.view.isMember) this.startCode()
    },
    onHide() {
      local(this).visible = false
      this.stopCode()
    },
    onUnload() {
      this.stopCode()
    },

    /** Share the card from the ··· menu: a member's share carries their invite (sharing itself earns nothing). */
    onShareAppMessage() {
      const no = local(this).memberNo
      return {
        title: `${this.data.view.brandName || '会员中心'}会员卡：首次消费即可加入，享积分与会员权益`,
        path: no ? `/pages/card/index?inviter=${no}` : '/pages/card/index',
      }
    },

    /** Opened from a friend's share: bind the inviter once (the server keeps the first). */
    async bindInviter() {
      if (this.data.timeline) return
      const hint = await bindInviterOnce(this, local(this).inviter, '已接受好友邀请，首次消费即可加入')
      if (hint) this.setData({ inviterHint: hint })
    },

    startCode() {
      const s = local(this)
      if (s.ticker) return
      this.setData({ codeRunning: true })
      void this.refreshCode()
      s.ticker = setInterval(() => this.tick(), 1000)
    },
    stopCode() {
      const s = local(this)
      if (s.ticker) clearInterval(s.ticker)
      s.ticker = 0
      if (this.data.codeRunning) this.setData({ codeRunning: false })
    },
    tick() {
      const next = this.data.codeSeconds - 1
      if (next <= 0) void this.refreshCode()
      else this.setData({ codeSeconds: next, codeTip: `${next} 秒后自动刷新 · 请向店员出示` })
    },
    async refreshCode() {
      const s = local(this)
      if (s.fetchingCode) return
      s.fetchingCode = true
      try {
        const res = await callCloud('member', 'code', {})
        this.setData({ code: res.code, codeSeconds: CODE_REFRESH_SECONDS, codeTip: `${CODE_REFRESH_SECONDS} 秒后自动刷新 · 请向店员出示` })
      } catch (e) {
        // try again in a few seconds; an old code is hidden so nobody shows an expired one
        this.setData({ code: '', codeSeconds: 5, codeTip: `会员码获取失败：${errorMessageOf(e)}` })
      } finally {
        s.fetchingCode = false
      }
    },
    onRefreshCode() {
      void this.refreshCode()
    },

    /** getPhoneNumber (optional): the one-time code goes to the server, which asks WeChat for the number. */
    async onGetPhone(e: WechatMiniprogram.CustomEvent<{ code?: string; errMsg?: string }>) {
      const code = e.detail?.code
      if (!code) {
        if (!/deny|cancel/i.test(e.detail?.errMsg ?? '')) toast('未能获取手机号，请稍后重试')
        return
      }
      try {
        const res = await callCloud('member', 'bindPhone', { code })
        this.setData({ 'view.phoneText': res.phoneMasked })
        toast('手机号已绑定')
      } catch (err) {
        toastError(err)
      }
    },

    goPay() {
      void wx.navigateTo({ url: '/pages/pay/index' })
    },
    goPoints() {
      void wx.navigateTo({ url: '/pages/points/index' })
    },
    goInvite() {
      void wx.navigateTo({ url: '/pages/invite/index' })
    },

    openBirthday() {
      if (!this.data.view.canSetBirthday) return
      this.setData({ pickerVisible: true })
    },
    onPickerCancel() {
      this.setData({ pickerVisible: false })
    },
    async onPickerConfirm(e: WechatMiniprogram.CustomEvent<{ value: string[] }>) {
      this.setData({ pickerVisible: false })
      const [month = '', day = ''] = e.detail.value ?? []
      const birthday = monthDayOf(month, day)
      if (!birthday) return toast('日期不存在，请重新选择')
      this.setData({ pickerValue: [month, day] })
      await this.saveBirthday(birthday)
    },
    async saveBirthday(birthday: string) {
      if (this.data.savingBirthday) return
      const [m, d] = birthday.split('-').map(Number)
      const ok = await confirmDialog('确认生日', `生日设置为 ${m}月${d}日？生日设置后不可修改`, '确认设置')
      if (!ok) return
      await exclusive(this, 'savingBirthday', async () => {
        const res = await callCloud('member', 'setBirthday', { birthday })
        const [rm, rd] = res.birthday.split('-').map(Number)
        this.setData({ 'view.birthdayText': `${rm}月${rd}日`, 'view.canSetBirthday': false })
        toast('生日已设置，生日月将收到专属礼遇')
      })
    },
  },
  onQuery(query) {
    const s = local(this)
    s.inviter = /^\d{8}$/.test(query.inviter ?? '') ? (query.inviter as string) : ''
    const timeline = launchScene() === TIMELINE_SCENE
    if (s.inviter) this.setData({ inviterHint: '好友邀请你成为会员，首次消费即可加入' })
    if (timeline) this.setData({ timeline })
  },
  /** quiet (back on screen): a refresh of what is shown, and a failure keeps the current view. */
  async load({ quiet }) {
    let data: Awaited<ReturnType<typeof callCloud<'member', 'card'>>>
    try {
      data = await callCloud('member', 'card', {})
    } catch (e) {
      if (quiet) throw e
      this.stopCode()
      // Moments single-page mode may not reach the server: still show what the card is about.
      if (this.data.timeline) return { viewState: 'empty', emptyText: '好友邀请你成为会员：首次消费即可加入，享积分与会员权益。点击下方「前往小程序」即可加入' }
      throw e
    }
    const view = cardViewModel(data)
    const s = local(this)
    s.loaded = true
    s.memberNo = data.member?.memberNo ?? ''
    if (view.isMember) {
      if (s.visible) this.startCode()
    } else {
      this.stopCode()
      void this.bindInviter()
    }
    return { view, viewState: view.isMember ? 'ready' : 'empty', ...(this.data.timeline ? {} : { emptyText: DEFAULT_EMPTY_TEXT }) }
  },
})
