import { callCloud } from '../../../lib/call-cloud'
import { AMOUNT_REQUIRED, type AmountChange } from '../../../lib/money'
import { definePage, exclusive } from '../../../lib/page'
import { SubmitIds } from '../../../lib/request-id'
import { memberKeyOf, memberRefOf, scanText } from '../../../lib/staff'
import { getStaffSession } from '../../../lib/staff-session'
import { instanceStore, toast } from '../../../lib/ui'
import { cashierResultView, type CashierResultView } from './view-model'

const local = instanceStore(() => ({ ids: new SubmitIds() }))

const emptyResult: CashierResultView = { title: '', amountText: '', memberText: '', pointsText: '', tierText: '', note: '' }

definePage({
  data: {
    stores: [] as { id: string; name: string }[],
    storeId: '',
    memberInput: '',
    memberError: '',
    amount: '',
    amountError: '',
    /** the amount in fen as amount-input last parsed it; null while it is not a valid amount */
    typedFen: null as number | null,
    submitting: false,
    lastRequestId: '',
    done: false,
    result: emptyResult,
  },
  onQuery(query) {
    if (query.memberNo) this.setData({ memberInput: query.memberNo })
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff) return { viewState: 'empty' }
    const stores = staff.stores.map((s) => ({ id: s.id, name: s.name }))
    return { stores, storeId: stores.length === 1 ? stores[0].id : '', viewState: stores.length ? 'ready' : 'empty' }
  },
  methods: {
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
    onAmountChange(e: WechatMiniprogram.CustomEvent<AmountChange>) {
      const { value, fen, error } = e.detail
      this.setData({ amount: value, typedFen: fen, amountError: error })
    },

    /** One submit = one clientRequestId; a retry of the same submit (same payload) reuses it. */
    async onSubmit() {
      if (this.data.submitting) return
      const store = this.data.stores.find((x) => x.id === this.data.storeId)
      if (!store) return toast('请选择收银门店')
      const ref = memberRefOf(this.data.memberInput)
      if (!ref.ok) {
        this.setData({ memberError: ref.message })
        return toast(ref.message)
      }
      const amountFen = this.data.typedFen
      if (amountFen === null) {
        const message = this.data.amountError || AMOUNT_REQUIRED
        this.setData({ amountError: message })
        return toast(message)
      }
      const s = local(this)
      // Keyed by the member, not the code: a retry after a lost answer may need a rescanned code.
      const clientRequestId = s.ids.idFor({ storeId: store.id, amountFen, member: memberKeyOf(ref.ref) })
      await exclusive(this, 'submitting', async () => {
        this.setData({ lastRequestId: clientRequestId })
        const res = await callCloud('admin', 'cashier.capture', { storeId: store.id, amountFen, ...ref.ref, clientRequestId })
        s.ids.done()
        this.setData({ done: true, result: cashierResultView(res, amountFen, store.name) })
      })
    },
    onNext() {
      local(this).ids.done()
      this.setData({ done: false, memberInput: '', amount: '', typedFen: null, amountError: '', memberError: '', result: emptyResult })
    },
  },
})
