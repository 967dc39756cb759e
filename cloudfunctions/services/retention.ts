import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'

/**
 * How long a refused cashier attempt stays on record (shown in the member profile's cashier
 * log, read by the owner when a clerk is suspected): a quarter.
 */
export const CASHIER_ATTEMPT_RETENTION_MS = 90 * 24 * 3_600_000

export const cashierAttemptCutoff = (now: Date): Date => new Date(now.getTime() - CASHIER_ATTEMPT_RETENTION_MS)

/**
 * The cloud database has no TTL index, so expired refusals go lazily: readers ignore lines older
 * than the cutoff, and each new refusal removes the expired ones (index `time` on createdAt, so
 * the usual case — nothing to remove — is one cheap query). A failure is only logged: the next
 * refusal's sweep removes them.
 */
export async function sweepCashierAttempts(db: Database, now: Date): Promise<number> {
  try {
    const res = (await db.collection(COLLECTIONS.cashierAttempts).where({ createdAt: db.command.lt(cashierAttemptCutoff(now)) }).remove()) as { stats?: { removed?: number } }
    return res.stats?.removed ?? 0
  } catch (e) {
    console.error('[retention] cashier attempts sweep failed', e)
    return 0
  }
}
