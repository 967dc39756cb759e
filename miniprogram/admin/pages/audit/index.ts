import { callCloud } from '../../../lib/call-cloud'
import { definePage, exclusive } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { auditLineView, pickerRange, type AuditLineView, type FilterOption } from './view-model'

type FilterKey = 'action' | 'storeId' | 'actorOpenid'
const FILTER_ALL: Record<FilterKey, string> = { action: '全部操作', storeId: '全部门店', actorOpenid: '全部员工' }
const OPTION_KEY: Record<FilterKey, 'actions' | 'stores' | 'actors'> = { action: 'actions', storeId: 'stores', actorOpenid: 'actors' }

/** 操作记录: the audit trail for owner and HQ, filtered by action, store, actor and dates, 20 a page. */
definePage({
  data: {
    lines: [] as AuditLineView[],
    options: { actions: [] as FilterOption[], stores: [] as FilterOption[], actors: [] as FilterOption[] },
    ranges: { action: [FILTER_ALL.action], storeId: [FILTER_ALL.storeId], actorOpenid: [FILTER_ALL.actorOpenid] },
    filter: { action: '', storeId: '', actorOpenid: '', from: '', to: '' },
    labels: { action: FILTER_ALL.action, storeId: FILTER_ALL.storeId, actorOpenid: FILTER_ALL.actorOpenid },
    filtered: false,
    page: 1,
    hasMore: false,
    loadingMore: false,
  },
  methods: {
    query(page: number) {
      const f = this.data.filter
      return {
        page,
        ...(f.action ? { action: f.action } : {}),
        ...(f.storeId ? { storeId: f.storeId } : {}),
        ...(f.actorOpenid ? { actorOpenid: f.actorOpenid } : {}),
        ...(f.from ? { from: f.from } : {}),
        ...(f.to ? { to: f.to } : {}),
      }
    },
    onPickFilter(e: WechatMiniprogram.PickerChange) {
      const key = e.currentTarget.dataset.key as FilterKey
      const index = Number(e.detail.value)
      const option = index > 0 ? this.data.options[OPTION_KEY[key]][index - 1] : null
      this.setData({ filter: { ...this.data.filter, [key]: option?.value ?? '' }, labels: { ...this.data.labels, [key]: option?.label ?? FILTER_ALL[key] } })
      void this.reload()
    },
    onPickDate(e: WechatMiniprogram.PickerChange) {
      const key = e.currentTarget.dataset.key as 'from' | 'to'
      this.setData({ filter: { ...this.data.filter, [key]: String(e.detail.value) } })
      void this.reload()
    },
    onClearFilters() {
      this.setData({ filter: { action: '', storeId: '', actorOpenid: '', from: '', to: '' }, labels: { ...FILTER_ALL } })
      void this.reload()
    },
    async onMore() {
      if (!this.data.hasMore) return
      await exclusive(this, 'loadingMore', async () => {
        const next = this.data.page + 1
        const res = await callCloud('admin', 'audit.list', this.query(next))
        this.setData({ lines: [...this.data.lines, ...res.lines.map(auditLineView)], page: next, hasMore: res.hasMore })
      })
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff || !staff.capabilities.entries.audit) return { viewState: 'empty' }
    const res = await callCloud('admin', 'audit.list', this.query(1))
    const f = this.data.filter
    const filtered = Boolean(f.action || f.storeId || f.actorOpenid || f.from || f.to)
    return {
      lines: res.lines.map(auditLineView),
      options: res.filters,
      ranges: { action: pickerRange(res.filters.actions, FILTER_ALL.action), storeId: pickerRange(res.filters.stores, FILTER_ALL.storeId), actorOpenid: pickerRange(res.filters.actors, FILTER_ALL.actorOpenid) },
      filtered,
      page: 1,
      hasMore: res.hasMore,
    }
  },
})
