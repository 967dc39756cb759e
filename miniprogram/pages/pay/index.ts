import { callCloud } from '../../lib/call-cloud'
import type { LatLng } from '../../lib/geo'
import { parseYuanToFen } from '../../lib/money'
import { isLocalMode, requestPayment, simulateLocalPayment } from '../../lib/payment'
import { pollUntil } from '../../lib/poll'
import { instanceStore, toast, toastError } from '../../lib/ui'
import { errorMessageOf, initialLoadable } from '../../lib/view-state'
import { isPaymentCancel, payResultView, storeItems, type PayResultView, type Store, type StoreItem } from './view-model'

/** How long the page waits for WeChat Pay's callback to be processed before saying 「确认中」. */
export const STATUS_TIMEOUT_MS = 10_000
export const STATUS_INTERVAL_MS = 1_000

const local = instanceStore(() => ({ stores: [] as Store[], origin: null as LatLng | null, userPicked: false, paying: false, touchpoint: '', preferredStoreId: '' }))

const emptyResult: PayResultView = { kind: 'pending', title: '', amountText: '', pointsText: '', welcome: '', tierText: '' }

Component({
  data: {
    ...initialLoadable,
    stores: [] as StoreItem[],
    storeIndex: 0,
    storeName: '',
    storeMeta: '',
    storePickerVisible: false,
    storePickerValue: [] as string[],
    locating: false,
    amount: '',
    amountError: '',
    paying: false,
    stage: 'form' as 'form' | 'result',
    result: emptyResult,
    rechecking: false,
    outTradeNo: '',
    amountFen: 0,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const s = local(this)
      s.touchpoint = (query?.touchpoint ?? '').slice(0, 64)
      // The store from a table tent's QR code; kept for a retry after a failed load.
      s.preferredStoreId = query?.storeId ?? ''
      void this.load(s.preferredStoreId)
    },
    onRetry() {
      void this.load(local(this).preferredStoreId)
    },

    async load(preferredStoreId: string) {
      this.setData({ viewState: 'loading' })
      try {
        const { stores } = await callCloud('member', 'stores', {})
        const s = local(this)
        s.stores = stores
        if (!stores.length) {
          this.setData({ viewState: 'empty', errorMessage: '' })
          return
        }
        this.showStores(preferredStoreId)
        this.setData({ viewState: 'ready', errorMessage: '' })
        if (preferredStoreId && stores.some((x) => x.id === preferredStoreId)) s.userPicked = true
        void this.locate()
      } catch (e) {
        this.setData({ viewState: 'error', errorMessage: errorMessageOf(e) })
      }
    },

    showStores(selectId: string) {
      const s = local(this)
      const items = storeItems(s.stores, s.origin)
      const index = Math.max(0, items.findIndex((x) => x.id === selectId))
      this.setData({ stores: items })
      this.selectStore(index)
    },

    selectStore(index: number) {
      const store = this.data.stores[index]
      if (!store) return
      this.setData({
        storeIndex: index,
        storeName: store.name,
        storeMeta: [store.distanceText && `距您 ${store.distanceText}`, store.address].filter(Boolean).join(' · '),
        storePickerValue: [store.id],
      })
    },

    /** Nearest store first when the user allows location; otherwise the list stays as listed. */
    async locate() {
      if (typeof wx.getLocation !== 'function') return
      this.setData({ locating: true })
      try {
        const pos = await new Promise<LatLng>((resolve, reject) =>
          wx.getLocation({ type: 'gcj02', success: (r) => resolve({ latitude: r.latitude, longitude: r.longitude }), fail: reject }),
        )
        const s = local(this)
        s.origin = pos
        const current = this.data.stores[this.data.storeIndex]?.id ?? ''
        const items = storeItems(s.stores, pos)
        this.setData({ stores: items })
        this.selectStore(s.userPicked ? Math.max(0, items.findIndex((x) => x.id === current)) : 0)
      } catch {
        // location refused or unavailable: keep the listed order
      } finally {
        this.setData({ locating: false })
      }
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

    onAmountChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const amount = e.detail.value
      const parsed = parseYuanToFen(amount)
      this.setData({ amount, amountError: amount === '' || parsed.ok ? '' : parsed.message })
    },

    async onPay() {
      const s = local(this)
      if (s.paying) return
      const parsed = parseYuanToFen(this.data.amount)
      if (!parsed.ok) {
        this.setData({ amountError: parsed.message })
        return toast(parsed.message)
      }
      const store = this.data.stores[this.data.storeIndex]
      if (!store) return toast('请选择门店')
      s.paying = true
      this.setData({ paying: true })
      let loading = false
      try {
        const order = await callCloud('member', 'createOrder', {
          storeId: store.id,
          amountFen: parsed.fen,
          ...(s.touchpoint ? { touchpoint: s.touchpoint } : {}),
        })
        try {
          await requestPayment(order.payment)
        } catch (err) {
          if (isPaymentCancel(err)) {
            toast('已取消支付，未扣款')
            return
          }
          // In local mode the local cloud plays WeChat Pay, so a host without real payment goes on.
          if (!isLocalMode()) {
            toast('支付未完成，请稍后重试')
            return
          }
        }
        if (isLocalMode()) await simulateLocalPayment(order.outTradeNo)
        wx.showLoading?.({ title: '正在确认支付', mask: true })
        loading = true
        const status = await pollUntil(
          () => callCloud('member', 'orderStatus', { outTradeNo: order.outTradeNo }),
          (st) => st.status !== 'created',
          { timeoutMs: STATUS_TIMEOUT_MS, intervalMs: STATUS_INTERVAL_MS },
        )
        wx.hideLoading?.({})
        loading = false
        this.setData({ stage: 'result', result: payResultView(status, parsed.fen), outTradeNo: order.outTradeNo, amountFen: parsed.fen })
      } catch (e) {
        // Hide the mask first (a loading left up blocks the page; hiding later would also hide the toast).
        if (loading) wx.hideLoading?.({})
        toastError(e)
      } finally {
        s.paying = false
        this.setData({ paying: false })
      }
    },

    /** Still 确认中 after the wait: ask again when the person wants to. */
    async onRecheck() {
      if (this.data.rechecking || !this.data.outTradeNo) return
      this.setData({ rechecking: true })
      try {
        const status = await callCloud('member', 'orderStatus', { outTradeNo: this.data.outTradeNo })
        this.setData({ result: payResultView(status, this.data.amountFen) })
        if (status.status === 'created') toast('仍在确认中，请稍后再试')
      } catch (e) {
        toastError(e)
      } finally {
        this.setData({ rechecking: false })
      }
    },
    payAgain() {
      this.setData({ stage: 'form', amount: '', amountError: '', result: emptyResult, outTradeNo: '', amountFen: 0 })
    },
    goCard() {
      void wx.switchTab({ url: '/pages/card/index' })
    },
  },
})
