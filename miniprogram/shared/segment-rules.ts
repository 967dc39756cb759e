/**
 * Segments (人群) and targeted campaigns (定向发券): the condition model both sides share, its
 * limits, the Chinese labels a condition is read by, and the ready-made RFM segments.
 * The server compiles conditions (cloudfunctions/domain/segments.ts); the editor page builds them.
 */

export type Cmp = 'gte' | 'lte'

/** One condition over what the product knows about a member. */
export type SegmentCondition =
  | { kind: 'tag'; source: 'auto' | 'manual'; tag: string; has: boolean }
  | { kind: 'tier'; levels: number[] }
  /** Days since the last visit (a member who never paid counts as infinitely long ago). */
  | { kind: 'recency'; op: Cmp; days: number }
  /** Paid orders in the last `windowDays` days (refunded ones do not count). */
  | { kind: 'frequency'; windowDays: number; op: Cmp; count: number }
  /** Spend (fen, after coupons) in the last `windowDays` days. */
  | { kind: 'monetary'; windowDays: number; op: Cmp; fen: number }
  /** Average order value over all paid orders (fen); a member with none has none (never matches). */
  | { kind: 'aov'; op: Cmp; fen: number }
  | { kind: 'store'; which: 'first' | 'favourite'; storeIds: string[] }
  | { kind: 'touchpoint'; touchpoints: string[] }
  | { kind: 'referred'; value: boolean }
  | { kind: 'birthdayMonth'; months: number[] }
  /** Coupons held now (usable, unexpired) or used ever, optionally of one template. */
  | { kind: 'coupons'; state: 'held' | 'used'; op: Cmp; count: number; templateId?: string }
  /** Game plays in the last `windowDays` days. */
  | { kind: 'gamePlays'; windowDays: number; op: Cmp; count: number }

export type SegmentConditionKind = SegmentCondition['kind']

/** Conditions combined: a group holds conditions and (one level of) groups. */
export interface SegmentGroup {
  op: 'and' | 'or'
  items: Array<SegmentCondition | SegmentGroup>
}

export const SEGMENT_LIMITS = {
  nameMax: 20,
  /** Conditions and groups in one group, and nesting depth (root = 1). */
  itemsMax: 12,
  depthMax: 3,
  /** Conditions in the whole segment. */
  conditionsMax: 20,
  windowDaysMax: 366,
  recencyDaysMax: 3650,
  listMax: 50,
  /** Segments a merchant keeps. */
  segmentsMax: 200,
  sampleSize: 5,
} as const

export const CONDITION_LABELS: Record<SegmentConditionKind, string> = {
  tag: '标签',
  tier: '会员等级',
  recency: '距上次消费',
  frequency: '消费次数',
  monetary: '消费金额',
  aov: '客单价',
  store: '门店',
  touchpoint: '来源渠道',
  referred: '好友推荐',
  birthdayMonth: '生日月份',
  coupons: '优惠券',
  gamePlays: '游戏次数',
}

const OP_LABEL: Record<Cmp, string> = { gte: '≥', lte: '≤' }
const yuan = (fen: number): string => `¥${(fen / 100).toFixed(fen % 100 === 0 ? 0 : 2)}`

/** One line a person reads for a condition, e.g. 「近 90 天消费次数 ≥ 5」. */
export function describeCondition(c: SegmentCondition, names: { store?: (id: string) => string; tier?: (level: number) => string } = {}): string {
  const store = names.store ?? ((id: string) => id)
  const tier = names.tier ?? ((l: number) => `等级 ${l}`)
  switch (c.kind) {
    case 'tag':
      return `${c.has ? '有' : '没有'}${c.source === 'auto' ? '自动' : '手动'}标签「${c.tag}」`
    case 'tier':
      return `会员等级为 ${c.levels.map(tier).join('、')}`
    case 'recency':
      return `距上次消费 ${OP_LABEL[c.op]} ${c.days} 天`
    case 'frequency':
      return `近 ${c.windowDays} 天消费次数 ${OP_LABEL[c.op]} ${c.count}`
    case 'monetary':
      return `近 ${c.windowDays} 天消费金额 ${OP_LABEL[c.op]} ${yuan(c.fen)}`
    case 'aov':
      return `客单价 ${OP_LABEL[c.op]} ${yuan(c.fen)}`
    case 'store':
      return `${c.which === 'first' ? '首次消费门店' : '最常去门店'}为 ${c.storeIds.map(store).join('、')}`
    case 'touchpoint':
      return `来源渠道为 ${c.touchpoints.join('、')}`
    case 'referred':
      return c.value ? '由好友推荐入会' : '非好友推荐入会'
    case 'birthdayMonth':
      return `生日在 ${c.months.map((m) => `${m} 月`).join('、')}`
    case 'coupons':
      return `${c.state === 'held' ? '持有可用' : '已使用'}优惠券${c.templateId ? '（指定券）' : ''} ${OP_LABEL[c.op]} ${c.count} 张`
    case 'gamePlays':
      return `近 ${c.windowDays} 天游戏次数 ${OP_LABEL[c.op]} ${c.count}`
  }
}

export function isGroup(item: SegmentCondition | SegmentGroup): item is SegmentGroup {
  return 'op' in item && 'items' in item && !('kind' in item)
}

/** RFM thresholds of the ready-made segments (merchant-configurable). */
export interface RfmThresholds {
  /** Recent: last visit within this many days. */
  recencyDays: number
  /** Frequent: at least this many paid orders in `windowDays`. */
  frequency: number
  /** Valuable: at least this much spend (fen) in `windowDays`. */
  monetaryFen: number
  windowDays: number
}

export const DEFAULT_RFM: RfmThresholds = { recencyDays: 60, frequency: 5, monetaryFen: 50_000, windowDays: 365 }

/** A campaign notice (活动通知) at most once per this many days per member, whatever the campaigns. */
export const DEFAULT_NOTICE_CAP_DAYS = 7

export type RfmPreset = 'valuable' | 'winBack' | 'keepFrequent' | 'sleeping'

/** 有赞-style RFM layers from the thresholds: R recent, F frequent, M valuable. */
export function rfmSegments(t: RfmThresholds): Array<{ preset: RfmPreset; name: string; root: SegmentGroup }> {
  const recent: SegmentCondition = { kind: 'recency', op: 'lte', days: t.recencyDays }
  const notRecent: SegmentCondition = { kind: 'recency', op: 'gte', days: t.recencyDays + 1 }
  const frequent: SegmentCondition = { kind: 'frequency', windowDays: t.windowDays, op: 'gte', count: t.frequency }
  const valuable: SegmentCondition = { kind: 'monetary', windowDays: t.windowDays, op: 'gte', fen: t.monetaryFen }
  const notValuable: SegmentCondition = { kind: 'monetary', windowDays: t.windowDays, op: 'lte', fen: Math.max(0, t.monetaryFen - 1) }
  return [
    { preset: 'valuable', name: '重要价值会员', root: { op: 'and', items: [recent, frequent, valuable] } },
    { preset: 'winBack', name: '重要唤回会员', root: { op: 'and', items: [notRecent, frequent, valuable] } },
    { preset: 'keepFrequent', name: '一般保持会员', root: { op: 'and', items: [recent, frequent, notValuable] } },
    { preset: 'sleeping', name: '沉睡会员', root: { op: 'and', items: [notRecent, notValuable] } },
  ]
}

export type CampaignStatus = 'scheduled' | 'running' | 'done' | 'cancelled'

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  scheduled: '待开始',
  running: '发放中',
  done: '已完成',
  cancelled: '已取消',
}

/** Why a member of the audience got no coupon. */
export type CampaignSkip = 'noStock' | 'limit' | 'templateInactive' | 'holdout'
/** Why an issued coupon came without a notice. */
export type NoticeSkip = 'noConsent' | 'frequencyCap' | 'dailyCap' | 'failed'

export const SKIP_LABELS: Record<CampaignSkip | NoticeSkip, string> = {
  noStock: '库存不足',
  limit: '已达每人限领',
  templateInactive: '券未开放',
  holdout: '对照组（不发券）',
  noConsent: '未订阅通知',
  frequencyCap: '近期已收到活动通知',
  dailyCap: '当日通知已达上限',
  failed: '通知发送失败',
}

export const CAMPAIGN_LIMITS = { nameMax: 20, holdoutMaxPercent: 50, scheduleMaxDays: 60, noticeCapDaysMax: 60, attributionDays: 14 } as const
