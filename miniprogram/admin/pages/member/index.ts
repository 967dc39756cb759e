import { formatTime } from '../../../lib/date-format'
import { callCloud, CloudCallError } from '../../../lib/call-cloud'
import { definePage, exclusive } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { confirmDialog, instanceStore, toast } from '../../../lib/ui'
import { MANUAL_TAG_MAX } from '../../../shared/text-limits'
import { memberSummaryView, type MemberSummaryView } from '../members/view-model'
import { orderRows, profileExtra, type OrderRow } from './view-model'

interface LedgerRow {
  key: string
  title: string
  deltaText: string
  positive: boolean
  timeText: string
}

const local = instanceStore(() => ({ memberNo: '' }))

function ledgerRows(items: { delta: number; title: string; createdAt: string | null }[], offset: number): LedgerRow[] {
  return items.map((r, i) => ({
    key: `${offset + i}`,
    title: r.title,
    deltaText: r.delta > 0 ? `+${r.delta}` : String(r.delta),
    positive: r.delta > 0,
    timeText: r.createdAt ? formatTime(r.createdAt, 'YYYY-MM-DD HH:mm') : '',
  }))
}

definePage({
  data: {
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
    /** one change at a time: a page of history, a refund or a tag */
    busy: false,
  },
  methods: {
    async loadMore(): Promise<void> {
      if (!this.data.hasMore) return
      await exclusive(this, 'busy', async () => {
        const page = this.data.page + 1
        const res = await callCloud('admin', 'members.profile', { memberNo: local(this).memberNo, page })
        this.setData({ ledger: [...this.data.ledger, ...ledgerRows(res.ledger, this.data.ledger.length)], page, hasMore: res.hasMore })
      })
    },
    onReachBottom() {
      void this.loadMore()
    },
    /** Full refund of one order: WeChat Pay refunds the money, the order's points come back out. */
    async onRefund(e: WechatMiniprogram.TouchEvent) {
      const order = this.data.orders.find((o) => o.outTradeNo === e.currentTarget.dataset.no)
      if (this.data.busy || !order?.refundable) return
      const ok = await confirmDialog('确认退款', `将全额退款 ${order.amountText}，并扣回该笔订单获得的 ${order.pointsEarned} 积分。`, '确认退款')
      if (!ok) return
      await exclusive(this, 'busy', async () => {
        const res = await callCloud('admin', 'orders.refund', { outTradeNo: order.outTradeNo })
        toast(res.alreadyRefunded ? '该订单已退款' : res.pointsDebt > 0 ? `已退款，积分不足部分记为待抵扣 ${res.pointsDebt}` : '已退款')
      })
      await this.reload()
    },
    onTagInput(e: WechatMiniprogram.Input) {
      this.setData({ newTag: e.detail.value })
    },
    async onAddTag() {
      const tag = this.data.newTag.trim()
      if (!tag) return toast('请输入标签')
      if ([...tag].length > MANUAL_TAG_MAX) return toast(`标签最多 ${MANUAL_TAG_MAX} 个字`)
      await this.changeTag(tag, false)
    },
    async onRemoveTag(e: WechatMiniprogram.TouchEvent) {
      await this.changeTag(String(e.currentTarget.dataset.tag ?? ''), true)
    },
    async changeTag(tag: string, remove: boolean): Promise<void> {
      if (!tag || !this.data.canTag) return
      await exclusive(this, 'busy', async () => {
        const { tags } = await callCloud('admin', 'members.tag', { memberNo: local(this).memberNo, tag, ...(remove ? { remove: true } : {}) })
        const before = this.data.manualTags
        const auto = (this.data.member?.tags ?? []).filter((t) => !before.includes(t))
        this.setData({ manualTags: tags, 'member.tags': [...auto, ...tags], newTag: remove ? this.data.newTag : '' })
        toast(remove ? '已移除标签' : '已添加标签')
      })
    },
  },
  onQuery(query) {
    local(this).memberNo = query.memberNo ?? ''
  },
  async load({ fresh }) {
    const memberNo = local(this).memberNo
    if (!/^\d{8}$/.test(memberNo)) throw new CloudCallError('INVALID_INPUT', '会员号无效')
    // The caller's capabilities decide which controls show (the server refuses the rest anyway);
    // if they cannot be known, the tag controls stay hidden and the profile still shows.
    const [res, staff] = await Promise.all([
      callCloud('admin', 'members.profile', { memberNo, page: 1 }),
      getStaffSession({ fresh }).catch(() => null),
    ])
    const m = res.member
    return {
      member: memberSummaryView(m),
      manualTags: m.manualTags,
      canTag: staff?.capabilities.canTagMembers ?? false,
      extra: profileExtra(m),
      ledger: ledgerRows(res.ledger, 0),
      orders: orderRows(res.orders),
      page: 1,
      hasMore: res.hasMore,
    }
  },
})
