import { createHash } from 'node:crypto'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { getDoc } from './db-util'

/** The China minute 'YYYYMMDDHHmm' (fixed windows: a burst across a boundary gets at most twice the limit). */
export function chinaMinute(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 12)
}

function isDuplicate(e: unknown): boolean {
  return e instanceof Error && /E11000|duplicate/i.test(e.message)
}

interface SlotDoc {
  key: string
}

/** A claimed attempt: release() it when the attempt succeeded; a failed one keeps its slot for the minute. */
export interface AttemptClaim {
  release(): Promise<void>
}

/**
 * The cloud database has no TTL index (its index API knows ascending, descending and 2dsphere
 * keys only), so slots expire lazily: a slot is only ever read within its own minute (its id
 * names it), and whoever opens a new minute's first slot removes those older than the previous
 * minute. The previous minute is kept: an attempt still running in it must find its slots taken,
 * or a sweep at the boundary would hand them out again. A failed sweep is retried by the next
 * one and never fails the attempt.
 */
export async function sweepSlots(db: Database, now: Date): Promise<number> {
  try {
    const keepFrom = chinaMinute(new Date(now.getTime() - 60_000))
    const res = (await db.collection(COLLECTIONS.attemptSlots).where({ minute: db.command.lt(keepFrom) }).remove()) as { stats?: { removed?: number } }
    return res.stats?.removed ?? 0
  } catch (e) {
    console.error('[attempt-limit] sweep failed', e)
    return 0
  }
}

/**
 * Limits failed member-code / member-number / phone attempts per staff member per minute,
 * without a racing count: an attempt first claims one of `limit` slots, documents with the
 * derived ids <staff>:<minute>:0 … <limit-1>, by adding it (the unique _id decides who gets
 * it). Attempts at the same identifier share a slot (a double-tapped submit is one attempt);
 * a success frees its slot. So however many attempts run at once, at most `limit` distinct
 * identifiers are tried per minute, and those that failed stay counted.
 */
export async function claimAttempt(db: Database, staffOpenid: string, identifier: string, limit: number, now: Date): Promise<AttemptClaim> {
  const minute = chinaMinute(now)
  const key = createHash('sha256').update(identifier).digest('hex').slice(0, 16)
  for (let n = 0; n < limit; n += 1) {
    const id = `${staffOpenid}:${minute}:${n}`
    try {
      await db.collection(COLLECTIONS.attemptSlots).add({ data: { _id: id, key, staffOpenid, minute, createdAt: now } })
      // The first slot of a minute taken: sweep every earlier minute's slots (anyone's).
      if (n === 0) await sweepSlots(db, now)
      return {
        release: async () => {
          await db.collection(COLLECTIONS.attemptSlots).doc(id).remove()
        },
      }
    } catch (e) {
      if (!isDuplicate(e)) throw e
      const held = await getDoc<SlotDoc>(db, COLLECTIONS.attemptSlots, id)
      // The same identifier in flight (or failed) this minute: share its slot, never free it early.
      if (held?.key === key) return { release: async () => undefined }
    }
  }
  throw new AppError('TOO_MANY_ATTEMPTS')
}
