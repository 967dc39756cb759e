import { callCloud } from '../../../lib/call-cloud'
import { datasetText } from '../../../lib/dataset'
import { definePage } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { formatYuan } from '../../../shared/money'
import { roiOf, type TouchpointFigures, type TouchpointView } from '../../../shared/touchpoint-rules'

export interface TouchpointRow {
  id: string
  name: string
  line: string
  figures: string
  archived: boolean
}

export function touchpointRow(t: TouchpointView & { last30: TouchpointFigures }): TouchpointRow {
  const roi = roiOf(t.last30.salesFen, t.costFen)
  return {
    id: t.id,
    name: t.name,
    line: `${t.storeName} · ${t.kindName} · 打开${t.targetName}${t.clerkName ? ` · 导购 ${t.clerkName}` : ''}`,
    figures: `近 30 天：访问 ${t.last30.visits} · 新会员 ${t.last30.newMembers} · 销售 ${formatYuan(t.last30.salesFen)} · ROI ${roi === null ? '—' : roi}`,
    archived: t.status === 'archived',
  }
}

const PAGE = '/admin/pages/touchpoint/index'

/** 渠道码: the caller's touchpoints with their last 30 days. */
definePage({
  data: { rows: [] as TouchpointRow[], emptyText: '还没有渠道码' },
  refreshOnShow: true,
  methods: {
    onOpen(e: WechatMiniprogram.TouchEvent) {
      const id = datasetText(e, 'id')
      if (id) void wx.navigateTo({ url: `${PAGE}?id=${encodeURIComponent(id)}` })
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff || !staff.capabilities.actions['touchpoints.list']) return { viewState: 'empty', emptyText: '您的角色不能管理渠道码', rows: [] }
    const { touchpoints } = await callCloud('admin', 'touchpoints.list', {})
    return { rows: touchpoints.map(touchpointRow), viewState: touchpoints.length ? 'ready' : 'empty' }
  },
})
