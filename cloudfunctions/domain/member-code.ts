import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * The dynamic identity code shown on the member card: digits only (so any barcode scanner reads
 * it), rotating every 60 s and signed by the server, so a screenshot is useless a minute later and
 * a forged one fails.  Layout: memberNo (8) + window (5) + mac (6) = 19 digits.
 */
export const CODE_WINDOW_MS = 60_000
const WINDOW_MOD = 100_000

function mac(secret: string, memberNo: string, window: number): string {
  const digest = createHmac('sha256', secret).update(`${memberNo}:${window}`).digest()
  return String(digest.readUInt32BE(0) % 1_000_000).padStart(6, '0')
}

export function issueMemberCode(secret: string, memberNo: string, nowMs: number): { code: string; expiresAt: number } {
  if (!/^\d{8}$/.test(memberNo)) throw new Error('memberNo must be 8 digits')
  const window = Math.floor(nowMs / CODE_WINDOW_MS)
  const code = `${memberNo}${String(window % WINDOW_MOD).padStart(5, '0')}${mac(secret, memberNo, window)}`
  return { code, expiresAt: (window + 1) * CODE_WINDOW_MS }
}

export type CodeCheck = { ok: true; memberNo: string } | { ok: false; reason: 'MALFORMED' | 'EXPIRED_OR_FORGED' }

/** Accepts the current window and the one before (a code shown just before it rotated). */
export function verifyMemberCode(secret: string, code: string, nowMs: number): CodeCheck {
  if (!/^\d{19}$/.test(code)) return { ok: false, reason: 'MALFORMED' }
  const memberNo = code.slice(0, 8)
  const windowPart = Number(code.slice(8, 13))
  const given = Buffer.from(code.slice(13))
  const now = Math.floor(nowMs / CODE_WINDOW_MS)
  for (const window of [now, now - 1]) {
    if (window % WINDOW_MOD !== windowPart) continue
    if (timingSafeEqual(Buffer.from(mac(secret, memberNo, window)), given)) return { ok: true, memberNo }
  }
  return { ok: false, reason: 'EXPIRED_OR_FORGED' }
}
