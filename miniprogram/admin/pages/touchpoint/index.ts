import { callCloud, CloudCallError } from '../../../lib/call-cloud'
import { definePage } from '../../../lib/page'
import { instanceStore } from '../../../lib/ui'
import { formatYuan } from '../../../shared/money'
import { addDays, dateOfDay, type TouchpointFigures } from '../../../shared/touchpoint-rules'

const local = instanceStore(() => ({ id: '' }))

/** China today as 'YYYY-MM-DD' (the device clock; the server decides what counts). */
function chinaToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)
}

export function figureRows(f: TouchpointFigures): Array<{ label: string; value: string }> {
  return [
    { label: '访问', value: String(f.visits) },
    { label: '新会员', value: String(f.newMembers) },
    { label: '首单', value: String(f.firstPurchases) },
    { label: '归因订单', value: String(f.orders) },
    { label: '归因销售额', value: formatYuan(f.salesFen) },
    { label: '成本', value: formatYuan(f.costFen) },
    { label: 'ROI', value: f.roi === null ? '—（无成本）' : String(f.roi) },
    { label: '单个新会员成本', value: f.costPerMemberFen === null ? '—（无新会员）' : formatYuan(f.costPerMemberFen) },
  ]
}

/** One touchpoint: its code image, share path and the last 30 days' report. */
definePage({
  data: { name: '', line: '', qrDataUrl: '', sharePath: '', rangeText: '', figures: [] as Array<{ label: string; value: string }> },
  onQuery(query) {
    local(this).id = typeof query.id === 'string' ? query.id : ''
  },
  methods: {
    onSaveCode() {
      void wx.previewImage({ urls: [this.data.qrDataUrl] })
    },
    onCopyPath() {
      void wx.setClipboardData({ data: this.data.sharePath })
    },
  },
  async load() {
    const id = local(this).id
    if (!id) throw new CloudCallError('NOT_FOUND', '渠道码不存在')
    const toDate = chinaToday()
    const fromDate = dateOfDay(addDays(toDate.replace(/-/g, ''), -29))
    const [report, link] = await Promise.all([
      callCloud('admin', 'touchpoints.report', { touchpointId: id, fromDate, toDate }),
      callCloud('admin', 'touchpoints.link', { touchpointId: id }),
    ])
    const t = report.touchpoint
    return {
      name: t.name,
      line: `${t.storeName} · ${t.kindName} · 打开${t.targetName}${t.clerkName ? ` · 导购 ${t.clerkName}` : ''}`,
      qrDataUrl: link.qrDataUrl,
      sharePath: link.sharePath,
      rangeText: `${fromDate} 至 ${toDate}`,
      figures: figureRows(report.figures),
      viewState: 'ready',
    }
  },
})
