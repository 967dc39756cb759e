import { z } from 'zod'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { covers, seesAllStores } from '../domain/permissions'
import { list } from '../services/db-util'
import type { RegionDoc, StoreDoc, SubBrandDoc } from '../services/documents'
import { chinaDay, type CounterScope, type DayCounterDoc } from '../services/day-counters'
import type { TouchpointDoc } from '../services/touchpoints'
import { recountDay } from '../services/counter-reconcile'
import {
  addDays,
  changePercent,
  COUNTER_FIELDS,
  dateOfDay,
  dayOfDate,
  DASHBOARD_PERIODS,
  emptyTotals,
  ratioPercent,
  type CounterTotals,
  type DashboardMetric,
  type DashboardPeriod,
  type DashboardView,
  type FunnelRow,
} from '../../miniprogram/shared/touchpoint-rules'
import { defineStaffAction, STORE_SCOPE_MESSAGE, type StaffActionContext } from './staff-context'

/**
 * 数据看板: every figure comes from the day counters (services/day-counters.ts), a handful of
 * queries over at most (scopes × days) small documents, whatever the number of orders.
 */

const PAGE = 1000

/** One scope's figures of one day, its shards summed. */
export interface ScopeDay {
  scope: string
  day: string
  n: Record<string, number>
}

/**
 * Every counter document of `scopes` between two days (each scope-day is up to SHARDS small
 * documents), in as few queries as the page size allows, summed per scope and day.
 */
export async function readScopes(db: Database, scopes: readonly string[], fromDay: string, toDay: string): Promise<ScopeDay[]> {
  if (scopes.length === 0) return []
  const _ = db.command
  const merged = new Map<string, ScopeDay>()
  for (let skip = 0; ; skip += PAGE) {
    const rows = await list<DayCounterDoc>(
      db.collection(COLLECTIONS.dayCounters).where({ scope: _.in([...scopes]), day: _.gte(fromDay).and(_.lte(toDay)) }).skip(skip).limit(PAGE),
    )
    for (const r of rows) {
      const key = `${r.scope}|${r.day}`
      const into = merged.get(key) ?? { scope: r.scope, day: r.day, n: {} }
      for (const [k, v] of Object.entries(r.n ?? {})) into.n[k] = (into.n[k] ?? 0) + v
      merged.set(key, into)
    }
    if (rows.length < PAGE) return [...merged.values()]
  }
}

function add(into: CounterTotals, row: ScopeDay): void {
  for (const f of COUNTER_FIELDS) {
    const v = row.n[f]
    if (typeof v === 'number') into[f] += v
  }
}

function totalsOf(rows: readonly ScopeDay[], pick: (r: ScopeDay) => boolean): CounterTotals {
  const t = emptyTotals()
  for (const r of rows) if (pick(r)) add(t, r)
  return t
}

/** The metrics a person reads, each against the previous period; rates have no division by zero. */
export function metricsOf(now: CounterTotals, before: CounterTotals): DashboardMetric[] {
  const aov = (t: CounterTotals) => (t.orders > 0 ? Math.round(t.salesFen / t.orders) : 0)
  const rate = (part: number, whole: number) => ratioPercent(part, whole) ?? 0
  const rows: Array<[string, string, (t: CounterTotals) => number, DashboardMetric['unit']]> = [
    ['salesFen', '销售额', (t) => t.salesFen, 'fen'],
    ['orders', '订单数', (t) => t.orders, 'count'],
    ['aov', '客单价', aov, 'fen'],
    ['newMembers', '新增会员', (t) => t.newMembers, 'count'],
    ['payingMembers', '消费会员（人·日）', (t) => t.payingMembers, 'count'],
    ['repurchaseRate', '复购率（复购订单占比）', (t) => rate(t.repurchases, t.orders), 'percent'],
    ['couponsIssued', '发券', (t) => t.couponsIssued, 'count'],
    ['couponsVerified', '核券', (t) => t.couponsVerified, 'count'],
    ['verifyRate', '核销率', (t) => rate(t.couponsVerified, t.couponsIssued), 'percent'],
    ['plays', '游戏参与', (t) => t.plays, 'count'],
    ['prizes', '游戏中奖', (t) => t.prizes, 'count'],
    ['referrals', '邀请转化', (t) => t.referrals, 'count'],
    ['visits', '渠道访问', (t) => t.visits, 'count'],
  ]
  return rows.map(([key, label, value, unit]) => {
    const a = value(now)
    const b = value(before)
    return { key, label, value: a, previous: b, change: changePercent(a, b), unit }
  })
}

interface ScopeChoice {
  label: string
  /** Counter scopes summed for the headline figures. */
  scopes: CounterScope[]
  /** The stores shown as bars and in the store funnel. */
  storeIds: string[] | 'all'
}

/**
 * What the caller asked for, within what they may see: owner and HQ everything (or one store,
 * sub-brand or region); a sub-brand operator their sub-brands; a region manager their regions;
 * a manager their store. Anything outside is refused.
 */
async function chooseScope(ctx: StaffActionContext, input: { storeId?: string; subBrandId?: string; regionId?: string }): Promise<ScopeChoice> {
  const scope = ctx.scope
  if (input.storeId) {
    if (!covers(scope, { storeId: input.storeId })) throw new AppError('FORBIDDEN', STORE_SCOPE_MESSAGE)
    const store = (await list<StoreDoc>(ctx.db.collection(COLLECTIONS.stores).where({ _id: input.storeId }).limit(1)))[0]
    if (!store) throw new AppError('NOT_FOUND', '门店不存在')
    return { label: store.name, scopes: [`store:${store._id}`], storeIds: [store._id] }
  }
  if (input.subBrandId) {
    if (!covers(scope, { subBrandId: input.subBrandId })) throw new AppError('FORBIDDEN', STORE_SCOPE_MESSAGE)
    const brand = (await list<SubBrandDoc>(ctx.db.collection(COLLECTIONS.subBrands).where({ _id: input.subBrandId }).limit(1)))[0]
    if (!brand) throw new AppError('NOT_FOUND', '子品牌不存在')
    const stores = await list<StoreDoc>(ctx.db.collection(COLLECTIONS.stores).where({ subBrandId: brand._id }).field({ _id: true }).limit(1000))
    return { label: brand.name, scopes: [`brand:${brand._id}`], storeIds: stores.map((s) => s._id) }
  }
  if (input.regionId) {
    if (!covers(scope, { regionId: input.regionId })) throw new AppError('FORBIDDEN', STORE_SCOPE_MESSAGE)
    const region = (await list<RegionDoc>(ctx.db.collection(COLLECTIONS.regions).where({ _id: input.regionId }).limit(1)))[0]
    if (!region) throw new AppError('NOT_FOUND', '区域不存在')
    const stores = await list<StoreDoc>(ctx.db.collection(COLLECTIONS.stores).where({ regionId: region._id }).field({ _id: true }).limit(1000))
    return { label: region.name, scopes: stores.map((s) => `store:${s._id}` as CounterScope), storeIds: stores.map((s) => s._id) }
  }
  if (seesAllStores(scope.role)) return { label: '全部门店', scopes: ['all'], storeIds: 'all' }
  if (scope.role === 'brand') return { label: '我的品牌', scopes: (scope.subBrandIds ?? []).map((id) => `brand:${id}` as CounterScope), storeIds: scope.storeIds }
  return { label: scope.role === 'region' ? '我的区域' : '我的门店', scopes: scope.storeIds.map((id) => `store:${id}` as CounterScope), storeIds: scope.storeIds }
}

const idSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号格式不正确')

export const dashboardGet = defineStaffAction(
  'dashboard.get',
  z
    .object({
      period: z
        .number({ invalid_type_error: '统计周期只能是 1、7 或 30 天' })
        .refine((p): p is DashboardPeriod => (DASHBOARD_PERIODS as readonly number[]).includes(p), { message: '统计周期只能是 1、7 或 30 天' }),
      storeId: idSchema.optional(),
      subBrandId: idSchema.optional(),
      regionId: idSchema.optional(),
    })
    .strict()
    .refine((v) => [v.storeId, v.subBrandId, v.regionId].filter(Boolean).length <= 1, { message: '门店、子品牌、区域只能选择一个' }),
  async (input, ctx): Promise<{ dashboard: DashboardView }> => {
    const period = input.period
    const choice = await chooseScope(ctx, input)
    const toDay = chinaDay(ctx.now())
    const fromDay = addDays(toDay, -(period - 1))
    const prevFrom = addDays(fromDay, -period)
    const [stores, touchpoints] = await Promise.all([
      list<StoreDoc>(ctx.db.collection(COLLECTIONS.stores).field({ _id: true, name: true }).limit(1000)),
      list<TouchpointDoc>(ctx.db.collection(COLLECTIONS.touchpoints).where(choice.storeIds === 'all' ? {} : { storeId: ctx.db.command.in(choice.storeIds) }).field({ _id: true, name: true, storeId: true }).limit(200)),
    ])
    const shownStores = choice.storeIds === 'all' ? stores : stores.filter((s) => (choice.storeIds as string[]).includes(s._id))
    const headline = await readScopes(ctx.db, choice.scopes, prevFrom, toDay)
    // The current period only, for bars and funnels.
    const detail = await readScopes(ctx.db, [...shownStores.map((s) => `store:${s._id}`), ...touchpoints.map((t) => `tp:${t._id}`)], fromDay, toDay)
    const inNow = (r: ScopeDay) => r.day >= fromDay
    const metrics = metricsOf(totalsOf(headline, inNow), totalsOf(headline, (r) => !inNow(r)))
    const salesByDay: DashboardView['salesByDay'] = []
    for (let d = fromDay; d <= toDay; d = addDays(d, 1)) {
      salesByDay.push({ day: dateOfDay(d), salesFen: totalsOf(headline, (r) => r.day === d).salesFen })
    }
    const funnel = (id: string, name: string, scope: string): FunnelRow => {
      const t = totalsOf(detail, (r) => r.scope === scope)
      return { id, name, visits: t.visits, members: t.newMembers, firstPurchases: t.firstPurchases, secondPurchases: t.secondPurchases }
    }
    const byStore = shownStores.map((s) => {
      const t = totalsOf(detail, (r) => r.scope === `store:${s._id}`)
      return { storeId: s._id, name: s.name, salesFen: t.salesFen, orders: t.orders }
    })
    return {
      dashboard: {
        scopeLabel: choice.label,
        period,
        fromDay: dateOfDay(fromDay),
        toDay: dateOfDay(toDay),
        metrics,
        salesByDay,
        byStore,
        funnelByTouchpoint: touchpoints.map((t) => funnel(t._id, t.name, `tp:${t._id}`)),
        funnelByStore: shownStores.map((s) => funnel(s._id, s.name, `store:${s._id}`)),
      },
    }
  },
)

/** Recounts one day from the facts and reports every counter that differs (nothing is changed). */
export const countersReconcile = defineStaffAction(
  'counters.reconcile',
  z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD') }).strict(),
  async (input, ctx) => {
    const day = dayOfDate(input.date)
    if (day > chinaDay(ctx.now())) throw new AppError('INVALID_INPUT', '不能核对未来的日期')
    return recountDay(ctx.db, day)
  },
)
