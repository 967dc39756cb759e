import { couponDiscount, MAX_COUPONS_PER_ORDER, ORDER_COUPON_LOCK_MS, ORDER_PAYABLE_MS, stackDiscount, type CouponValue } from '../../miniprogram/shared/coupon-rules'
import { CLOSE_AFTER_MS, JOB_QUERY_AFTER_MS } from '../../cloudfunctions/services/reconcile'

/** stackDiscount (coupon-gaps): the fixed order several coupons apply in, and its refusals. */
const cash = (valueFen: number): CouponValue => ({ type: 'cash', valueFen })
const off = (valueFen: number, thresholdFen: number): CouponValue => ({ type: 'threshold', valueFen, thresholdFen })
const rate = (ratePercent: number, capFen: number, thresholdFen = 0): CouponValue => ({ type: 'discount', ratePercent, capFen, thresholdFen })
const s = (value: CouponValue, stackable = true) => ({ value, stackable })

describe('stackDiscount', () => {
  it('one coupon is exactly couponDiscount, stackable or not', () => {
    for (const v of [cash(500), off(2000, 10000), rate(80, 1500), rate(85, 3000, 5000)]) {
      for (const amount of [1, 499, 500, 4999, 5000, 10000, 123457]) {
        const one = couponDiscount(v, amount)
        const stacked = stackDiscount([s(v, false)], amount)
        expect(stacked.ok).toBe(one.ok)
        if (one.ok && stacked.ok) expect([stacked.discountFen, stacked.payableFen, stacked.discounts]).toEqual([one.discountFen, one.payableFen, [one.discountFen]])
      }
    }
  })

  it('fixed amounts first, then 折扣 on what is left (deepest first), thresholds on the bill before coupons, whatever the pick order', () => {
    const picks = [s(rate(80, 3000)), s(cash(500)), s(off(2000, 10000))]
    const a = stackDiscount(picks, 10000)
    expect(a).toEqual({ ok: true, discounts: [1500, 500, 2000], discountFen: 4000, payableFen: 6000 })
    const b = stackDiscount([picks[2], picks[0], picks[1]], 10000)
    expect(b).toMatchObject({ discountFen: 4000, payableFen: 6000, discounts: [2000, 1500, 500] })
    // Two rates: 7折 (cap ¥50) before 9折 (cap ¥5): 100 → 70 (−30) → 65 (−5, capped).
    expect(stackDiscount([s(rate(90, 500)), s(rate(70, 5000))], 10000)).toEqual({ ok: true, discounts: [500, 3000], discountFen: 3500, payableFen: 6500 })
  })

  it('refuses a non-stackable one among several, a gift, an unmet threshold, a coupon that takes nothing, an empty bill, too many', () => {
    expect(stackDiscount([s(cash(500)), s(cash(300), false)], 5000)).toEqual({ ok: false, index: 1, reason: 'NOT_STACKABLE' })
    expect(stackDiscount([s({ type: 'gift', giftName: '蛋糕' }), s(cash(300))], 5000)).toEqual({ ok: false, index: 0, reason: 'NOT_MONEY' })
    expect(stackDiscount([s(cash(300)), s(off(2000, 10000))], 9999)).toEqual({ ok: false, index: 1, reason: 'THRESHOLD', thresholdFen: 10000 })
    expect(stackDiscount([s(cash(4000)), s(cash(500))], 4500)).toMatchObject({ ok: false, reason: 'EXCEEDS' })
    // ¥1.00 less ¥0.99 leaves ¥0.01: 9折 of it rounds to nothing.
    expect(stackDiscount([s(cash(99)), s(rate(90, 100))], 100)).toEqual({ ok: false, index: 1, reason: 'EXCEEDS' })
    expect(stackDiscount([s(cash(1)), s(cash(1))], 0)).toMatchObject({ ok: false, reason: 'EXCEEDS' })
    expect(stackDiscount(Array.from({ length: MAX_COUPONS_PER_ORDER + 1 }, () => s(cash(1))), 10000)).toEqual({ ok: false, index: -1, reason: 'TOO_MANY' })
  })
})

describe('the coupon lock and the payable window', () => {
  it('the lock outlasts the payable window plus two runs of the reconciliation timer', () => {
    expect(CLOSE_AFTER_MS).toBe(ORDER_PAYABLE_MS)
    expect(ORDER_COUPON_LOCK_MS).toBeGreaterThanOrEqual(ORDER_PAYABLE_MS + 2 * JOB_QUERY_AFTER_MS)
  })
})
