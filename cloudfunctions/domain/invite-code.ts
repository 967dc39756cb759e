import { randomInt } from 'node:crypto'

/**
 * Staff invite codes: 8 characters read aloud or typed at a counter, so the alphabet leaves out
 * the look-alikes (0/O, 1/I/L). 31^8 ≈ 8.5 × 10^11 codes; each lives 48 hours and works once.
 */
export const INVITE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const INVITE_CODE_LENGTH = 8
export const INVITE_TTL_MS = 48 * 3_600_000

const CODE_PATTERN = new RegExp(`^[${INVITE_ALPHABET}]{${INVITE_CODE_LENGTH}}$`)

export function newInviteCode(): string {
  let code = ''
  for (let i = 0; i < INVITE_CODE_LENGTH; i += 1) code += INVITE_ALPHABET[randomInt(0, INVITE_ALPHABET.length)]
  return code
}

/** What a person typed → the stored code (spaces and dashes dropped, upper case), or null if it cannot be one. */
export function normalizeInviteCode(raw: string): string | null {
  const code = raw.replace(/[\s-]/g, '').toUpperCase()
  return CODE_PATTERN.test(code) ? code : null
}

export type InviteState = 'VALID' | 'USED' | 'EXPIRED'

export function inviteState(invite: { usedBy: string | null; expiresAt: Date | string }, now: Date): InviteState {
  if (invite.usedBy) return 'USED'
  if (new Date(invite.expiresAt).getTime() < now.getTime()) return 'EXPIRED'
  return 'VALID'
}
