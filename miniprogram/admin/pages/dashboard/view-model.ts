import { formatYuan } from '../../../shared/money'
import { changeLabel, type DashboardMetric, type DashboardView, type FunnelRow } from '../../../shared/touchpoint-rules'

export interface MetricCell {
  key: string
  label: string
  value: string
  change: string
  trend: 'up' | 'down' | 'flat'
}

export function metricCell(m: DashboardMetric): MetricCell {
  const value = m.unit === 'fen' ? formatYuan(m.value) : m.unit === 'percent' ? `${m.value}%` : String(m.value)
  return { key: m.key, label: m.label, value, change: changeLabel(m.change), trend: m.change === null || m.change === 0 ? 'flat' : m.change > 0 ? 'up' : 'down' }
}

export interface FunnelLine {
  id: string
  name: string
  text: string
}

/** 「访问 120 → 会员 30 → 首单 25 → 复购 8」 */
export function funnelLine(r: FunnelRow): FunnelLine {
  return { id: r.id, name: r.name, text: `访问 ${r.visits} → 会员 ${r.members} → 首单 ${r.firstPurchases} → 二次 ${r.secondPurchases}` }
}

export function dashboardModel(d: DashboardView) {
  return {
    scopeLabel: d.scopeLabel,
    rangeText: d.fromDay === d.toDay ? d.toDay : `${d.fromDay} 至 ${d.toDay}`,
    metrics: d.metrics.map(metricCell),
    salesPoints: d.salesByDay.map((p) => ({ label: p.day.slice(5), value: p.salesFen })),
    storePoints: d.byStore.map((s) => ({ label: s.name, value: s.salesFen })),
    funnelByTouchpoint: d.funnelByTouchpoint.map(funnelLine),
    funnelByStore: d.funnelByStore.map(funnelLine),
  }
}
