import { callCloud } from '../../lib/call-cloud'
import { formatYuan } from '../../lib/money'
import { instanceStore } from '../../lib/ui'
import type { CouponView } from '../../shared/coupon-rules'

/** After the amount stops changing this long, the usable coupons are asked for (one call, not one per key). */
export const COUPON_QUOTE_DELAY_MS = 300

export interface CouponOption {
  id: string
  title: string
  valueLabel: string
  /** 省 ¥5.00 · 有效期至 … */
  line: string
  discountFen: number
  payableFen: number
}
export interface UnusableOption {
  id: string
  title: string
  valueLabel: string
  message: string
}

/** The pay page's coupon fields. */
export const couponData = {
  couponOptions: [] as CouponOption[],
  couponUnusable: [] as UnusableOption[],
  couponId: '',
  couponsOpen: false,
  /** '' while nothing to say (no amount yet, or no coupons at all) */
  couponSummary: '',
  /** 实付 ¥x（已优惠 ¥y）, from the server's figures */
  payableText: '',
  /** for the amount and store the options were asked for */
  couponsFor: '',
}
type CouponData = typeof couponData

interface PayPage {
  data: CouponData & { typedFen: number | null; stores: { id: string }[]; storeIndex: number }
  setData(patch: Partial<CouponData>): void
}

const local = instanceStore(() => ({ timer: 0 as ReturnType<typeof setTimeout> | 0, seq: 0 }))

function option(u: { coupon: CouponView; discountFen: number; payableFen: number }): CouponOption {
  return {
    id: u.coupon.id,
    title: u.coupon.title,
    valueLabel: u.coupon.valueLabel,
    line: `省 ${formatYuan(u.discountFen)} · ${u.coupon.validUntilLabel}`,
    discountFen: u.discountFen,
    payableFen: u.payableFen,
  }
}

function summaryOf(options: CouponOption[], unusable: number, couponId: string): Pick<CouponData, 'couponSummary' | 'payableText'> {
  const picked = options.find((o) => o.id === couponId)
  if (picked) return { couponSummary: `${picked.title} · 省 ${formatYuan(picked.discountFen)}`, payableText: `实付 ${formatYuan(picked.payableFen)}（已优惠 ${formatYuan(picked.discountFen)}）` }
  if (options.length) return { couponSummary: `${options.length} 张可用，未使用`, payableText: '' }
  return { couponSummary: unusable ? `${unusable} 张券本单不可用` : '', payableText: '' }
}

const keyOf = (storeId: string, fen: number | null) => (fen === null || !storeId ? '' : `${storeId}:${fen}`)

/** The store or the amount changed: the options are stale at once, asked for again shortly. */
export function scheduleCouponQuote(page: PayPage): void {
  const s = local(page)
  if (s.timer) clearTimeout(s.timer)
  s.seq += 1
  const storeId = page.data.stores[page.data.storeIndex]?.id ?? ''
  const fen = page.data.typedFen
  // nothing chosen survives a new amount: the best one for it is picked again
  // Object.assign, not spread: spread costs a helper per file in the main package
  page.setData(Object.assign({}, couponData))
  if (!keyOf(storeId, fen)) return
  s.timer = setTimeout(() => void quoteCoupons(page), COUPON_QUOTE_DELAY_MS)
}

/** The member's coupons for this store and amount, best first (the server's order and figures); the best is picked. */
export async function quoteCoupons(page: PayPage): Promise<void> {
  const s = local(page)
  s.timer = 0
  const seq = (s.seq += 1)
  const storeId = page.data.stores[page.data.storeIndex]?.id ?? ''
  const amountFen = page.data.typedFen
  const key = keyOf(storeId, amountFen)
  if (!key || amountFen === null) return
  try {
    const res = await callCloud('member', 'usableCoupons', { storeId, amountFen })
    if (seq !== s.seq) return
    const options = res.usable.map(option)
    const couponUnusable = res.unusable.map((u) => ({ id: u.coupon.id, title: u.coupon.title, valueLabel: u.coupon.valueLabel, message: u.message }))
    const couponId = options[0]?.id ?? ''
    page.setData(Object.assign({ couponOptions: options, couponUnusable, couponId, couponsFor: key }, summaryOf(options, couponUnusable.length, couponId)))
  } catch {
    // paying without a coupon still works; the section just stays empty
    if (seq === s.seq) page.setData(Object.assign({}, couponData))
  }
}

/** Is what is shown for the amount and store about to be paid? (else the submit asks first) */
export function couponsCurrent(page: PayPage): boolean {
  const storeId = page.data.stores[page.data.storeIndex]?.id ?? ''
  return page.data.couponsFor === keyOf(storeId, page.data.typedFen)
}

export function pickCoupon(page: PayPage, id: string): void {
  const options = page.data.couponOptions
  const couponId = id && options.some((o) => o.id === id) ? id : ''
  page.setData(Object.assign({ couponId, couponsOpen: false }, summaryOf(options, page.data.couponUnusable.length, couponId)))
}

export function stopCouponQuote(page: object): void {
  const s = local(page)
  if (s.timer) clearTimeout(s.timer)
  s.timer = 0
  s.seq += 1
}
