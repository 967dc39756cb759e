import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { getDoc, txGet, withoutId, type Transaction } from './db-util'

/**
 * Game chances (游戏机会): a balance per member per game, moved only inside a transaction with
 * an event keyed by its cause — a grant (a payment's reward, a check-in, the free daily chance)
 * or a spend (one play) happens once per cause. Never from sharing (WeChat forbids it).
 */
export type ChanceSource = 'reward' | 'checkin' | 'daily' | 'admin'

/** game_chances/<gameId>:<openid> */
export interface GameChanceDoc {
  _id: string
  gameId: string
  openid: string
  balance: number
  updatedAt: Date
}

/** chance_events/<cause>: +count for a grant, -1 for a spend; a revoked grant records what went back. */
export interface ChanceEventDoc {
  _id: string
  gameId: string
  openid: string
  delta: number
  source: ChanceSource | 'play'
  createdAt: Date
  revokedAt: Date | null
  revoked: number
}

export const chanceDocId = (gameId: string, openid: string): string => `${gameId}:${openid}`

async function balanceDoc(t: Transaction, gameId: string, openid: string): Promise<GameChanceDoc | null> {
  return txGet<GameChanceDoc>(t, COLLECTIONS.gameChances, chanceDocId(gameId, openid))
}

async function writeBalance(t: Transaction, gameId: string, openid: string, known: GameChanceDoc | null, balance: number, now: Date): Promise<void> {
  const doc: GameChanceDoc = { _id: chanceDocId(gameId, openid), gameId, openid, balance, updatedAt: now }
  if (known) await t.collection(COLLECTIONS.gameChances).doc(doc._id).update({ data: { balance, updatedAt: now } })
  else await t.collection(COLLECTIONS.gameChances).doc(doc._id).set({ data: withoutId(doc) })
}

export interface GrantChancesRequest {
  gameId: string
  openid: string
  count: number
  cause: string
  source: ChanceSource
  now: Date
}

/** Adds `count` chances for `cause`; false (nothing written) when that cause already granted. */
export async function grantChances(t: Transaction, req: GrantChancesRequest): Promise<boolean> {
  if (!Number.isInteger(req.count) || req.count <= 0) throw new Error(`grantChances: ${req.count} is not a whole, positive number`)
  if (await txGet<ChanceEventDoc>(t, COLLECTIONS.chanceEvents, req.cause)) return false
  const known = await balanceDoc(t, req.gameId, req.openid)
  await writeBalance(t, req.gameId, req.openid, known, (known?.balance ?? 0) + req.count, req.now)
  const event: ChanceEventDoc = { _id: req.cause, gameId: req.gameId, openid: req.openid, delta: req.count, source: req.source, createdAt: req.now, revokedAt: null, revoked: 0 }
  await t.collection(COLLECTIONS.chanceEvents).add({ data: event })
  return true
}

/** Spends one chance for `cause` (a play); false (nothing written) when none is left or the cause already spent one. */
export async function spendChance(t: Transaction, req: { gameId: string; openid: string; cause: string; now: Date }): Promise<boolean> {
  if (await txGet<ChanceEventDoc>(t, COLLECTIONS.chanceEvents, req.cause)) return false
  const known = await balanceDoc(t, req.gameId, req.openid)
  if (!known || known.balance <= 0) return false
  await writeBalance(t, req.gameId, req.openid, known, known.balance - 1, req.now)
  const event: ChanceEventDoc = { _id: req.cause, gameId: req.gameId, openid: req.openid, delta: -1, source: 'play', createdAt: req.now, revokedAt: null, revoked: 0 }
  await t.collection(COLLECTIONS.chanceEvents).add({ data: event })
  return true
}

/**
 * Takes back what the grant for `cause` gave (its order was refunded), as far as the member has
 * not played them: the balance never goes below zero; the played ones are answered for the record.
 */
export async function revokeChances(t: Transaction, cause: string, now: Date): Promise<{ revoked: number; alreadySpent: number }> {
  const event = await txGet<ChanceEventDoc>(t, COLLECTIONS.chanceEvents, cause)
  if (!event || event.delta <= 0 || event.revokedAt) return { revoked: 0, alreadySpent: 0 }
  const known = await balanceDoc(t, event.gameId, event.openid)
  const revoked = Math.min(event.delta, known?.balance ?? 0)
  if (revoked > 0) await writeBalance(t, event.gameId, event.openid, known, (known?.balance ?? 0) - revoked, now)
  await t.collection(COLLECTIONS.chanceEvents).doc(cause).update({ data: { revokedAt: now, revoked } })
  return { revoked, alreadySpent: event.delta - revoked }
}

export async function chanceBalance(db: Database, gameId: string, openid: string): Promise<number> {
  return (await getDoc<GameChanceDoc>(db, COLLECTIONS.gameChances, chanceDocId(gameId, openid)))?.balance ?? 0
}
