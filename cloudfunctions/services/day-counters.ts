import { randomInt } from 'node:crypto'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { list, txGet, withoutId, type Transaction } from './db-util'

/**
 * Per-day counters, moved in the same transaction as the fact they count (a capture, a refund, a
 * verification, a play), so a dashboard reads a few small documents per day instead of the facts,
 * and no timer is needed to keep them. Each scope's day is split over SHARDS documents: two
 * payments of one store then rarely touch the same document, so they seldom conflict (a hot
 * counter would serialise every payment of the day); a reader sums the shards.
 */
export type CounterScope = `store:${string}` | `tp:${string}` | `game:${string}` | `campaign:${string}` | `brand:${string}` | `region:${string}` | `clerk:${string}` | 'all'

export const SHARDS = 8
const CHINA_OFFSET_MS = 8 * 3600_000

/** The China (UTC+8) calendar day of `now`, 'YYYYMMDD'. */
export function chinaDay(now: Date): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '')
}

/** day_counters/<scope>:<YYYYMMDD>:<shard> */
export interface DayCounterDoc {
  _id: string
  scope: CounterScope
  day: string
  shard: number
  /** The counted figures: counts, and sums in fen. */
  n: Record<string, number>
  updatedAt: Date
}

export const counterDocId = (scope: CounterScope, day: string, shard: number): string => `${scope}:${day}:${shard}`

/**
 * Adds `deltas` to each scope's counters of `now`'s day, inside `t`. Zero deltas are dropped;
 * a delta may be negative (a refund), and a counter may then read below zero only if the facts
 * it counts were never counted (the reconciliation reports that).
 */
export async function bumpCounters(t: Transaction, scopes: readonly CounterScope[], now: Date, deltas: Readonly<Record<string, number>>): Promise<void> {
  const moved = Object.entries(deltas).filter(([, v]) => v !== 0)
  if (moved.length === 0) return
  for (const v of moved) if (!Number.isInteger(v[1])) throw new Error(`bumpCounters: ${v[0]}=${v[1]} is not a whole number`)
  const day = chinaDay(now)
  const shard = randomInt(SHARDS)
  for (const scope of new Set(scopes)) {
    const id = counterDocId(scope, day, shard)
    const known = await txGet<DayCounterDoc>(t, COLLECTIONS.dayCounters, id)
    const n = { ...(known?.n ?? {}) }
    for (const [k, v] of moved) n[k] = (n[k] ?? 0) + v
    if (known) await t.collection(COLLECTIONS.dayCounters).doc(id).update({ data: { n, updatedAt: now } })
    else await t.collection(COLLECTIONS.dayCounters).doc(id).set({ data: withoutId<DayCounterDoc>({ _id: id, scope, day, shard, n, updatedAt: now }) })
  }
}

export interface DayFigures {
  day: string
  n: Record<string, number>
}

/** One scope's figures per day from `fromDay` to `toDay` (inclusive, 'YYYYMMDD'), shards summed; days without any are absent. */
export async function readCounters(db: Database, scope: CounterScope, fromDay: string, toDay: string): Promise<DayFigures[]> {
  const _ = db.command
  const rows = await list<DayCounterDoc>(db.collection(COLLECTIONS.dayCounters).where({ scope, day: _.gte(fromDay).and(_.lte(toDay)) }).limit(1000))
  const byDay = new Map<string, Record<string, number>>()
  for (const r of rows) {
    const sum = byDay.get(r.day) ?? {}
    for (const [k, v] of Object.entries(r.n ?? {})) sum[k] = (sum[k] ?? 0) + v
    byDay.set(r.day, sum)
  }
  return [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, n]) => ({ day, n }))
}
