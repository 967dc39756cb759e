import { callCloud } from '../../../lib/call-cloud'
import { AMOUNT_REQUIRED, type AmountChange } from '../../../lib/money'
import { definePage, exclusive } from '../../../lib/page'
import { SubmitIds } from '../../lib/request-id'
import { memberKeyOf, memberRefOf, scanText } from '../../lib/staff'
import { getStaffSession } from '../../../lib/staff-session'
import { instanceStore, toast, toastError } from '../../../lib/ui'
import { datasetText } from '../../../lib/dataset'
import { counterItem, type CounterItem } from '../coupon-verify/view-model'
import { approvalResultView, cashierResultView, type ApprovalView, type CashierResultView } from './view-model'

const local = instanceStore(() => ({ ids: new SubmitIds() }))

const emptyResult: CashierResultView = { title: '', amountText: '', memberText: '', pointsText: '', tierText: '', note: '', couponText: '' }
const NO_COUPONS = { coupons: [] as CounterItem[], couponsLoaded: false, couponId: '' }
const noApproval: ApprovalView = { id: '', status: 'pending', title: '', amountText: '', lines: [] }

definePage({
  data: {
    stores: [] as { id: string; name: string }[],
    storeId: '',
    memberInput: '',
    memberError: '',
    /** Last 4 digits of the member's phone, asked for when a member number is typed (not scanned). */
    phoneLast4: '',
    typedNumber: false,
    amount: '',
    amountError: '',
    /** the amount in fen as amount-input last parsed it; null while it is not a valid amount */
    typedFen: null as number | null,
    submitting: false,
    lastRequestId: '',
    done: false,
    result: emptyResult,
    // Coupons (coupons-ui): the member's coupons for this store and amount, one picked to apply.
    coupons: [] as CounterItem[],
    couponsLoaded: false,
    couponId: '',
    lookingCoupons: false,
    /** A sale waiting for a manager (等待店长审批), then its result. */
    approval: noApproval,
    checking: false,
  },
  onQuery(query) {
    if (query.memberNo) this.setData({ memberInput: query.memberNo, typedNumber: /^\d{8}$/.test(query.memberNo) })
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff) return { viewState: 'empty' }
    const stores = staff.stores.map((s) => ({ id: s.id, name: s.name }))
    return { stores, storeId: stores.length === 1 ? stores[0].id : '', viewState: stores.length ? 'ready' : 'empty' }
  },
  methods: {
    onPickStore(e: WechatMiniprogram.TouchEvent) {
      this.setData({ storeId: String(e.currentTarget.dataset.id ?? ''), ...NO_COUPONS })
    },
    onMemberInput(e: WechatMiniprogram.Input) {
      this.setData({ memberInput: e.detail.value, memberError: '', typedNumber: /^\d{8}$/.test(e.detail.value.trim()), ...NO_COUPONS })
    },

    /** The member's coupons usable here for this amount (needs the member code: it proves the member is at the counter). */
    async onFindCoupons() {
      const ref = memberRefOf(this.data.memberInput)
      if (!this.data.storeId) return toast('请选择收银门店')
      if (!ref.ok || !('memberCode' in ref.ref)) return toast('请先扫描顾客的会员码')
      const amountFen = this.data.typedFen
      if (amountFen === null) return toast('请先输入消费金额')
      const code = ref.ref.memberCode
      await exclusive(this, 'lookingCoupons', async () => {
        const res = await callCloud('admin', 'coupons.lookup', { storeId: this.data.storeId, code, amountFen })
        // gift coupons are verified at 核销, not applied to a bill
        const coupons = res.coupons.map(counterItem).filter((c) => c.kind !== 'gift')
        const best = coupons.find((c) => !c.refusal)
        this.setData({ coupons, couponsLoaded: true, couponId: best?.id ?? '' })
      })
    },
    onPickCoupon(e: WechatMiniprogram.TouchEvent) {
      const id = datasetText(e, 'id')
      const c = this.data.coupons.find((x) => x.id === id)
      if (id && c?.refusal) return toast(c.refusal)
      this.setData({ couponId: id === this.data.couponId ? '' : id })
    },
    onPhoneLast4Input(e: WechatMiniprogram.Input) {
      this.setData({ phoneLast4: e.detail.value.replace(/\D/g, '').slice(0, 4) })
    },
    async onScan() {
      const text = await scanText()
      if (!text) return
      const ref = memberRefOf(text)
      this.setData({ memberInput: text.replace(/\s+/g, ''), typedNumber: false, memberError: ref.ok ? '' : '未识别的会员码，请让顾客打开会员卡出示会员码' })
    },
    onAmountChange(e: WechatMiniprogram.CustomEvent<AmountChange>) {
      const { value, fen, error } = e.detail
      // the coupons' savings and thresholds were for another amount
      this.setData({ amount: value, typedFen: fen, amountError: error, ...(fen !== this.data.typedFen ? NO_COUPONS : {}) })
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
      const couponId = this.data.couponId
      const clientRequestId = s.ids.idFor({ storeId: store.id, amountFen, member: memberKeyOf(ref.ref), couponId })
      await exclusive(
        this,
        'submitting',
        async () => {
          this.setData({ lastRequestId: clientRequestId })
          const phoneLast4 = 'memberNo' in ref.ref && /^\d{4}$/.test(this.data.phoneLast4) ? { phoneLast4: this.data.phoneLast4 } : {}
          const res = await callCloud('admin', 'cashier.capture', { storeId: store.id, amountFen, ...ref.ref, ...phoneLast4, clientRequestId, ...(couponId ? { couponId } : {}) })
          s.ids.done()
          if ('pendingApproval' in res) this.setData({ done: true, approval: approvalResultView(res.pendingApproval) })
          else this.setData({ done: true, approval: noApproval, result: cashierResultView(res, amountFen, store.name) })
        },
        (e) => {
          toastError(e)
          // a coupon refused at capture (used meanwhile …): pick again from what is true now
          if (couponId) this.setData({ ...NO_COUPONS })
        },
      )
    },
    /** 刷新审批结果: asks what became of the pending sale. */
    async onCheckApproval() {
      const id = this.data.approval.id
      if (!id) return
      await exclusive(this, 'checking', async () => {
        const res = await callCloud('admin', 'cashier.approval', { approvalId: id })
        this.setData({ approval: approvalResultView(res.approval) })
        if (res.approval.status === 'pending') toast('店长尚未处理')
      })
    },
    onNext() {
      local(this).ids.done()
      this.setData({ done: false, memberInput: '', phoneLast4: '', typedNumber: false, amount: '', typedFen: null, amountError: '', memberError: '', result: emptyResult, approval: noApproval, ...NO_COUPONS })
    },
  },
})
