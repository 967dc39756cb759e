import dayjs from 'dayjs'
import { callCloud } from '../../../lib/call-cloud'
import { confirmDialog, instanceStore, toast, toastError } from '../../../lib/ui'
import { errorMessageOf, initialLoadable } from '../../../lib/view-state'
import { memberSummaryView, type MemberSummaryView } from '../members/view-model'
import { canEditManualTags, orderRows, profileExtra, type OrderRow } from './view-model'

interface LedgerRow {
  key: string
  title: string
  deltaText: string
  positive: boolean
  timeText: string
}

const local = instanceStore(() => ({ memberNo: '', busy: false, role: '' }))

function ledgerRows(items: { delta: number; title: string; createdAt: string | null }[], offset: number): LedgerRow[] {
  return items.map((r, i) => ({
    key: `${offset + i}`,
    title: r.title,
    deltaText: r.delta > 0 ? `+${r.delta}` : String(r.delta),
    positive: r.delta > 0,
    timeText: r.createdAt ? dayjs(r.createdAt).format('YYYY-MM-DD HH:mm') : '',
  }))
}

Component({
  data: {
    ...initialLoadable,
    member: null as MemberSummaryView | null,
    manualTags: [] as string[],
    /** members.tag is refused to clerks: the add/remove controls show only to roles that may */
    canTag: false,
    extra: [] as { label: string; value: string }[],
    ledger: [] as LedgerRow[],
    orders: [] as OrderRow[],
    page: 1,
    hasMore: false,
    newTag: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      local(this).memberNo = query?.memberNo ?? ''
      void this.load()
    },
    onRetry() {
      void this.load()
    },
    async load() {
      const memberNo = local(this).memberNo
      if (!/^\d{8}$/.test(memberNo)) return this.setData({ viewState: 'error', errorMessage: '会员号无效' })
      this.setData({ viewState: 'loading' })
      try {
        const s = local(this)
        // The caller's role decides which controls show (the server refuses the rest anyway);
        // if it cannot be known, the tag controls stay hidden and the profile still shows.
        const [res, role] = await Promise.all([
          callCloud('admin', 'members.profile', { memberNo, page: 1 }),
          s.role ? Promise.resolve(s.role) : callCloud('admin', 'me', {}).then((r) => r.staff?.role ?? '', () => ''),
        ])
        s.role = role
        const m = res.member
        this.setData({
          viewState: 'ready',
          errorMessage: '',
          member: memberSummaryView(m),
          manualTags: m.manualTags,
          canTag: canEditManualTags(role),
          extra: profileExtra(m),
          ledger: ledgerRows(res.ledger, 0),
          orders: orderRows(res.orders),
          page: 1,
          hasMore: res.hasMore,
        })
      } catch (e) {
        this.setData({ viewState: 'error', errorMessage: errorMessageOf(e) })
      }
    },
    async loadMore() {
      const s = local(this)
      if (s.busy || !this.data.hasMore) return
      s.busy = true
      try {
        const page = this.data.page + 1
        const res = await callCloud('admin', 'members.profile', { memberNo: s.memberNo, page })
        this.setData({ ledger: [...this.data.ledger, ...ledgerRows(res.ledger, this.data.ledger.length)], page, hasMore: res.hasMore })
      } catch (e) {
        toastError(e)
      } finally {
        s.busy = false
      }
    },
    onReachBottom() {
      void this.loadMore()
    },
    /** Full refund of one order: WeChat Pay refunds the money, the order's points come back out. */
    async onRefund(e: WechatMiniprogram.TouchEvent) {
      const s = local(this)
      const order = this.data.orders.find((o) => o.outTradeNo === e.currentTarget.dataset.no)
      if (s.busy || !order?.refundable) return
      const ok = await confirmDialog('确认退款', `将全额退款 ${order.amountText}，并扣回该笔订单获得的 ${order.pointsEarned} 积分。`, '确认退款')
      if (!ok) return
      s.busy = true
      try {
        const res = await callCloud('admin', 'orders.refund', { outTradeNo: order.outTradeNo })
        toast(res.alreadyRefunded ? '该订单已退款' : res.pointsDebt > 0 ? `已退款，积分不足部分记为待抵扣 ${res.pointsDebt}` : '已退款')
      } catch (err) {
        toastError(err)
      } finally {
        s.busy = false
      }
      await this.load()
    },
    onTagInput(e: WechatMiniprogram.Input) {
      this.setData({ newTag: e.detail.value })
    },
    async onAddTag() {
      const tag = this.data.newTag.trim()
      if (!tag) return toast('请输入标签')
      if (tag.length > 10) return toast('标签最多 10 个字')
      await this.changeTag(tag, false)
    },
    async onRemoveTag(e: WechatMiniprogram.TouchEvent) {
      await this.changeTag(String(e.currentTarget.dataset.tag ?? ''), true)
    },
    async changeTag(tag: string, remove: boolean) {
      const s = local(this)
      if (s.busy || !tag || !this.data.canTag) return
      s.busy = true
      try {
        const { tags } = await callCloud('admin', 'members.tag', { memberNo: s.memberNo, tag, ...(remove ? { remove: true } : {}) })
        const before = this.data.manualTags
        const auto = (this.data.member?.tags ?? []).filter((t) => !before.includes(t))
        this.setData({ manualTags: tags, 'member.tags': [...auto, ...tags], newTag: remove ? this.data.newTag : '' })
        toast(remove ? '已移除标签' : '已添加标签')
      } catch (e) {
        toastError(e)
      } finally {
        s.busy = false
      }
    },
  },
})
