import { callCloud } from '../../../lib/call-cloud'
import { datasetText } from '../../../lib/dataset'
import { definePage } from '../../../lib/page'
import { getStaffSession, may } from '../../../lib/staff-session'
import type { AdminTemplateView, TemplateStatus } from '../../../shared/coupon-rules'
import { TEMPLATE_STATUS_NAMES } from '../../../shared/coupon-labels'

const FILTERS: { value: '' | TemplateStatus; label: string }[] = [
  { value: '', label: '全部' },
  ...(['active', 'draft', 'paused', 'ended'] as TemplateStatus[]).map((s) => ({ value: s, label: TEMPLATE_STATUS_NAMES[s] })),
]

interface TemplateRow {
  id: string
  title: string
  kind: string
  valueLabel: string
  conditionLabel: string
  line: string
  status: TemplateStatus
  statusName: string
}

function row(t: AdminTemplateView): TemplateRow {
  return {
    id: t.id,
    title: t.title,
    kind: t.type,
    valueLabel: t.valueLabel,
    conditionLabel: t.conditionLabel,
    line: `${t.issuerName} · 已领 ${t.claimed}/${t.stock} · ${t.validityLabel}`,
    status: t.status,
    statusName: t.statusName,
  }
}

const PAGE = '/admin/pages/coupon-template/index'

/** 优惠券管理: the templates the caller may manage (a manager: their stores' only), by state. */
definePage({
  data: { filters: FILTERS, status: '' as '' | TemplateStatus, rows: [] as TemplateRow[], canCreate: false, emptyText: '还没有优惠券，点「新建」创建第一张' },
  refreshOnShow: true,
  methods: {
    onFilter(e: WechatMiniprogram.TouchEvent) {
      const value = FILTERS.find((f) => f.value === datasetText(e, 'value'))?.value
      if (value === undefined || value === this.data.status) return
      this.setData({ status: value })
      void this.reload()
    },
    onOpen(e: WechatMiniprogram.TouchEvent) {
      const id = datasetText(e, 'id')
      if (id) void wx.navigateTo({ url: `${PAGE}?id=${encodeURIComponent(id)}` })
    },
    onCreate() {
      void wx.navigateTo({ url: PAGE })
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff || !staff.capabilities.coupons.templates) return { viewState: 'empty', emptyText: '您的角色不能管理优惠券', rows: [], canCreate: false }
    const caps = staff.capabilities
    const canCreate = caps.coupons.createForAllStores || staff.stores.some((s) => may(caps, 'couponTemplates.create', s.id))
    const status = this.data.status
    const { templates } = await callCloud('admin', 'couponTemplates.list', status ? { status } : {})
    const emptyText = status ? `没有「${TEMPLATE_STATUS_NAMES[status]}」的优惠券` : '还没有优惠券，点「新建」创建第一张'
    return { rows: templates.map(row), canCreate, emptyText, viewState: templates.length ? 'ready' : 'empty' }
  },
})
