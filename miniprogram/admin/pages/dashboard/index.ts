import { callCloud } from '../../../lib/call-cloud'
import { datasetText } from '../../../lib/dataset'
import { definePage } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import type { DashboardPeriod } from '../../../shared/touchpoint-rules'
import { dashboardModel, type FunnelLine, type MetricCell } from './view-model'

const PERIODS: Array<{ value: DashboardPeriod; label: string }> = [
  { value: 1, label: '今日' },
  { value: 7, label: '近 7 天' },
  { value: 30, label: '近 30 天' },
]

/** 数据看板: the caller's scope (HQ all stores, a manager their own), from the day counters. */
definePage({
  data: {
    periods: PERIODS,
    period: 7 as DashboardPeriod,
    scopeLabel: '',
    rangeText: '',
    metrics: [] as MetricCell[],
    salesPoints: [] as Array<{ label: string; value: number }>,
    storePoints: [] as Array<{ label: string; value: number }>,
    funnelByTouchpoint: [] as FunnelLine[],
    funnelByStore: [] as FunnelLine[],
  },
  methods: {
    onPeriod(e: WechatMiniprogram.TouchEvent) {
      const value = PERIODS.find((p) => String(p.value) === datasetText(e, 'value'))?.value
      if (!value || value === this.data.period) return
      this.setData({ period: value })
      void this.reload()
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff || !staff.capabilities.actions['dashboard.get']) return { viewState: 'empty', emptyText: '您的角色不能查看数据看板' }
    const { dashboard } = await callCloud('admin', 'dashboard.get', { period: this.data.period })
    return { ...dashboardModel(dashboard), viewState: 'ready' }
  },
})
