import { createHmac } from 'node:crypto'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { getDoc } from './db-util'
import { memberCodeSecret } from './settings'

/**
 * Invite links carry a token, not the member number (which a clerk could type at the cashier):
 * 12 characters of lower-case letters and digits, never all digits, derived from the member's
 * openid with the server's secret so it is stable (one per member) and its first write is an
 * idempotent set — concurrent first shares write the same document. invite_tokens maps it back.
 */
export const INVITE_TOKEN = /^i[a-z2-9]{11}$/
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'

interface InviteTokenDoc {
  openid: string
}

export function deriveInviteToken(secret: string, openid: string): string {
  const digest = createHmac('sha256', secret).update(`invite:${openid}`).digest()
  let token = 'i'
  for (let i = 0; i < 11; i += 1) token += ALPHABET[digest[i] % ALPHABET.length]
  return token
}

/** The member's invite token, stored on first use. */
export async function inviteTokenOf(db: Database, openid: string, now: Date): Promise<string> {
  const token = deriveInviteToken(await memberCodeSecret(db), openid)
  const stored = await getDoc<InviteTokenDoc>(db, COLLECTIONS.inviteTokens, token)
  if (!stored) await db.collection(COLLECTIONS.inviteTokens).doc(token).set({ data: { openid, createdAt: now } })
  return token
}

/** Whose invite a token is (null: not one of ours). */
export async function openidOfInviteToken(db: Database, token: string): Promise<string | null> {
  if (!INVITE_TOKEN.test(token)) return null
  return (await getDoc<InviteTokenDoc>(db, COLLECTIONS.inviteTokens, token))?.openid ?? null
}
