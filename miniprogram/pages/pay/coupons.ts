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
  /** may go with other stackable coupons on one order (coupon-gaps) */
  stackable: boolean
  /** picked (one coupon, or one of a stack) */
  on: boolean
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
  /** every picked coupon (stacking, coupon-gaps); couponId is the first */
  couponIds: [] as string[],
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
    stackable: u.coupon.stackable,
    on: false,
  }
}

const marked = (options: CouponOption[], ids: string[]): CouponOption[] => options.map((o) => Object.assign({}, o, { on: ids.indexOf(o.id) >= 0 }))

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
    const couponIds = couponId ? [couponId] : []
    page.setData(Object.assign({ couponOptions: marked(options, couponIds), couponUnusable, couponId, couponIds, couponsFor: key }, summaryOf(options, couponUnusable.length, couponId)))
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

/**
 * A tap on a coupon: a non-stackable one (or 不使用) replaces the pick; a stackable one joins
 * stackable ones already picked, and a tap on a picked one of a stack takes it out. A stack is
 * priced by the server (the same pricing createOrder runs) before it is shown.
 */
export function pickCoupon(page: PayPage, id: string): void {
  const options = page.data.couponOptions
  const tapped = options.find((o) => o.id === id)
  const current = page.data.couponIds
  const stackOf = (ids: string[]) => ids.every((x) => options.find((o) => o.id === x)?.stackable === true)
  let ids: string[]
  if (!tapped) ids = []
  else if (current.indexOf(id) >= 0) ids = current.length > 1 ? current.filter((x) => x !== id) : [id]
  else if (tapped.stackable && current.length > 0 && stackOf(current)) ids = current.concat([id])
  else ids = [id]
  if (ids.length < 2) {
    const couponId = ids[0] ?? ''
    page.setData(Object.assign({ couponId, couponIds: ids, couponOptions: marked(options, ids), couponsOpen: tapped ? tapped.stackable && page.data.couponsOpen : false }, summaryOf(options, page.data.couponUnusable.length, couponId)))
    return
  }
  void priceStack(page, ids, id)
}

async function priceStack(page: PayPage, ids: string[], tapped: string): Promise<void> {
  const s = local(page)
  const seq = (s.seq += 1)
  const storeId = page.data.stores[page.data.storeIndex]?.id ?? ''
  const amountFen = page.data.typedFen
  if (amountFen === null) return
  try {
    const res = await callCloud('member', 'usableCoupons', { storeId, amountFen, couponIds: ids })
    if (seq !== s.seq) return
    const sel = res.selection
    if (sel && sel.ok) {
      page.setData({
        couponId: ids[0],
        couponIds: ids,
        couponOptions: marked(page.data.couponOptions, ids),
        couponSummary: `${ids.length} 张券叠加 · 省 ${formatYuan(sel.discountFen)}`,
        payableText: `实付 ${formatYuan(sel.payableFen)}（已优惠 ${formatYuan(sel.discountFen)}）`,
      })
      return
    }
    void wx.showToast({ title: sel ? sel.message : '这些券不能同时使用', icon: 'none' })
  } catch {
    if (seq !== s.seq) return
  }
  // not together: the tapped coupon alone
  const options = page.data.couponOptions
  page.setData(Object.assign({ couponId: tapped, couponIds: [tapped], couponOptions: marked(options, [tapped]) }, summaryOf(options, page.data.couponUnusable.length, tapped)))
}

export function stopCouponQuote(page: object): void {
  const s = local(page)
  if (s.timer) clearTimeout(s.timer)
  s.timer = 0
  s.seq += 1
}
