import { callCloud } from '../../../lib/call-cloud'
import { datasetText } from '../../../lib/dataset'
import { formatYuan } from '../../../lib/money'
import { definePage, exclusive } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { confirmDialog, instanceStore, toast, toastError } from '../../../lib/ui'
import { chinaMinute as minuteOf } from '../../../lib/coupons'
import type { VerificationView } from '../../../shared/coupon-rules'

interface HistoryRow {
  id: string
  title: string
  valueLabel: string
  whenWhere: string
  memberText: string
  amountText: string
  undone: boolean
  undoneText: string
  undoable: boolean
}

function historyRow(v: VerificationView): HistoryRow {
  return {
    id: v.id,
    title: v.title,
    valueLabel: v.valueLabel,
    whenWhere: `${minuteOf(v.createdAt)} · ${v.storeName} · ${v.clerkName}`,
    memberText: v.memberNo ? `会员号 ${v.memberNo}` : '非会员',
    amountText: v.orderAmountFen ? ` · 订单 ${formatYuan(v.orderAmountFen)}${v.discountFen ? `，优惠 ${formatYuan(v.discountFen)}` : ''}` : '',
    undone: v.status === 'undone',
    undoneText: v.status === 'undone' ? `已撤销${v.undoneAt ? ` · ${minuteOf(v.undoneAt)}` : ''}${v.undoneByName ? ` · ${v.undoneByName}` : ''}` : '',
    undoable: v.undoable,
  }
}

const local = instanceStore(() => ({ page: 1 }))

/**
 * 核销记录: a store's verifications, newest first (HQ and the owner see every store, or one).
 * A manager or above may undo one within 10 minutes (the server says which: `undoable`); the
 * coupon is usable again and the undo is recorded.
 */
definePage({
  data: { filters: [] as { id: string; name: string }[], storeId: '', rows: [] as HistoryRow[], hasMore: false, loadingMore: false, undoing: '' },
  refreshOnShow: true,
  methods: {
    onFilter(e: WechatMiniprogram.TouchEvent) {
      const id = datasetText(e, 'id')
      if (id === this.data.storeId) return
      this.setData({ storeId: id })
      void this.reload()
    },
    async onMore() {
      await exclusive(this, 'loadingMore', async () => {
        const s = local(this)
        const res = await callCloud('admin', 'coupons.history', { page: s.page + 1, ...(this.data.storeId ? { storeId: this.data.storeId } : {}) })
        s.page += 1
        this.setData({ rows: [...this.data.rows, ...res.verifications.map(historyRow)], hasMore: res.hasMore })
      })
    },
    async onUndo(e: WechatMiniprogram.TouchEvent) {
      const id = datasetText(e, 'id')
      const row = this.data.rows.find((r) => r.id === id)
      if (!row || this.data.undoing) return
      if (!(await confirmDialog('撤销核销', `撤销后「${row.title}」将回到顾客券包，可再次使用。`, '撤销'))) return
      this.setData({ undoing: id })
      try {
        const { verification } = await callCloud('admin', 'coupons.undo', { verificationId: id })
        this.setData({ rows: this.data.rows.map((r) => (r.id === id ? historyRow(verification) : r)) })
        toast('已撤销，券已退回顾客')
      } catch (err) {
        toastError(err)
        // past the 10 minutes or undone by someone else: show what is true now
        void this.reload({ quiet: true })
      } finally {
        this.setData({ undoing: '' })
      }
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff) return { viewState: 'empty', rows: [] }
    const stores = staff.stores.map((s) => ({ id: s.id, name: s.name }))
    // HQ and the owner may look at all stores at once; store staff at one of theirs
    const filters = staff.capabilities.seesAllStores ? [{ id: '', name: '全部门店' }, ...stores] : stores
    const storeId = filters.some((f) => f.id === this.data.storeId) ? this.data.storeId : (filters[0]?.id ?? '')
    local(this).page = 1
    const res = await callCloud('admin', 'coupons.history', { page: 1, ...(storeId ? { storeId } : {}) })
    const rows = res.verifications.map(historyRow)
    return { filters, storeId, rows, hasMore: res.hasMore, viewState: rows.length ? 'ready' : 'empty' }
  },
})
