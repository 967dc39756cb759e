import { callCloud } from '../../lib/call-cloud'
import { avatarSrc } from '../../lib/avatar'
import { definePage } from '../../lib/page'
import { askReminders } from '../../lib/subscribe'
import { isBirthdayMonth } from '../../shared/reward-rules'
import { toast, toastError } from '../../lib/ui'
import { rememberCard } from '../../lib/member-profile'
import { bindInviterOnce } from '../../lib/inviter'
import { cardViewModel, type CardView } from './view-model'
import { birthdayData, closeBirthday, openBirthday, pickBirthday } from './birthday'
import { bindPhone } from './phone'
import { BOUND_HINT, cardShareMessage, DEFAULT_EMPTY_TEXT, openedFrom, TIMELINE_EMPTY_TEXT } from './share'

const emptyView: CardView = cardViewModel({ brand: { name: '', logoUrl: '', cardBackground: '', cardTextColor: '' }, member: null })

/**
 * 会员卡. The member code rotates by itself (components/member-code); birthday, phone and
 * sharing live in their modules: this file wires the page's events to them.
 */
definePage({
  data: {
    view: emptyView, holder: { nickname: '', avatarUrl: '' }, memberNo: '', inviteToken: '', emptyText: DEFAULT_EMPTY_TEXT, inviter: '', inviterHint: '', timeline: false, ...birthdayData,
    // Rewards (issue 13): this year's birthday coupon, granted when the card is opened in the birthday month.
    birthdayGift: null as { title: string; couponId: string } | null,
  },
  // Back from paying (or another tab): points, tier, even membership may have changed.
  refreshOnShow: true,
  methods: {
    onShareAppMessage() {
      return cardShareMessage(this.data.view.brandName, this.data.inviteToken)
    },
    /** Opened from a friend's share: bind the inviter once (the server keeps the first). */
    async bindInviter() {
      if (this.data.timeline) return
      const hint = await bindInviterOnce(this, this.data.inviter, BOUND_HINT)
      if (hint) this.setData({ inviterHint: hint })
    },
    onGetPhone(e: WechatMiniprogram.CustomEvent<{ code?: string; errMsg?: string }>) {
      return bindPhone(this, e.detail)
    },
    openBirthday() {
      openBirthday(this)
    },
    onPickerCancel() {
      closeBirthday(this)
    },
    onPickerConfirm(e: WechatMiniprogram.CustomEvent<{ value: string[] }>) {
      return pickBirthday(this, e.detail.value)
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
    async loadBirthdayGift() {
      try {
        const { gift } = await callCloud('member', 'birthdayGift', {})
        this.setData({ birthdayGift: gift && gift.couponId ? { title: gift.title, couponId: gift.couponId } : null })
      } catch {
        // the card stands without it; the coupon is in 我的券 either way
      }
    },
    goBirthdayGift() {
      const gift = this.data.birthdayGift
      if (gift) void wx.navigateTo({ url: `/coupons/pages/detail/index?id=${encodeURIComponent(gift.couponId)}` })
    },
    /** 生日提醒: asked on the tap next to the birthday (WeChat's rule). */
    async onAskBirthdayReminder() {
      try {
        toast((await askReminders(['birthday'])) ? '已开启生日提醒' : '未开启提醒')
      } catch (e) {
        toastError(e)
      }
    },
  },
  onQuery(query) {
    this.setData(openedFrom(query))
  },
  /** quiet (back on screen): a refresh of what is shown, and a failure keeps the current view. */
  async load({ quiet }) {
    let data: Awaited<ReturnType<typeof callCloud<'member', 'card'>>>
    try {
      data = await callCloud('member', 'card', {})
    } catch (e) {
      if (!quiet && this.data.timeline) return { viewState: 'empty', emptyText: TIMELINE_EMPTY_TEXT }
      throw e
    }
    rememberCard(data.member)
    const view = cardViewModel(data)
    if (!view.isMember) void this.bindInviter()
    // Only in the birthday month (China time) is there a gift to grant or show.
    else if (isBirthdayMonth(data.member?.birthday, new Date())) void this.loadBirthdayGift()
    const holder = { nickname: data.member?.nickname ?? '', avatarUrl: avatarSrc(data.member?.avatarFileId) }
    return { view, holder, memberNo: data.member?.memberNo ?? '', inviteToken: ('inviteToken' in data ? data.inviteToken : '') ?? '', viewState: view.isMember ? 'ready' : 'empty', ...(this.data.timeline ? {} : { emptyText: DEFAULT_EMPTY_TEXT }) }
  },
})
