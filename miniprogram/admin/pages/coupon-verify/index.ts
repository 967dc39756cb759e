import { callCloud, CloudCallError } from '../../../lib/call-cloud'
import { datasetText } from '../../../lib/dataset'
import { type AmountChange } from '../../../lib/money'
import { definePage, exclusive } from '../../../lib/page'
import { SubmitIds } from '../../lib/request-id'
import { scanText } from '../../lib/staff'
import { getStaffSession, may } from '../../../lib/staff-session'
import { confirmDialog, instanceStore, toast, toastError } from '../../../lib/ui'
import { normalizeCodeInput } from '../../../shared/coupon-labels'
import { counterItem, emptyVerifyResult, ownerText, refusalTitle, verifyResultView, type CounterItem, type VerifyResultView } from './view-model'

const local = instanceStore(() => ({ ids: new SubmitIds() }))

/** A refusal shown on the page (not only a toast that is gone in two seconds). */
function messageOf(e: unknown): { messageTitle: string; message: string } {
  if (e instanceof CloudCallError) return { messageTitle: refusalTitle(e.code), message: e.message }
  return { messageTitle: '网络异常', message: '网络不给力，请稍后重试' }
}

/**
 * 核销: the clerk scans the coupon's code, types its short code, or scans the member code and
 * picks one of the member's coupons; sees what it is, whose, where valid and until when; enters
 * the order amount where a threshold matters; confirms. One confirmation = one request id, kept
 * for a retry of the same confirmation, so a retried tap records once. Every refusal (已核销 with
 * when and where, another store, expired, in transit, forwarded away, threshold) is shown as the
 * server says it.
 */
definePage({
  data: {
    stores: [] as { id: string; name: string }[],
    storeId: '',
    codeInput: '',
    looking: false,
    looked: false,
    ownerText: '',
    coupons: [] as CounterItem[],
    pickedId: '',
    needsAmount: false,
    amount: '',
    amountError: '',
    typedFen: null as number | null,
    messageTitle: '',
    message: '',
    verifying: false,
    done: false,
    result: emptyVerifyResult as VerifyResultView,
  },
  onQuery(query) {
    if (query.code) this.setData({ codeInput: normalizeCodeInput(query.code).slice(0, 26) })
  },
  methods: {
    onPickStore(e: WechatMiniprogram.TouchEvent) {
      const id = datasetText(e, 'id')
      if (id === this.data.storeId) return
      // a lookup's answer (and its tickets) is for one store
      this.setData({ storeId: id, looked: false, coupons: [], pickedId: '', message: '', needsAmount: false })
    },
    onCodeInput(e: WechatMiniprogram.Input) {
      this.setData({ codeInput: e.detail.value, message: '' })
    },
    async onScan() {
      const text = await scanText()
      if (!text) return
      this.setData({ codeInput: normalizeCodeInput(text) })
      await this.onLookup()
    },
    onAmountChange(e: WechatMiniprogram.CustomEvent<AmountChange>) {
      const { value, fen, error } = e.detail
      this.setData({ amount: value, typedFen: fen, amountError: error })
    },
    onPick(e: WechatMiniprogram.TouchEvent) {
      const picked = this.data.coupons.find((c) => c.id === datasetText(e, 'id'))
      if (!picked) return
      if (picked.refusal) return toast(picked.refusal)
      this.setData({ pickedId: picked.id, needsAmount: picked.thresholdFen > 0, message: '' })
    },

    async onLookup() {
      const code = normalizeCodeInput(this.data.codeInput)
      if (!this.data.storeId) return toast('请选择核销门店')
      if (!code) return toast('请扫描或输入券码')
      await exclusive(
        this,
        'looking',
        async () => {
          this.setData({ message: '', pickedId: '', looked: false, coupons: [], needsAmount: false })
          const amountFen = this.data.typedFen
          const res = await callCloud('admin', 'coupons.lookup', { storeId: this.data.storeId, code, ...(amountFen !== null ? { amountFen } : {}) })
          const coupons = res.coupons.map(counterItem)
          const usable = coupons.filter((c) => !c.refusal)
          // one verifiable coupon (a coupon code): picked at once; a member's coupons: the clerk picks
          const picked = res.kind === 'coupon' && usable.length === 1 ? usable[0] : null
          this.setData({
            looked: true,
            ownerText: ownerText(res),
            coupons,
            pickedId: picked?.id ?? '',
            needsAmount: !!picked && picked.thresholdFen > 0,
            ...(res.kind === 'coupon' && coupons[0]?.refusal ? { messageTitle: '不能核销', message: coupons[0].refusal } : {}),
          })
        },
        (e) => this.setData(messageOf(e)),
      )
    },

    async onVerify() {
      const c = this.data.coupons.find((x) => x.id === this.data.pickedId)
      if (!c || !c.ticket || this.data.verifying) return
      const amountFen = this.data.typedFen
      if (c.thresholdFen > 0 && amountFen === null) {
        this.setData({ needsAmount: true, amountError: this.data.amountError || '请输入订单金额' })
        return toast('该券有使用门槛，请输入订单金额')
      }
      if (!(await confirmDialog('确认核销', `${c.title}（${c.valueLabel}）\n${c.owner}`, '核销'))) return
      const storeId = this.data.storeId
      const s = local(this)
      const requestId = s.ids.idFor({ couponId: c.id, storeId, amountFen })
      await exclusive(
        this,
        'verifying',
        async () => {
          const res = await callCloud('admin', 'coupons.verify', { storeId, ticket: c.ticket, requestId, ...(amountFen !== null ? { orderAmountFen: amountFen } : {}) })
          s.ids.done()
          this.setData({ done: true, result: verifyResultView(res.verification, res.alreadyRecorded) })
        },
        (e) => {
          this.setData(messageOf(e))
          toastError(e)
        },
      )
    },
    onNext() {
      local(this).ids.done()
      this.setData({ done: false, codeInput: '', looked: false, coupons: [], pickedId: '', needsAmount: false, amount: '', typedFen: null, amountError: '', message: '', result: emptyVerifyResult })
    },
    goHistory() {
      void wx.navigateTo({ url: '/admin/pages/coupon-history/index' })
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff) return { viewState: 'empty' }
    const stores = staff.stores.filter((s) => may(staff.capabilities, 'coupons.verify', s.id)).map((s) => ({ id: s.id, name: s.name }))
    if (!stores.length) return { viewState: 'empty' }
    const keep = stores.some((s) => s.id === this.data.storeId)
    return { stores, storeId: keep ? this.data.storeId : stores.length === 1 ? stores[0].id : '' }
  },
})
