/**
 * Touchpoints (渠道码), dashboards (数据看板) and commission (门店佣金): rules both sides compile.
 * Money in integer fen, days as 'YYYYMMDD' in China time.
 */

export const TOUCHPOINT_KINDS = ['tableTent', 'poster', 'receipt', 'badge', 'sticker', 'online'] as const
export type TouchpointKind = (typeof TOUCHPOINT_KINDS)[number]
export const TOUCHPOINT_KIND_NAMES: Record<TouchpointKind, string> = {
  tableTent: '桌牌',
  poster: '海报',
  receipt: '小票',
  badge: '员工工牌',
  sticker: '橱窗贴',
  online: '线上',
}

export const TOUCHPOINT_TARGETS = ['pay', 'coupon', 'game', 'checkin', 'home'] as const
export type TouchpointTargetKind = (typeof TOUCHPOINT_TARGETS)[number]
export const TOUCHPOINT_TARGET_NAMES: Record<TouchpointTargetKind, string> = {
  pay: '门店付款页',
  coupon: '领券',
  game: '游戏',
  checkin: '签到',
  home: '首页',
}

export type TouchpointTarget =
  | { kind: 'pay' }
  | { kind: 'coupon'; templateId: string }
  | { kind: 'game'; gameId: string }
  | { kind: 'checkin' }
  | { kind: 'home' }

/** The page a touchpoint's code and share path open: it records the visit, then opens the target. */
export const TOUCHPOINT_LANDING_PAGE = 'touch/pages/open/index'
/**
 * Where each target lives. Games and check-in are other areas' pages (games, rewards); their
 * paths are named here once so the landing page and the tests agree.
 */
export const TARGET_PAGES: Record<TouchpointTargetKind, string> = {
  pay: 'pages/pay/index',
  coupon: 'coupons/pages/claim/index',
  game: 'games/pages/play/index',
  checkin: 'rewards/pages/checkin/index',
  home: 'pages/home/index',
}
/** Tab pages are opened with switchTab (no query). */
export const TAB_PAGES: readonly string[] = ['pages/home/index', 'pages/card/index', 'pages/coupons/index', 'pages/mine/index']

export const TOUCHPOINT_NAME_MAX = 30
export const TOUCHPOINT_COST_MAX_FEN = 100_000_000
export const ATTRIBUTION_DAYS_DEFAULT = 30
export const ATTRIBUTION_DAYS_MIN = 1
export const ATTRIBUTION_DAYS_MAX = 365
/** Longest report range a person may ask for (days, both ends included). */
export const REPORT_RANGE_MAX_DAYS = 366
/** Commission percentages in basis points (1% = 100). */
export const COMMISSION_BP_MAX = 5_000
export const COUPON_FEE_MAX_FEN = 100_000

export interface TouchpointView {
  id: string
  shortId: string
  name: string
  kind: TouchpointKind
  kindName: string
  storeId: string | null
  storeName: string
  costFen: number
  target: TouchpointTarget
  targetName: string
  clerkOpenid: string | null
  clerkName: string
  status: 'active' | 'archived'
  createdAt: string
}

export interface TouchpointFigures {
  visits: number
  newMembers: number
  firstPurchases: number
  orders: number
  salesFen: number
  costFen: number
  /** Attributed sales ÷ cost, or null when nothing was spent. */
  roi: number | null
  /** Cost ÷ new members in fen, or null without new members. */
  costPerMemberFen: number | null
}

/** ROI as a ratio rounded to 2 decimals; null without a cost (no division by zero). */
export function roiOf(salesFen: number, costFen: number): number | null {
  if (costFen <= 0) return null
  return Math.round((salesFen / costFen) * 100) / 100
}

export function costPerMemberOf(costFen: number, newMembers: number): number | null {
  if (newMembers <= 0) return null
  return Math.round(costFen / newMembers)
}

/** Change of `now` against `before` in percent (1 decimal); null when before was 0 (no division by zero). */
export function changePercent(now: number, before: number): number | null {
  if (before === 0) return null
  return Math.round(((now - before) / before) * 1000) / 10
}

/** 「+12.5%」/「-3%」/「—」 (no earlier figure) / 「持平」. */
export function changeLabel(change: number | null): string {
  if (change === null) return '—'
  if (change === 0) return '持平'
  return `${change > 0 ? '+' : ''}${change}%`
}

export function ratioPercent(part: number, whole: number): number | null {
  if (whole <= 0) return null
  return Math.round((part / whole) * 1000) / 10
}

/** 'YYYYMMDD' ↔ 'YYYY-MM-DD' (inputs are the latter). */
export function dayOfDate(date: string): string {
  return date.replace(/-/g, '')
}
export function dateOfDay(day: string): string {
  return `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`
}

/** The day `n` days after `day` (negative: before), calendar arithmetic in UTC on the date alone. */
export function addDays(day: string, n: number): string {
  const t = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8))) + n * 86_400_000
  return new Date(t).toISOString().slice(0, 10).replace(/-/g, '')
}

/** Days from `from` to `to`, both included (0 if to < from). */
export function daysBetween(from: string, to: string): number {
  const a = Date.UTC(Number(from.slice(0, 4)), Number(from.slice(4, 6)) - 1, Number(from.slice(6, 8)))
  const b = Date.UTC(Number(to.slice(0, 4)), Number(to.slice(4, 6)) - 1, Number(to.slice(6, 8)))
  return b < a ? 0 : Math.round((b - a) / 86_400_000) + 1
}

/** The counter fields (day_counters) this area defines; games bumps plays / prizes. */
export const COUNTER_FIELDS = [
  'salesFen',
  'orders',
  'newMembers',
  'payingMembers',
  'firstPurchases',
  'secondPurchases',
  'repurchases',
  'referrals',
  'visits',
  'couponsIssued',
  'couponsVerified',
  'plays',
  'prizes',
] as const
export type CounterField = (typeof COUNTER_FIELDS)[number]
export type CounterTotals = Record<CounterField, number>

export function emptyTotals(): CounterTotals {
  return Object.fromEntries(COUNTER_FIELDS.map((f) => [f, 0])) as CounterTotals
}

export const DASHBOARD_PERIODS = [1, 7, 30] as const
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number]

export interface DashboardMetric {
  key: string
  label: string
  value: number
  previous: number
  change: number | null
  /** 'fen' values are shown as money, 'percent' as a percentage. */
  unit: 'count' | 'fen' | 'percent'
}

export interface FunnelRow {
  id: string
  name: string
  visits: number
  members: number
  firstPurchases: number
  secondPurchases: number
}

export interface DashboardView {
  scopeLabel: string
  period: DashboardPeriod
  fromDay: string
  toDay: string
  metrics: DashboardMetric[]
  salesByDay: Array<{ day: string; salesFen: number }>
  byStore: Array<{ storeId: string; name: string; salesFen: number; orders: number }>
  funnelByTouchpoint: FunnelRow[]
  funnelByStore: FunnelRow[]
}

export interface CommissionRules {
  /** The store's share of the sales attributed to it, basis points. */
  storeBp: number
  /** Fixed fee per HQ-campaign coupon a store verified, fen. */
  couponFeeFen: number
  /** A badge clerk's share of their attributed sales, basis points. */
  clerkBp: number
  /** Whether a store's attributed sales also include its brought-in members' orders at other stores. */
  includeBroughtIn: boolean
  attributionDays: number
}

export const DEFAULT_COMMISSION_RULES: CommissionRules = { storeBp: 0, couponFeeFen: 0, clerkBp: 0, includeBroughtIn: false, attributionDays: ATTRIBUTION_DAYS_DEFAULT }

export type StatementLineKind = 'storeSale' | 'broughtIn' | 'couponFee' | 'clerkSale' | 'adjustment'
export const STATEMENT_LINE_NAMES: Record<StatementLineKind, string> = {
  storeSale: '门店销售提成',
  broughtIn: '引流会员消费提成',
  couponFee: '总部券核销费',
  clerkSale: '导购提成',
  adjustment: '上期退款调整',
}

/** A commission of `bp` basis points on `fen`, rounded half up to the fen (negative amounts mirror). */
export function commissionOf(fen: number, bp: number): number {
  const raw = (Math.abs(fen) * bp) / 10_000
  const rounded = Math.floor(raw + 0.5)
  return fen < 0 ? -rounded : rounded
}

/** A CSV cell: quoted when it holds a comma, quote or line break; a leading =+-@ is neutralised (spreadsheet formulas). */
export function csvCell(v: string | number): string {
  let s = String(v)
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
