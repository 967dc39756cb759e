import type { TypedTransactions } from 'wx-server-sdk'
import type { Database } from '../shared/cloud'

/** The part of the SDK's (untyped) transaction object we use: doc() operations and add(). */
export interface TxDocument {
  get(): Promise<{ data: unknown }>
  set(options: { data: object }): Promise<unknown>
  update(options: { data: object }): Promise<unknown>
  remove(): Promise<unknown>
}
export interface Transaction {
  collection(name: string): { doc(id: string): TxDocument; add(options: { data: object }): Promise<unknown> }
}

/**
 * Conflicts the SDK retries before giving up: replayed callbacks and one member's concurrent
 * payments all write the same member document, so the SDK's default of 3 gives up too early.
 */
export const TRANSACTION_RETRIES = 10

/**
 * A write that meets another transaction's lock fails at once on the cloud (事务锁: 其他事务的
 * 写入会直接失败), and the SDK does not retry that: the failed operation reaches the caller as
 * errCode -501001 (the SDK's code for the cloud's conflict codes). Such a transaction is
 * started again here, after a short random pause so the holder can commit.
 */
export const WRITE_CONFLICT_ATTEMPTS = 14
/**
 * The pause before attempt n+1: random in [0, min(cap, 10·2^n)) ms (exponential backoff with full
 * jitter), so many transactions racing for one hot document (a prize's or a template's stock, a
 * day counter) spread out instead of colliding again in lockstep; worst case about 4 s in all.
 */
const backoffMs = (attempt: number): number => 5 + Math.random() * Math.min(500, 10 * 2 ** attempt)

function isWriteConflict(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { errCode?: unknown }).errCode === -501001
}

/** runTransaction with a typed body; the body must be safe to re-run (it is re-run on conflict). */
export async function runTransaction<T>(db: Database, body: (t: Transaction) => Promise<T>): Promise<T> {
  const typed: TypedTransactions<Transaction> = db
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await typed.runTransaction(body, TRANSACTION_RETRIES)
    } catch (e) {
      if (attempt >= WRITE_CONFLICT_ATTEMPTS || !isWriteConflict(e)) throw e
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)))
    }
  }
}

/**
 * doc(id).get() inside a transaction throws when the document is missing (throwOnNotFound does
 * not apply there); answer null instead and let real failures through.
 */
export async function txGet<T>(t: Transaction, collection: string, id: string): Promise<T | null> {
  try {
    const res = await t.collection(collection).doc(id).get()
    return (res.data as T | undefined) ?? null
  } catch (e) {
    if (e instanceof Error && /does not exist/.test(e.message)) return null
    throw e
  }
}

export async function getDoc<T>(db: Database, collection: string, id: string): Promise<T | null> {
  const res = (await db.collection(collection).doc(id).get()) as { data?: T | null }
  return res.data ?? null
}

/** Strips _id for set(), which must not carry it. */
export function withoutId<T extends { _id: string }>(doc: T): Omit<T, '_id'> {
  const { _id, ...rest } = doc
  void _id
  return rest
}

/** The SDK's get()/update() types include callback-style unions; these narrow what awaiting answers. */
export async function list<T>(query: { get(): unknown }): Promise<T[]> {
  return ((await query.get()) as { data: T[] }).data
}

export async function updatedCount(pending: unknown): Promise<number> {
  return ((await pending) as { stats: { updated: number } }).stats.updated
}
