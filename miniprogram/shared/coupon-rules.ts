/**
 * Coupon rules both sides use: the four types, what a coupon takes off an amount (integer fen,
 * never floating point), when it is valid, and the Chinese labels. The server decides with these
 * (cloudfunctions/services/coupons.ts); the pages show the same answer before asking.
 */

/** 代金 (cash off), 满减 (off at or above a threshold), 折扣 (percentage with a cap), 兑换 (a named gift). */
export type CouponType = 'cash' | 'threshold' | 'discount' | 'gift'
export const COUPON_TYPES: readonly CouponType[] = ['cash', 'threshold', 'discount', 'gift']
export const COUPON_TYPE_NAMES: Record<CouponType, string> = { cash: '代金券', threshold: '满减券', discount: '折扣券', gift: '兑换券' }

export type TemplateStatus = 'draft' | 'active' | 'paused' | 'ended'
export const TEMPLATE_STATUS_NAMES: Record<TemplateStatus, string> = { draft: '草稿', active: '进行中', paused: '已暂停', ended: '已结束' }
/** The state machine: draft → active ⇄ paused → ended (ended is final). */
export const TEMPLATE_TRANSITIONS: Record<TemplateStatus, readonly TemplateStatus[]> = {
  draft: ['active', 'ended'],
  active: ['paused', 'ended'],
  paused: ['active', 'ended'],
  ended: [],
}

/**
 * What a member's coupon is, as shown (computed on read from the stored state and the clock):
 * available (usable now), notStarted (valid from a later day), locked (held by an unpaid order),
 * gifting (in transit to a friend), used, given (forwarded away), expired.
 */
export type CouponState = 'available' | 'notStarted' | 'locked' | 'gifting' | 'used' | 'given' | 'expired'
export const COUPON_STATE_NAMES: Record<CouponState, string> = {
  available: '可使用',
  notStarted: '未生效',
  locked: '支付中',
  gifting: '转赠中',
  used: '已使用',
  given: '已转赠',
  expired: '已过期',
}
/** The three tabs of 我的券 and which states each shows. */
export type CouponTab = 'available' | 'used' | 'expired'
export const COUPON_TAB_NAMES: Record<CouponTab, string> = { available: '可使用', used: '已使用', expired: '已过期' }
export function tabOf(state: CouponState): CouponTab {
  if (state === 'used' || state === 'given') return 'used'
  if (state === 'expired') return 'expired'
  return 'available'
}

/** Limits of a template's numbers (the admin form and the server schema share them). */
export const COUPON_TITLE_MAX = 20
export const COUPON_RULES_MAX = 300
export const GIFT_NAME_MAX = 20
export const COUPON_VALUE_MAX_FEN = 1_000_000
export const COUPON_STOCK_MAX = 1_000_000
export const PER_MEMBER_LIMIT_MAX = 20
export const PER_DAY_LIMIT_MAX = 10
export const VALID_DAYS_MAX = 366
export const DELAY_DAYS_MAX = 30
/** 折扣: the share paid, in percent: 85 = 8.5折 (15% off). */
export const RATE_PERCENT_MIN = 10
export const RATE_PERCENT_MAX = 99
/** Coupons expiring within this many days are counted in the badge of 我的券. */
export const EXPIRING_SOON_DAYS = 3
/** A gift not accepted in this time returns to the sender. */
export const GIFT_HOLD_MS = 24 * 3_600_000
/** A verification may be undone by a manager or above within this time. */
export const UNDO_WINDOW_MS = 10 * 60_000
/**
 * An unpaid WeChat Pay order is payable this long: WeChat is told so (time_expire) and the
 * reconciliation job closes it then (services/reconcile.ts CLOSE_AFTER_MS is this value).
 */
export const ORDER_PAYABLE_MS = 30 * 60_000
/**
 * An unpaid order holds its coupon this long; after that the coupon is usable again (checked
 * lazily). Longer than the order is payable plus two runs of the 5-minute reconciliation timer,
 * so a coupon is never free while its order can still be paid (the closing path frees it first).
 */
export const ORDER_COUPON_LOCK_MS = ORDER_PAYABLE_MS + 10 * 60_000

/** The value of a coupon (the same shape in a template and in a claimed coupon's snapshot). */
export type CouponValue =
  | { type: 'cash'; valueFen: number }
  | { type: 'threshold'; valueFen: number; thresholdFen: number }
  | { type: 'discount'; ratePercent: number; capFen: number; thresholdFen: number }
  | { type: 'gift'; giftName: string }

/** Validity: a fixed range of China days, or N days from the claim (optionally starting M days after). */
export type CouponValidity = { kind: 'fixed'; startDate: string; endDate: string } | { kind: 'relative'; days: number; delayDays: number }

/** Who may claim: everyone, members of some tiers, or members carrying one of some tags. */
export type CouponAudience = { kind: 'everyone' } | { kind: 'tiers'; levels: number[] } | { kind: 'tags'; tags: string[] }

export type DiscountOutcome =
  | { ok: true; discountFen: number; payableFen: number }
  | { ok: false; reason: 'THRESHOLD'; thresholdFen: number }
  | { ok: false; reason: 'EXCEEDS' }
  | { ok: false; reason: 'NOT_MONEY' }

/**
 * What a coupon takes off `amountFen`. Integer fen throughout: 折扣 rounds the discount down
 * (the member never pays less than the rate says) and never beyond its cap. A payment must
 * stay at least 0.01 元 (WeChat Pay takes no zero order), so a cash coupon worth the whole
 * amount or more is refused (EXCEEDS) rather than silently shrunk. 兑换 takes nothing off a
 * bill (NOT_MONEY): it is verified at the counter, not applied to a payment.
 */
export function couponDiscount(value: CouponValue, amountFen: number): DiscountOutcome {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) return { ok: false, reason: 'EXCEEDS' }
  switch (value.type) {
    case 'gift':
      return { ok: false, reason: 'NOT_MONEY' }
    case 'cash':
      if (value.valueFen >= amountFen) return { ok: false, reason: 'EXCEEDS' }
      return { ok: true, discountFen: value.valueFen, payableFen: amountFen - value.valueFen }
    case 'threshold':
      if (amountFen < value.thresholdFen) return { ok: false, reason: 'THRESHOLD', thresholdFen: value.thresholdFen }
      if (value.valueFen >= amountFen) return { ok: false, reason: 'EXCEEDS' }
      return { ok: true, discountFen: value.valueFen, payableFen: amountFen - value.valueFen }
    case 'discount': {
      if (amountFen < value.thresholdFen) return { ok: false, reason: 'THRESHOLD', thresholdFen: value.thresholdFen }
      const off = Math.min(value.capFen, Math.floor((amountFen * (100 - value.ratePercent)) / 100))
      if (off <= 0 || off >= amountFen) return { ok: false, reason: 'EXCEEDS' }
      return { ok: true, discountFen: off, payableFen: amountFen - off }
    }
  }
}

/** The threshold a coupon needs met (0: none). */
export function thresholdOf(value: CouponValue): number {
  return value.type === 'threshold' || value.type === 'discount' ? value.thresholdFen : 0
}

const CHINA_OFFSET_MS = 8 * 3_600_000
const DAY_MS = 86_400_000

/** 'YYYY-MM-DD' of the China day `at` falls in. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10)
}

/** Midnight (China) that starts the day 'YYYY-MM-DD'. */
export function chinaDayStart(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - CHINA_OFFSET_MS)
}

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/
export function isRealDate(date: string): boolean {
  if (!DATE_RE.test(date)) return false
  const d = new Date(`${date}T00:00:00.000Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date
}

/**
 * The window a coupon claimed at `claimedAt` is valid in: [validFrom, validUntil). Fixed: from
 * the first day's midnight to the end of the last day (China time). Relative: N whole China days
 * starting M days after the claim day (M = 0: from the moment of the claim, the claim day
 * counting as day 1).
 */
export function validityWindow(validity: CouponValidity, claimedAt: Date): { validFrom: Date; validUntil: Date } {
  if (validity.kind === 'fixed') {
    return { validFrom: chinaDayStart(validity.startDate), validUntil: new Date(chinaDayStart(validity.endDate).getTime() + DAY_MS) }
  }
  const claimDay = chinaDayStart(chinaDate(claimedAt)).getTime()
  const from = validity.delayDays > 0 ? new Date(claimDay + validity.delayDays * DAY_MS) : claimedAt
  const until = new Date(claimDay + (validity.delayDays + validity.days) * DAY_MS)
  return { validFrom: from, validUntil: until }
}

/** A template's validity is refused when it makes no sense (end before start, a past end). */
export function validityProblem(validity: CouponValidity, now: Date): string | null {
  if (validity.kind === 'relative') return null
  if (!isRealDate(validity.startDate) || !isRealDate(validity.endDate)) return '日期格式应为 YYYY-MM-DD'
  if (validity.endDate < validity.startDate) return '结束日期不能早于开始日期'
  if (validity.endDate < chinaDate(now)) return '结束日期不能早于今天'
  const span = (Date.parse(validity.endDate) - Date.parse(validity.startDate)) / DAY_MS + 1
  if (span > VALID_DAYS_MAX) return `有效期最长 ${VALID_DAYS_MAX} 天`
  return null
}

function yuan(fen: number): string {
  const whole = Math.floor(fen / 100)
  const cents = fen % 100
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`
}

/** 85 → "8.5折", 80 → "8折" */
export function rateLabel(ratePercent: number): string {
  return ratePercent % 10 === 0 ? `${ratePercent / 10}折` : `${Math.floor(ratePercent / 10)}.${ratePercent % 10}折`
}

/** The big text of a coupon: 「¥10」「¥20」「8.5折」「美式咖啡一杯」. */
export function valueLabel(value: CouponValue): string {
  switch (value.type) {
    case 'cash':
    case 'threshold':
      return `¥${yuan(value.valueFen)}`
    case 'discount':
      return rateLabel(value.ratePercent)
    case 'gift':
      return value.giftName
  }
}

/** The condition line: 「无门槛」「满100可用」「满50可用，最高减¥30」「到店兑换」. */
export function conditionLabel(value: CouponValue): string {
  switch (value.type) {
    case 'cash':
      return '无门槛'
    case 'threshold':
      return `满${yuan(value.thresholdFen)}可用`
    case 'discount':
      return `${value.thresholdFen > 0 ? `满${yuan(value.thresholdFen)}可用，` : ''}最高减¥${yuan(value.capFen)}`
    case 'gift':
      return '到店兑换'
  }
}

/** 「2026-12-01 至 2026-12-31」「领取后 7 天内有效」「领取 1 天后生效，7 天内有效」 */
export function validityLabel(validity: CouponValidity): string {
  if (validity.kind === 'fixed') return `${validity.startDate} 至 ${validity.endDate}`
  return validity.delayDays > 0 ? `领取 ${validity.delayDays} 天后生效，${validity.days} 天内有效` : `领取后 ${validity.days} 天内有效`
}

/** 「有效期至 2026-12-31」 for a claimed coupon (validUntil is exclusive: the day before it, China time). */
export function validUntilLabel(validUntilIso: string): string {
  return `有效期至 ${chinaDate(new Date(Date.parse(validUntilIso) - 1))}`
}

/** The short code as the clerk types it: 14 digits in groups of 4 ("1234 5678 9012 34"). */
export function formatShortCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ')
}

/** Strips spaces and dashes people type between groups. */
export function normalizeCodeInput(raw: string): string {
  return raw.replace(/[\s-]/g, '')
}

// ---- What the functions answer (the wire types of the coupon actions; dates as ISO strings) ----

/** A member's coupon as 我的券, the detail page, the pay page and the counter show it. */
export interface CouponView {
  id: string
  templateId: string
  type: CouponType
  title: string
  value: CouponValue
  valueLabel: string
  conditionLabel: string
  state: CouponState
  stateName: string
  validFrom: string
  validUntil: string
  validUntilLabel: string
  /** Usable and expiring within EXPIRING_SOON_DAYS. */
  expiringSoon: boolean
  forwardable: boolean
  stackable: boolean
  /** null = every store. */
  storeIds: string[] | null
  /** Names of storeIds (empty when every store). */
  storeNames: string[]
  claimedAt: string
  usedAt: string | null
  usedStoreName: string
  /** It came from a friend's gift. */
  fromFriend: boolean
  /** While in transit: the gift token (to share again or take back) and when it returns. */
  giftToken: string | null
  giftExpiresAt: string | null
}

/** Why a template cannot be claimed by this caller now (the error code claimCoupon would answer). */
export type ClaimBlock = 'SOLD_OUT' | 'LIMIT_REACHED' | 'DAILY_LIMIT_REACHED' | 'NOT_ELIGIBLE' | 'TEMPLATE_NOT_ACTIVE' | 'EXPIRED'

/** A template as 领券中心 and the campaign landing page show it. */
export interface CenterTemplateView {
  id: string
  type: CouponType
  title: string
  rulesText: string
  value: CouponValue
  valueLabel: string
  conditionLabel: string
  validityLabel: string
  stock: number
  remaining: number
  perMemberLimit: number
  perDayLimit: number
  claimedByMe: number
  claimedToday: number
  storeIds: string[] | null
  storeNames: string[]
  forwardable: boolean
  canClaim: boolean
  blocked: ClaimBlock | null
  blockedMessage: string
}

/** A template as the admin pages show it. */
export interface AdminTemplateView {
  /** A sub-brand's template (coupon-gaps): issuerName is then the sub-brand's name. */
  subBrandId?: string | null
  id: string
  shortId: string
  /** null = HQ (every store). */
  storeId: string | null
  issuerName: string
  usableStoreIds: string[] | null
  usableStoreNames: string[]
  type: CouponType
  title: string
  rulesText: string
  value: CouponValue
  valueLabel: string
  conditionLabel: string
  validity: CouponValidity
  validityLabel: string
  stock: number
  remaining: number
  claimed: number
  perMemberLimit: number
  perDayLimit: number
  audience: CouponAudience
  forwardable: boolean
  stackable: boolean
  status: TemplateStatus
  statusName: string
  /** 'all' while nobody has claimed; 'limited' after (stock growth, status, rules text only). */
  editable: 'all' | 'limited'
  /** Where the status may go next. */
  transitions: TemplateStatus[]
  createdAt: string
  updatedAt: string
}

export type GiftViewStatus = 'pending' | 'accepted' | 'takenBack' | 'returned'
export const GIFT_STATUS_NAMES: Record<GiftViewStatus, string> = { pending: '待领取', accepted: '已被领取', takenBack: '已收回', returned: '已退回' }

/** A gift as both sides' lists show it. */
export interface GiftView {
  token: string
  couponId: string
  title: string
  status: GiftViewStatus
  statusName: string
  /** The other side, as the viewer may see them: 「好友」 or a masked member number. */
  counterpart: string
  createdAt: string
  expiresAt: string
  closedAt: string | null
}

/** What the gift page shows the person who opened the card. */
export interface GiftOpenView {
  token: string
  /** pending: can be accepted; mine: the viewer sent it; acceptedByYou; taken: someone else was first; closed: taken back or returned. */
  status: 'pending' | 'mine' | 'acceptedByYou' | 'taken' | 'closed'
  message: string
  title: string
  type: CouponType
  value: CouponValue
  valueLabel: string
  conditionLabel: string
  validUntil: string
  validUntilLabel: string
  storeNames: string[]
  rulesText: string
  expiresAt: string
  /** The receiver's coupon once accepted by the viewer. */
  couponId: string | null
}

/** A coupon as the counter sees it after a lookup. */
export interface CounterCouponView extends CouponView {
  /** The owner's member number (masked), or 「非会员」. */
  owner: string
  /** Pass to admin coupons.verify; null when the coupon cannot be verified here (see refusal). */
  ticket: string | null
  refusal: { code: string; message: string } | null
  /** With an amount given to the lookup: what the coupon takes off it (null: not a money coupon, or refused). */
  discountFen: number | null
}

export interface VerificationView {
  id: string
  couponId: string
  title: string
  type: CouponType
  valueLabel: string
  storeId: string
  storeName: string
  clerkName: string
  memberNo: string
  orderAmountFen: number | null
  discountFen: number | null
  status: 'done' | 'undone'
  createdAt: string
  undoneAt: string | null
  undoneByName: string | null
  /** The caller may undo it now (manager or above, within UNDO_WINDOW_MS). */
  undoable: boolean
}

// ---- Stacking several coupons on one order (coupon-gaps) ----

/** At most this many coupons on one order (each must be stackable when there are two or more). */
export const MAX_COUPONS_PER_ORDER = 5

/**
 * Where a coupon goes in a stack: fixed amounts (代金, 满减) first, then 折扣 on what is left,
 * the deepest rate first (ties: the larger cap first). Fixed-then-percentage means a 折扣 never
 * discounts money a 满减 already took off, so the member's saving does not depend on the order
 * the coupons were picked in.
 */
function stackRank(v: CouponValue): [number, number, number] {
  if (v.type === 'discount') return [1, v.ratePercent, -v.capFen]
  return [0, 0, 0]
}

export type StackOutcome =
  | { ok: true; discounts: number[]; discountFen: number; payableFen: number }
  | { ok: false; index: number; reason: 'THRESHOLD'; thresholdFen: number }
  | { ok: false; index: number; reason: 'EXCEEDS' | 'NOT_MONEY' | 'NOT_STACKABLE' }
  | { ok: false; index: -1; reason: 'TOO_MANY' }

/**
 * What several coupons take off `amountFen` together (integer fen). One coupon is exactly
 * couponDiscount. Two or more: every one must be stackable; each threshold (满减, 折扣) is
 * judged on the bill **before any coupon** (a 满100减20 stays usable next to a 5元券 on ¥100);
 * fixed amounts apply first, then each 折扣 on the amount left after the coupons before it,
 * rounded down and capped as alone; a coupon that would take nothing off is refused (EXCEEDS),
 * and the order must still cost at least 0.01 元. `discounts[i]` is coupon i's share, in the
 * caller's order.
 */
export function stackDiscount(items: readonly { value: CouponValue; stackable: boolean }[], amountFen: number): StackOutcome {
  if (items.length > MAX_COUPONS_PER_ORDER) return { ok: false, index: -1, reason: 'TOO_MANY' }
  if (items.length === 1) {
    const one = couponDiscount(items[0].value, amountFen)
    if (one.ok) return { ok: true, discounts: [one.discountFen], discountFen: one.discountFen, payableFen: one.payableFen }
    return { ...one, index: 0 }
  }
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) return { ok: false, index: 0, reason: 'EXCEEDS' }
  for (let i = 0; i < items.length; i++) {
    const v = items[i].value
    if (v.type === 'gift') return { ok: false, index: i, reason: 'NOT_MONEY' }
    if (!items[i].stackable) return { ok: false, index: i, reason: 'NOT_STACKABLE' }
    const threshold = thresholdOf(v)
    if (amountFen < threshold) return { ok: false, index: i, reason: 'THRESHOLD', thresholdFen: threshold }
  }
  const order = items.map((_, i) => i)
  order.sort((a, b) => {
    const ra = stackRank(items[a].value)
    const rb = stackRank(items[b].value)
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2] || a - b
  })
  const discounts: number[] = items.map(() => 0)
  let left = amountFen
  for (const i of order) {
    const v = items[i].value
    const off = v.type === 'discount' ? Math.min(v.capFen, Math.floor((left * (100 - v.ratePercent)) / 100)) : v.type === 'gift' ? 0 : v.valueFen
    if (off <= 0 || off >= left) return { ok: false, index: i, reason: 'EXCEEDS' }
    discounts[i] = off
    left -= off
  }
  return { ok: true, discounts, discountFen: amountFen - left, payableFen: left }
}
