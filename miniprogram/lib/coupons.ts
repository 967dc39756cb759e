/** How member coupons read on the pages (我的券, the pay page, the detail page); wire types in shared/coupon-rules. */
// shared/coupon-rules for types only: at run time its 5 KB would count in the main package (see shared/coupon-labels).
import { chinaDate, COUPON_TAB_NAMES } from '../shared/coupon-labels'
import type { CouponState, CouponTab, CouponView } from '../shared/coupon-rules'

const DONE_STATES: CouponState[] = ['used', 'given', 'expired']
/** 'YYYY-MM-DD HH:mm', China time, of an ISO instant. */
export const chinaMinute = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')

export interface CouponItem {
  id: string
  title: string
  kind: string
  valueLabel: string
  conditionLabel: string
  /** validity, or when / where it was used */
  line: string
  tag: string
  hot: boolean
  muted: boolean
}

const dateOf = (iso: string): string => chinaDate(new Date(iso))

function lineOf(c: CouponView): string {
  if (c.state === 'used') return `${dateOf(c.usedAt ?? c.validUntil)} 已使用${c.usedStoreName ? ` · ${c.usedStoreName}` : ''}`
  if (c.state === 'given') return '已转赠给好友'
  if (c.state === 'notStarted') return `${dateOf(c.validFrom)} 起可用 · ${c.validUntilLabel}`
  return c.validUntilLabel
}

function tagOf(c: CouponView): { tag: string; hot: boolean } {
  if (c.state === 'available' && c.expiringSoon) return { tag: '即将过期', hot: true }
  if (c.state === 'available') return { tag: c.fromFriend ? '好友赠送' : '', hot: false }
  return { tag: c.stateName, hot: c.state === 'gifting' || c.state === 'locked' }
}

// Object.assign, not spread: the mini program's build lowers spread to a helper in every file (main package bytes).
export function couponItem(c: CouponView): CouponItem {
  const { tag, hot } = tagOf(c)
  return {
    id: c.id,
    title: c.title,
    kind: c.type,
    valueLabel: c.valueLabel,
    conditionLabel: c.conditionLabel,
    line: lineOf(c),
    tag,
    hot,
    muted: DONE_STATES.includes(c.state),
  }
}

export interface CouponTabs {
  tabs: { key: CouponTab; name: string; count: number }[]
  /** the chosen tab's coupons, in the server's order (available: soonest expiry first) */
  items: CouponItem[]
  /** Usable coupons expiring within 3 days (the badge). */
  expiringSoon: number
}

const TAB_KEYS: CouponTab[] = ['available', 'used', 'expired']

/** 我的券 as member.myCoupons answers one tab (with every tab's count). */
export function couponTabs(res: { coupons: readonly CouponView[]; counts: Record<CouponTab, number>; expiringSoon: number }): CouponTabs {
  return {
    tabs: TAB_KEYS.map((key) => ({ key, name: COUPON_TAB_NAMES[key], count: res.counts[key] })),
    items: res.coupons.map(couponItem),
    expiringSoon: res.expiringSoon,
  }
}

/** Pages of the coupons subpackage. */
export const COUPON_PAGES = {
  center: '/coupons/pages/center/index',
  claim: '/coupons/pages/claim/index',
  detail: '/coupons/pages/detail/index',
  gift: '/coupons/pages/gift/index',
  gifts: '/coupons/pages/gifts/index',
} as const
