import { capabilitiesOf } from '../../cloudfunctions/domain/capabilities'
import { decide } from '../../cloudfunctions/domain/permissions'
import { issueCouponCode, verifyCouponCode } from '../../cloudfunctions/domain/coupon-code'
import { CODE_WINDOW_MS, issueMemberCode, verifyMemberCode } from '../../cloudfunctions/domain/member-code'
import {
  conditionLabel,
  couponDiscount,
  formatShortCode,
  normalizeCodeInput,
  rateLabel,
  tabOf,
  validityLabel,
  validityProblem,
  validityWindow,
  validUntilLabel,
  valueLabel,
} from '../../miniprogram/shared/coupon-rules'

describe('couponDiscount (integer fen)', () => {
  it('cash: off the amount, refused when worth the whole amount or more', () => {
    expect(couponDiscount({ type: 'cash', valueFen: 500 }, 3000)).toEqual({ ok: true, discountFen: 500, payableFen: 2500 })
    expect(couponDiscount({ type: 'cash', valueFen: 3000 }, 3000)).toEqual({ ok: false, reason: 'EXCEEDS' })
    expect(couponDiscount({ type: 'cash', valueFen: 5000 }, 3000)).toEqual({ ok: false, reason: 'EXCEEDS' })
  })
  it('threshold: at or above the threshold only', () => {
    const v = { type: 'threshold' as const, valueFen: 2000, thresholdFen: 10000 }
    expect(couponDiscount(v, 9999)).toEqual({ ok: false, reason: 'THRESHOLD', thresholdFen: 10000 })
    expect(couponDiscount(v, 10000)).toEqual({ ok: true, discountFen: 2000, payableFen: 8000 })
  })
  it('discount: rounds the discount down and stops at the cap', () => {
    const v = { type: 'discount' as const, ratePercent: 85, capFen: 3000, thresholdFen: 0 }
    // 15% of 3333 = 499.95 → 499 off (the member never pays less than 8.5折 says).
    expect(couponDiscount(v, 3333)).toEqual({ ok: true, discountFen: 499, payableFen: 2834 })
    expect(couponDiscount(v, 100_000)).toEqual({ ok: true, discountFen: 3000, payableFen: 97_000 })
    // Too small to take anything off.
    expect(couponDiscount(v, 5)).toEqual({ ok: false, reason: 'EXCEEDS' })
  })
  it('gift coupons take nothing off a bill; bad amounts are refused', () => {
    expect(couponDiscount({ type: 'gift', giftName: '美式' }, 3000)).toEqual({ ok: false, reason: 'NOT_MONEY' })
    expect(couponDiscount({ type: 'cash', valueFen: 1 }, 0)).toEqual({ ok: false, reason: 'EXCEEDS' })
    expect(couponDiscount({ type: 'cash', valueFen: 1 }, 12.5)).toEqual({ ok: false, reason: 'EXCEEDS' })
  })
})

describe('validity (China days)', () => {
  it('fixed: from the first day’s midnight to the end of the last day, China time', () => {
    const w = validityWindow({ kind: 'fixed', startDate: '2026-12-01', endDate: '2026-12-31' }, new Date())
    expect(w.validFrom.toISOString()).toBe('2026-11-30T16:00:00.000Z')
    expect(w.validUntil.toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(validUntilLabel(w.validUntil.toISOString())).toBe('有效期至 2026-12-31')
  })
  it('relative: N whole days counting the claim day, optionally starting M days later', () => {
    const claimed = new Date('2026-12-01T15:30:00.000Z') // 23:30 China time on 12-01
    expect(validityWindow({ kind: 'relative', days: 1, delayDays: 0 }, claimed)).toEqual({ validFrom: claimed, validUntil: new Date('2026-12-01T16:00:00.000Z') })
    const later = validityWindow({ kind: 'relative', days: 7, delayDays: 1 }, claimed)
    expect([later.validFrom.toISOString(), later.validUntil.toISOString()]).toEqual(['2026-12-01T16:00:00.000Z', '2026-12-08T16:00:00.000Z'])
  })
  it('refuses nonsense ranges', () => {
    const now = new Date('2026-12-01T04:00:00.000Z')
    expect(validityProblem({ kind: 'fixed', startDate: '2026-12-31', endDate: '2026-12-01' }, now)).toMatch(/结束日期不能早于开始日期/)
    expect(validityProblem({ kind: 'fixed', startDate: '2026-11-01', endDate: '2026-11-30' }, now)).toMatch(/结束日期不能早于今天/)
    expect(validityProblem({ kind: 'fixed', startDate: '2026-02-29', endDate: '2026-03-01' }, now)).toMatch(/日期格式/)
    expect(validityProblem({ kind: 'fixed', startDate: '2026-12-01', endDate: '2026-12-01' }, now)).toBeNull()
  })
})

describe('labels', () => {
  it('say what a coupon is worth and needs', () => {
    expect(valueLabel({ type: 'cash', valueFen: 550 })).toBe('¥5.5')
    expect(valueLabel({ type: 'threshold', valueFen: 2000, thresholdFen: 10000 })).toBe('¥20')
    expect(conditionLabel({ type: 'threshold', valueFen: 2000, thresholdFen: 10000 })).toBe('满100可用')
    expect([rateLabel(85), rateLabel(80)]).toEqual(['8.5折', '8折'])
    expect(conditionLabel({ type: 'discount', ratePercent: 85, capFen: 3000, thresholdFen: 5000 })).toBe('满50可用，最高减¥30')
    expect(valueLabel({ type: 'gift', giftName: '中杯美式' })).toBe('中杯美式')
    expect(validityLabel({ kind: 'relative', days: 7, delayDays: 0 })).toBe('领取后 7 天内有效')
    expect(validityLabel({ kind: 'relative', days: 7, delayDays: 1 })).toBe('领取 1 天后生效，7 天内有效')
    expect(formatShortCode('12345678901234')).toBe('1234 5678 9012 34')
    expect(normalizeCodeInput(' 1234 5678-9012 34 ')).toBe('12345678901234')
    expect([tabOf('gifting'), tabOf('given'), tabOf('locked'), tabOf('expired')]).toEqual(['available', 'used', 'available', 'expired'])
  })
})

describe('coupon codes', () => {
  const secret = 'unit-secret'
  it('rotate every minute, accept the previous window, refuse older, forged and foreign codes', () => {
    const now = 1_800_000_000_000
    const { code, shortCode } = issueCouponCode(secret, '1234567890', now)
    expect([code.length, shortCode.length]).toEqual([21, 14])
    expect(verifyCouponCode(secret, code, now)).toEqual({ ok: true, couponNo: '1234567890' })
    expect(verifyCouponCode(secret, shortCode, now + CODE_WINDOW_MS)).toEqual({ ok: true, couponNo: '1234567890' })
    expect(verifyCouponCode(secret, code, now + 2 * CODE_WINDOW_MS)).toEqual({ ok: false, reason: 'EXPIRED_OR_FORGED' })
    expect(verifyCouponCode('other-secret', code, now)).toEqual({ ok: false, reason: 'EXPIRED_OR_FORGED' })
    expect(verifyCouponCode(secret, '123', now)).toEqual({ ok: false, reason: 'MALFORMED' })
    // A member code is never a coupon code (different length, different mac).
    const member = issueMemberCode(secret, '12345678', now).code
    expect(verifyCouponCode(secret, member, now)).toEqual({ ok: false, reason: 'MALFORMED' })
    expect(verifyMemberCode(secret, code, now)).toEqual({ ok: false, reason: 'MALFORMED' })
  })
})

describe('capabilities for the coupon pages', () => {
  it('follow decide(): templates for HQ and managers, the counter for store staff, undo for managers and above', () => {
    const owner = capabilitiesOf({ role: 'owner', storeIds: [] })
    const hq = capabilitiesOf({ role: 'hq', storeIds: [] })
    const manager = capabilitiesOf({ role: 'manager', storeIds: ['S1'] })
    const clerk = capabilitiesOf({ role: 'clerk', storeIds: ['S1'] })
    expect(owner.coupons).toEqual({ templates: true, createForAllStores: true, verify: true, history: true, undo: true })
    expect(hq.coupons).toEqual({ templates: true, createForAllStores: true, verify: false, history: true, undo: true })
    expect(manager.coupons).toEqual({ templates: true, createForAllStores: false, verify: true, history: true, undo: true })
    expect(clerk.coupons).toEqual({ templates: false, createForAllStores: false, verify: true, history: true, undo: false })
    expect(manager.actions['couponTemplates.create']).toEqual(['S1'])
    expect(decide({ role: 'manager', storeIds: ['S1'] }, 'couponTemplates.create').allowed).toBe(false)
  })
})
