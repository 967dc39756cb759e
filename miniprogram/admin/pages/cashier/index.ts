import { callCloud } from '../../../lib/call-cloud'
import { parseYuanToFen } from '../../../lib/money'
import { SubmitIds } from '../../../lib/request-id'
import { memberKeyOf, memberRefOf, scanText } from '../../../lib/staff'
import { instanceStore, toast, toastError } from '../../../lib/ui'
import { errorMessageOf, initialLoadable } from '../../../lib/view-state'
import { cashierResultView, type CashierResultView } from './view-model'

const local = instanceStore(() => ({ ids: new SubmitIds(), submitting: false }))

const emptyResult: CashierResultView = { title: '', amountText: '', memberText: '', pointsText: '', tierText: '', note: '' }

Component({
  data: {
    ...initialLoadable,
    stores: [] as { id: string; name: string }[],
    storeId: '',
    memberInput: '',
    memberError: '',
    amount: '',
    amountError: '',
    submitting: false,
    lastRequestId: '',
    done: false,
    result: emptyResult,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query?.memberNo) this.setData({ memberInput: query.memberNo })
      void this.load()
    },
    onRetry() {
      void this.load()
    },
    async load() {
      this.setData({ viewState: 'loading' })
      try {
        const { staff } = await callCloud('admin', 'me', {})
        if (!staff) return this.setData({ viewState: 'empty', errorMessage: '' })
        const stores = staff.stores.map((s) => ({ id: s.id, name: s.name }))
        this.setData({ stores, storeId: stores.length === 1 ? stores[0].id : '', viewState: stores.length ? 'ready' : 'empty', errorMessage: '' })
      } catch (e) {
        this.setData({ viewState: 'error', errorMessage: errorMessageOf(e) })
      }
    },
    onPickStore(e: WechatMiniprogram.TouchEvent) {
      this.setData({ storeId: String(e.currentTarget.dataset.id ?? '') })
    },
    onMemberInput(e: WechatMiniprogram.Input) {
      this.setData({ memberInput: e.detail.value, memberError: '' })
    },
    async onScan() {
      const text = await scanText()
      if (!text) return
      const ref = memberRefOf(text)
      this.setData({ memberInput: text.replace(/\s+/g, ''), memberError: ref.ok ? '' : '未识别的会员码，请让顾客打开会员卡出示会员码' })
    },
    onAmountChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const amount = e.detail.value
      const parsed = parseYuanToFen(amount)
      this.setData({ amount, amountError: amount === '' || parsed.ok ? '' : parsed.message })
    },

    /** One submit = one clientRequestId; a retry of the same submit (same payload) reuses it. */
    async onSubmit() {
      const s = local(this)
      if (s.submitting) return
      const store = this.data.stores.find((x) => x.id === this.data.storeId)
      if (!store) return toast('请选择收银门店')
      const ref = memberRefOf(this.data.memberInput)
      if (!ref.ok) {
        this.setData({ memberError: ref.message })
        return toast(ref.message)
      }
      const amount = parseYuanToFen(this.data.amount)
      if (!amount.ok) {
        this.setData({ amountError: amount.message })
        return toast(amount.message)
      }
      const payload = { storeId: store.id, amountFen: amount.fen, ...ref.ref }
      // Keyed by the member, not the code: a retry after a lost answer may need a rescanned code.
      const clientRequestId = s.ids.idFor({ storeId: store.id, amountFen: amount.fen, member: memberKeyOf(ref.ref) })
      s.submitting = true
      this.setData({ submitting: true, lastRequestId: clientRequestId })
      try {
        const res = await callCloud('admin', 'cashier.capture', { ...payload, clientRequestId })
        s.ids.done()
        this.setData({ done: true, result: cashierResultView(res, amount.fen, store.name) })
      } catch (e) {
        toastError(e)
      } finally {
        s.submitting = false
        this.setData({ submitting: false })
      }
    },
    onNext() {
      local(this).ids.done()
      this.setData({ done: false, memberInput: '', amount: '', amountError: '', memberError: '', result: emptyResult })
    },
  },
})
