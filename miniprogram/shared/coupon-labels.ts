/**
 * The coupon labels and code helpers the mini program needs at run time, apart from the rest of
 * coupon-rules (pricing, validity windows: the server's), because a module imported at run time
 * counts in the main package even from a subpackage and coupon-rules is 5 KB. Same names and
 * values as in coupon-rules; test/unit/coupon-labels.test.ts checks they agree until coupon-rules
 * re-exports these instead of declaring its own (requested of the coupons branch).
 */
import type { CouponTab, CouponType, CouponValue, TemplateStatus } from './coupon-rules'

export const COUPON_TAB_NAMES: Record<CouponTab, string> = { available: '可使用', used: '已使用', expired: '已过期' }
export const COUPON_TYPE_NAMES: Record<CouponType, string> = { cash: '代金券', threshold: '满减券', discount: '折扣券', gift: '兑换券' }
export const TEMPLATE_STATUS_NAMES: Record<TemplateStatus, string> = { draft: '草稿', active: '进行中', paused: '已暂停', ended: '已结束' }

/** The short code as the clerk types it: 14 digits in groups of 4 ("1234 5678 9012 34"). */
export function formatShortCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ')
}

/** Strips spaces and dashes people type between groups. */
export function normalizeCodeInput(raw: string): string {
  return raw.replace(/[\s-]/g, '')
}

/** 'YYYY-MM-DD' of the China day `at` falls in. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
}

/** The threshold a coupon needs met (0: none). */
export function thresholdOf(value: CouponValue): number {
  return value.type === 'threshold' || value.type === 'discount' ? value.thresholdFen : 0
}
