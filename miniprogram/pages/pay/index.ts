import { askReminders } from '../../lib/subscribe'
import { callCloud } from '../../lib/call-cloud'
import { currentPosition, type LatLng } from '../../lib/geo'
import { datasetText } from '../../lib/dataset'
import { AMOUNT_REQUIRED, formatYuan, type AmountChange } from '../../lib/money'
import { definePage, exclusive } from '../../lib/page'
import { isLocalMode, requestPayment, simulateLocalPayment } from '../../lib/payment'
import { pollUntil } from '../../lib/poll'
import { instanceStore, toast, toastError } from '../../lib/ui'
import { couponData, couponsCurrent, pickCoupon, quoteCoupons, scheduleCouponQuote, stopCouponQuote } from './coupons'
import { isPaymentCancel, payResultView, storeItems, storeSelection, type PayResultView, type Store, type StoreItem } from './view-model'

/** How long the page waits for WeChat Pay's callback to be processed before saying 「确认中」. */
export const STATUS_TIMEOUT_MS = 10_000
export const STATUS_INTERVAL_MS = 1_000

const local = instanceStore(() => ({ stores: [] as Store[], origin: null as LatLng | null, userPicked: false, touchpoint: '', preferredStoreId: '' }))

const emptyResult: PayResultView = { kind: 'pending', title: '', amountText: '', pointsText: '', welcome: '', tierText: '' }

/** Payment did not go through: said once, nothing else to do. */
class PaymentStopped extends Error {}

definePage({
  data: {
    stores: [] as StoreItem[],
    storeIndex: 0,
    storeName: '',
    storeMeta: '',
    storePickerVisible: false,
    storePickerValue: [] as string[],
    locating: false,
    amount: '',
    amountError: '',
    /** the amount in fen as amount-input last parsed it; null while it is not a valid amount */
    typedFen: null as number | null,
    paying: false,
    stage: 'form' as 'form' | 'result',
    result: emptyResult,
    rechecking: false,
    outTradeNo: '',
    amountFen: 0,
    // Coupons (coupons-ui): the usable ones for this store and amount, best first.
    ...couponData,
    /** the result's line when a coupon was used */
    savingText: '',
    // Rewards (issue 13): what the payment earned (消费有礼), each with a path to it.
    rewards: [] as { kind: string; text: string; path: string }[],
    remindersAsked: false,
  },
  onQuery(query) {
    const s = local(this)
    s.touchpoint = (query.touchpoint ?? '').slice(0, 64)
    // The store from a table tent's QR code; kept for a retry after a failed load.
    s.preferredStoreId = query.storeId ?? ''
  },
  async load() {
    const { stores } = await callCloud('member', 'stores', {})
    const s = local(this)
    s.stores = stores
    if (!stores.length) return { viewState: 'empty' }
    const preferred = s.preferredStoreId
    this.showStores(preferred)
    if (preferred && stores.some((x) => x.id === preferred)) s.userPicked = true
    void this.locate()
    return {}
  },
  methods: {
    showStores(selectId: string) {
      const s = local(this)
      const items = storeItems(s.stores, s.origin)
      this.setData({ stores: items })
      this.selectStore(Math.max(0, items.findIndex((x) => x.id === selectId)))
    },
    selectStore(index: number) {
      const picked = storeSelection(this.data.stores, index)
      if (!picked) return
      const changed = this.data.stores[this.data.storeIndex]?.id !== this.data.stores[index]?.id || !this.data.couponsFor
      this.setData(picked)
      if (changed) scheduleCouponQuote(this)
    },

    /** Nearest store first when the user allows location; otherwise the list stays as listed. */
    async locate() {
      this.setData({ locating: true })
      const pos = await currentPosition()
      if (pos) {
        const s = local(this)
        s.origin = pos
        const current = this.data.stores[this.data.storeIndex]?.id ?? ''
        const items = storeItems(s.stores, pos)
        this.setData({ stores: items })
        this.selectStore(s.userPicked ? Math.max(0, items.findIndex((x) => x.id === current)) : 0)
      }
      this.setData({ locating: false })
    },

    openStorePicker() {
      this.setData({ storePickerVisible: true })
    },
    onStorePickerCancel() {
      this.setData({ storePickerVisible: false })
    },
    onStorePickerConfirm(e: WechatMiniprogram.CustomEvent<{ value: string[] }>) {
      const id = e.detail.value?.[0]
      const index = this.data.stores.findIndex((x) => x.id === id)
      this.setData({ storePickerVisible: false })
      if (index >= 0) {
        local(this).userPicked = true
        this.selectStore(index)
      }
    },

    onAmountChange(e: WechatMiniprogram.CustomEvent<AmountChange>) {
      const { value, fen, error } = e.detail
      const changed = fen !== this.data.typedFen
      this.setData({ amount: value, typedFen: fen, amountError: error })
      if (changed) scheduleCouponQuote(this)
    },

    toggleCoupons() {
      if (this.data.couponOptions.length || this.data.couponUnusable.length) this.setData({ couponsOpen: !this.data.couponsOpen })
    },
    onPickCoupon(e: WechatMiniprogram.TouchEvent) {
      pickCoupon(this, datasetText(e, 'id'))
    },

    async onPay() {
      if (this.data.paying) return
      const amountFen = this.data.typedFen
      if (amountFen === null) {
        const message = this.data.amountError || AMOUNT_REQUIRED
        this.setData({ amountError: message })
        return toast(message)
      }
      const store = this.data.stores[this.data.storeIndex]
      if (!store) return toast('请选择门店')
      const touchpoint = local(this).touchpoint
      // the coupons shown are for another amount (typed just now): ask first, so what is paid is what was shown
      if (!couponsCurrent(this)) await quoteCoupons(this)
      const couponId = this.data.couponId
      const couponIds = this.data.couponIds
      // one coupon as before; a stack (coupon-gaps) as couponIds
      const coupons = couponIds.length > 1 ? { couponIds } : couponId ? { couponId } : {}
      let loading = false
      await exclusive(
        this,
        'paying',
        async () => {
          const order = await callCloud('member', 'createOrder', { storeId: store.id, amountFen, ...(touchpoint ? { touchpoint } : {}), ...coupons })
          try {
            await requestPayment(order.payment)
          } catch (err) {
            if (isPaymentCancel(err)) throw new PaymentStopped('已取消支付，未扣款')
            // In local mode the local cloud plays WeChat Pay, so a host without real payment goes on.
            if (!isLocalMode()) throw new PaymentStopped('支付未完成，请稍后重试')
          }
          if (isLocalMode()) await simulateLocalPayment(order.outTradeNo)
          void wx.showLoading?.({ title: '正在确认支付', mask: true })
          loading = true
          const status = await pollUntil(
            () => callCloud('member', 'orderStatus', { outTradeNo: order.outTradeNo }),
            (st) => st.status !== 'created',
            { timeoutMs: STATUS_TIMEOUT_MS, intervalMs: STATUS_INTERVAL_MS },
          )
          void wx.hideLoading?.({})
          loading = false
          // the amount paid is the server's (after the coupon it priced)
          const savingText = order.discountFen ? `已使用${couponIds.length > 1 ? ` ${couponIds.length} 张` : ''}优惠券，节省 ${formatYuan(order.discountFen)}` : ''
          stopCouponQuote(this)
          this.setData({ stage: 'result', result: payResultView(status, order.amountFen), outTradeNo: order.outTradeNo, amountFen: order.amountFen, savingText })
          if (status?.status === 'paid') void this.loadRewards(order.outTradeNo)
        },
        (e) => {
          // Hide the mask first (a loading left up blocks the page; hiding later would also hide the toast).
          if (loading) void wx.hideLoading?.({})
          if (e instanceof PaymentStopped) toast(e.message)
          else toastError(e)
          // a coupon refused (used meanwhile, locked by another order): show the list as it is now
          if (couponId) scheduleCouponQuote(this)
        },
      )
    },

    /** Still 确认中 after the wait: ask again when the person wants to. */
    async onRecheck() {
      if (!this.data.outTradeNo) return
      await exclusive(this, 'rechecking', async () => {
        const status = await callCloud('member', 'orderStatus', { outTradeNo: this.data.outTradeNo })
        this.setData({ result: payResultView(status, this.data.amountFen) })
        if (status.status === 'created') toast('仍在确认中，请稍后再试')
      })
    },
    async loadRewards(outTradeNo: string) {
      try {
        const { rewards } = await callCloud('member', 'orderRewards', { outTradeNo })
        if (this.data.outTradeNo === outTradeNo) this.setData({ rewards })
      } catch {
        // the result stands without its rewards line; the coupons and points pages show them too
      }
    },
    onReward(e: WechatMiniprogram.TouchEvent) {
      const path = datasetText(e, 'path')
      if (path) void wx.navigateTo({ url: path })
    },
    /** 到期提醒: asked on the person's tap (WeChat's rule), one credit per template accepted. */
    async onAskReminders() {
      try {
        const n = await askReminders(['couponExpiring', 'checkIn', 'birthday'])
        this.setData({ remindersAsked: true })
        toast(n ? '已开启提醒' : '未开启提醒')
      } catch (e) {
        toastError(e)
      }
    },
    payAgain() {
      this.setData({ stage: 'form', amount: '', typedFen: null, amountError: '', result: emptyResult, outTradeNo: '', amountFen: 0, savingText: '', rewards: [], remindersAsked: false, ...couponData })
    },
    goStores() {
      void wx.navigateTo({ url: '/conveniences/pages/stores/index' })
    },
    goCard() {
      void wx.switchTab({ url: '/pages/card/index' })
    },
  },
})
