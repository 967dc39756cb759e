/**
 * The mini program copies a few coupon labels and helpers instead of importing
 * shared/coupon-rules at run time (its 5 KB would count in the main package). Each copy must
 * say exactly what the shared rule says.
 */
import * as shared from '../../miniprogram/shared/coupon-rules'
import { chinaDate, formatShortCode, normalizeCodeInput, TAB_NAMES } from '../../miniprogram/lib/coupons'
import { STATUS_NAMES, TYPE_NAMES } from '../../miniprogram/admin/pages/coupon-template/view-model'

describe('coupon labels copied into the mini program', () => {
  it('match the shared names', () => {
    expect(TAB_NAMES).toEqual(shared.COUPON_TAB_NAMES)
    expect(TYPE_NAMES).toEqual(shared.COUPON_TYPE_NAMES)
    expect(STATUS_NAMES).toEqual(shared.TEMPLATE_STATUS_NAMES)
    expect(Object.keys(TYPE_NAMES)).toEqual([...shared.COUPON_TYPES])
  })

  it('format and read codes and dates as the shared helpers do', () => {
    for (const code of ['12345678901234', '123456789012345123456', '1234']) expect(formatShortCode(code)).toBe(shared.formatShortCode(code))
    for (const raw of ['1234 5678 9012 34', '1234-5678-9012-34', ' 12 34 ']) expect(normalizeCodeInput(raw)).toBe(shared.normalizeCodeInput(raw))
    for (const iso of ['2026-12-01T15:59:59.999Z', '2026-12-01T16:00:00.000Z', '2026-02-28T20:00:00.000Z']) expect(chinaDate(new Date(iso))).toBe(shared.chinaDate(new Date(iso)))
  })
})
