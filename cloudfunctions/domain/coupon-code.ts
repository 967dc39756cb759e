import { createHmac, randomInt, timingSafeEqual } from 'node:crypto'
import { CODE_WINDOW_MS } from './member-code'

/**
 * A coupon's codes for the clerk, signed and rotating like the member code (domain/member-code.ts),
 * so a screenshot is useless a minute later:
 * - scan code (QR + barcode): couponNo (10) + window (5) + mac (6) = 21 digits;
 * - short code to type: couponNo (10) + mac (4) = 14 digits.
 * Their lengths differ from the member code's 19 digits, so one input field takes all three.
 * The key is the member-code key with a distinct prefix (domain separation: a member code's mac
 * is never a coupon's). A gift's receiver gets a new coupon with a new couponNo, so the sender's
 * codes name a coupon that is no longer usable.
 */
const WINDOW_MOD = 100_000
export const SCAN_CODE_LENGTH = 21
export const SHORT_CODE_LENGTH = 14

function digits(secret: string, message: string, n: number): string {
  const digest = createHmac('sha256', secret).update(message).digest()
  return String(digest.readUInt32BE(0) % 10 ** n).padStart(n, '0')
}

const scanMac = (secret: string, couponNo: string, window: number) => digits(secret, `coupon:${couponNo}:${window}`, 6)
const shortMac = (secret: string, couponNo: string, window: number) => digits(secret, `coupon-short:${couponNo}:${window}`, 4)

export function newCouponNo(): string {
  return String(randomInt(1_000_000_000, 10_000_000_000))
}

export function issueCouponCode(secret: string, couponNo: string, nowMs: number): { code: string; shortCode: string; expiresAt: number } {
  if (!/^\d{10}$/.test(couponNo)) throw new Error('couponNo must be 10 digits')
  const window = Math.floor(nowMs / CODE_WINDOW_MS)
  return {
    code: `${couponNo}${String(window % WINDOW_MOD).padStart(5, '0')}${scanMac(secret, couponNo, window)}`,
    shortCode: `${couponNo}${shortMac(secret, couponNo, window)}`,
    expiresAt: (window + 1) * CODE_WINDOW_MS,
  }
}

export type CouponCodeCheck = { ok: true; couponNo: string } | { ok: false; reason: 'MALFORMED' | 'EXPIRED_OR_FORGED' }

function same(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))
}

/** Checks a scan code or a short code (digits only, spaces already stripped): the current window or the one before. */
export function verifyCouponCode(secret: string, code: string, nowMs: number): CouponCodeCheck {
  const now = Math.floor(nowMs / CODE_WINDOW_MS)
  if (/^\d{21}$/.test(code)) {
    const couponNo = code.slice(0, 10)
    const windowPart = Number(code.slice(10, 15))
    for (const window of [now, now - 1]) {
      if (window % WINDOW_MOD === windowPart && same(scanMac(secret, couponNo, window), code.slice(15))) return { ok: true, couponNo }
    }
    return { ok: false, reason: 'EXPIRED_OR_FORGED' }
  }
  if (/^\d{14}$/.test(code)) {
    const couponNo = code.slice(0, 10)
    for (const window of [now, now - 1]) {
      if (same(shortMac(secret, couponNo, window), code.slice(10))) return { ok: true, couponNo }
    }
    return { ok: false, reason: 'EXPIRED_OR_FORGED' }
  }
  return { ok: false, reason: 'MALFORMED' }
}
