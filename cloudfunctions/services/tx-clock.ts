/**
 * The time a transaction stamps on what it writes. Taken inside the transaction body (so a re-run
 * after a conflict takes it again), never before the caller's clock reading, and after the last
 * write of the documents the body read: a later commit then never carries an earlier time, and
 * a member's ledger sorted by createdAt follows the order in which the balance moved, even when
 * concurrent invocations' clocks differ by a few milliseconds.
 */
export function txTime(requested: Date, ...read: ({ updatedAt?: Date | string | null } | null | undefined)[]): Date {
  let at = Math.max(requested.getTime(), Date.now())
  for (const doc of read) {
    const last = doc?.updatedAt ? new Date(doc.updatedAt).getTime() : NaN
    if (Number.isFinite(last) && last >= at) at = last + 1
  }
  return new Date(at)
}
