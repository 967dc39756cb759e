/** How member coupons read on the pages (我的券, the pay page, the detail page); wire types in shared/coupon-rules. */
import { COUPON_TAB_NAMES, tabOf, type CouponTab, type CouponView } from '../shared/coupon-rules'

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

function dateOf(iso: string): string {
  // China date of an instant, like the server's labels
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10)
}

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

export function couponItem(c: CouponView): CouponItem {
  return {
    id: c.id,
    title: c.title,
    kind: c.type,
    valueLabel: c.valueLabel,
    conditionLabel: c.conditionLabel,
    line: lineOf(c),
    ...tagOf(c),
    muted: tabOf(c.state) !== 'available',
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
