/**
 * shared/coupon-labels holds the coupon labels and code helpers the mini program needs at run
 * time (coupon-rules is the server's, 5 KB in the main package if imported). Until coupon-rules
 * re-exports them, both declare them: they must say exactly the same.
 */
import * as rules from '../../miniprogram/shared/coupon-rules'
import * as labels from '../../miniprogram/shared/coupon-labels'

describe('shared/coupon-labels agrees with shared/coupon-rules', () => {
  it('has the same names', () => {
    expect(labels.COUPON_TAB_NAMES).toEqual(rules.COUPON_TAB_NAMES)
    expect(labels.COUPON_TYPE_NAMES).toEqual(rules.COUPON_TYPE_NAMES)
    expect(labels.TEMPLATE_STATUS_NAMES).toEqual(rules.TEMPLATE_STATUS_NAMES)
    expect(Object.keys(labels.COUPON_TYPE_NAMES)).toEqual([...rules.COUPON_TYPES])
  })

  it('formats and reads codes and dates the same way', () => {
    for (const code of ['12345678901234', '123456789012345123456', '1234']) expect(labels.formatShortCode(code)).toBe(rules.formatShortCode(code))
    for (const raw of ['1234 5678 9012 34', '1234-5678-9012-34', ' 12 34 ']) expect(labels.normalizeCodeInput(raw)).toBe(rules.normalizeCodeInput(raw))
    for (const v of [{ type: 'cash', valueFen: 1 }, { type: 'threshold', valueFen: 1, thresholdFen: 9 }, { type: 'discount', ratePercent: 85, capFen: 3, thresholdFen: 5 }, { type: 'gift', giftName: 'x' }] as const) expect(labels.thresholdOf(v)).toBe(rules.thresholdOf(v))
    for (const iso of ['2026-12-01T15:59:59.999Z', '2026-12-01T16:00:00.000Z', '2026-02-28T20:00:00.000Z']) expect(labels.chinaDate(new Date(iso))).toBe(rules.chinaDate(new Date(iso)))
  })
})
