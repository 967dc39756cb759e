import { randomBytes } from 'node:crypto'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { DEFAULT_SETTINGS, type MerchantSettings } from '../domain/merchant-settings'
import { getDoc } from './db-util'
import { MERCHANT_DOC_ID } from './documents'

/** Stored settings completed with the defaults for anything not yet configured. */
export function settingsFrom(doc: Partial<MerchantSettings> | null): MerchantSettings {
  return {
    ...DEFAULT_SETTINGS,
    ...(doc ?? {}),
    card: { ...DEFAULT_SETTINGS.card, ...(doc?.card ?? {}) },
    referral: { ...DEFAULT_SETTINGS.referral, ...(doc?.referral ?? {}) },
    cashier: { ...DEFAULT_SETTINGS.cashier, ...(doc?.cashier ?? {}) },
  }
}

export async function loadSettings(db: Database): Promise<MerchantSettings> {
  return settingsFrom(await getDoc<Partial<MerchantSettings>>(db, COLLECTIONS.merchant, MERCHANT_DOC_ID))
}

let cachedSecret: string | null = null

/**
 * The member-code signing key: created once per deployment, stored server-side only. Two
 * concurrent first uses race on one fixed _id; the loser reads the winner's key.
 */
export async function memberCodeSecret(db: Database): Promise<string> {
  if (cachedSecret) return cachedSecret
  const existing = await getDoc<{ value: string }>(db, COLLECTIONS.secrets, 'memberCode')
  if (existing) return (cachedSecret = existing.value)
  try {
    const value = randomBytes(32).toString('hex')
    await db.collection(COLLECTIONS.secrets).add({ data: { _id: 'memberCode', value } })
    return (cachedSecret = value)
  } catch {
    const winner = await getDoc<{ value: string }>(db, COLLECTIONS.secrets, 'memberCode')
    if (!winner) throw new Error('member code secret unavailable')
    return (cachedSecret = winner.value)
  }
}
