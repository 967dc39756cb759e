/**
 * Rewards (issue 13): post-payment rules, store check-in, birthday benefit and the points shop.
 * Shapes and limits shared by the admin pages and the functions, so both check the same.
 */

/** What a rule (or a check-in) gives. */
export type RewardGift =
  | { kind: 'coupon'; templateId: string }
  | { kind: 'points'; points: number }
  | { kind: 'chances'; gameId: string; count: number }

/** 消费有礼: a payment of at least minSpendFen (after coupon), optionally first payment only and one store only. */
export interface PayRule {
  id: string
  name: string
  minSpendFen: number
  firstPaymentOnly: boolean
  /** null = every store. */
  storeId: string | null
  gift: RewardGift
  active: boolean
}

/** 到店签到有礼. */
export interface CheckinConfig {
  enabled: boolean
  gift: Extract<RewardGift, { kind: 'coupon' | 'points' }>
  /** Only within this many metres of the store when the member shares a location; null = no distance check. */
  radiusM: number | null
  /** Without a shared location: refuse (true) or allow (false). Only meaningful with radiusM. */
  requireLocation: boolean
}

/** 生日礼. */
export interface BirthdayConfig {
  /** The birthday coupon's template; null = no birthday benefit. */
  templateId: string | null
  /** A birthday set during its own month grants that year's coupon (default no: the birthday is set once, so it cannot be gamed afterwards either). */
  grantWhenSetInMonth: boolean
}

export const MAX_PAY_RULES = 20
export const RULE_NAME_MAX = 20
export const MAX_REWARD_POINTS = 100_000
export const MAX_CHANCES = 20
export const MIN_SPEND_MAX_FEN = 10_000_000
export const RADIUS_MIN_M = 50
export const RADIUS_MAX_M = 5_000
export const MAX_SHOP_ITEMS = 50
export const SHOP_PRICE_MAX = 1_000_000
export const SHOP_STOCK_MAX = 100_000
export const SHOP_LIMIT_MAX = 100

export const DEFAULT_CHECKIN: CheckinConfig = { enabled: false, gift: { kind: 'points', points: 10 }, radiusM: null, requireLocation: false }
export const DEFAULT_BIRTHDAY: BirthdayConfig = { templateId: null, grantWhenSetInMonth: false }

/** Short words a person reads for a gift. */
export function giftLabel(gift: RewardGift, couponTitle?: string): string {
  if (gift.kind === 'points') return `${gift.points} 积分`
  if (gift.kind === 'chances') return `${gift.count} 次游戏机会`
  return couponTitle ? `优惠券「${couponTitle}」` : '优惠券'
}

const EARTH_RADIUS_M = 6_371_000

/** Great-circle distance in metres (haversine). */
export function distanceM(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180
  const dLat = rad(b.latitude - a.latitude)
  const dLon = rad(b.longitude - a.longitude)
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** China time (UTC+8, no daylight saving) parts of an instant. */
export function chinaParts(now: Date): { year: number; month: number; day: number; ymd: string } {
  const d = new Date(now.getTime() + 8 * 3_600_000)
  const year = d.getUTCFullYear()
  const month = d.getUTCMonth() + 1
  const day = d.getUTCDate()
  return { year, month, day, ymd: `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}` }
}

/** Is a birthday 'MM-DD' in the China month of `now`? */
export function isBirthdayMonth(birthday: string | null | undefined, now: Date): boolean {
  if (!birthday) return false
  return Number(birthday.slice(0, 2)) === chinaParts(now).month
}

/** The check-in QR code's scene: `s=<hex of the store id>` (store ids are `store-<16 hex>`; scene ≤ 32 characters). */
export function checkinScene(storeId: string): string {
  return `s=${storeId.replace(/^store-/, '')}`
}

/** The store id a scanned scene (or a `s` query) names, or null. */
export function storeIdFromScene(scene: string | undefined | null): string | null {
  if (!scene) return null
  const m = /^(?:s=)?([0-9a-f]{16})$/.exec(decodeURIComponent(scene))
  return m ? `store-${m[1]}` : null
}

export const CHECKIN_PAGE = 'rewards/pages/checkin/index'
export const SHOP_PAGE = 'rewards/pages/shop/index'
