import { randomUUID } from 'crypto'
import { runAction, type ActionContext } from './actions'
import { DataStore, type WriteOp } from './collection-store'
import { DB_ERROR_CODES, DbError, LockWait, lockWaitTimeout, toDbError } from './errors'
import { textOf } from '../text'
import type { IndexSpec } from './indexes'
import { Persistence } from './persistence'
import { TransactionManager } from './transactions'

export type { IndexSpec } from './indexes'

export interface DatabaseEngineOptions {
  dataDir: string
  schema: Record<string, { indexes: IndexSpec[] }>
  reset?: boolean
  /** How long a write outside any transaction waits for a transaction's lock (default 5 s). */
  lockWaitMs?: number
  /**
   * false: open like a new cloud environment, where no collection exists until created
   * (db.createCollection); the schema's indexes still apply to a collection once created,
   * standing for the indexes its console holds. Default true: the schema's collections exist.
   */
  createSchemaCollections?: boolean
}

/**
 * Abandoned transactions (an invocation that timed out mid-transaction) are dropped after this
 * long without a request, releasing their locks. The cloud's docs give no figure; 10 s is the one
 * a comparable serverless database documents (Alibaba EMAS: 事务的有效期为10s) and keeps a
 * stuck lock from failing every later write to the document for long.
 */
const TRANSACTION_IDLE_MS = 10_000
/**
 * The cloud's docs say a plain write to a locked document blocks "直到事务锁释放或者超时" and
 * give no figure; 5 s is below the SDK's 15 s request timeout, so the caller sees the database's
 * answer rather than a network timeout.
 */
const DEFAULT_LOCK_WAIT_MS = 5_000

interface Waiter {
  body: Record<string, unknown>
  resolve: (reply: Record<string, unknown>) => void
  timer: NodeJS.Timeout
}

const WAIT = Symbol('wait')

/**
 * The embedded document database behind the local cloud: answers the `database.*` requests of
 * the unmodified wx-server-sdk (docs/cloud-protocol.md §2-4) from memory, with hash indexes,
 * optimistic transactions and an append-only log in `dataDir`.
 */
export class DatabaseEngine {
  private closed = false
  private readonly sweeper: NodeJS.Timeout
  /** Writes waiting for a transaction lock, in arrival order. */
  private readonly waiters = new Set<Waiter>()
  private retryScheduled = false

  private constructor(
    private readonly store: DataStore,
    private readonly persistence: Persistence,
    private readonly transactions: TransactionManager,
    private readonly lockWaitMs: number,
  ) {
    this.sweeper = setInterval(() => this.sweep(Date.now()), 5_000)
    this.sweeper.unref()
    // Retried after the current request has finished (a commit releases its locks before it
    // applies its writes), never in the middle of it.
    transactions.onEnd(() => this.scheduleRetry())
  }

  static open(opts: DatabaseEngineOptions): Promise<DatabaseEngine> {
    try {
      const { persistence, state } = Persistence.open(opts.dataDir, opts.reset === true)
      const transactions = new TransactionManager(TRANSACTION_IDLE_MS)
      const store = new DataStore(opts.schema, () => transactions.size > 0)
      for (const [name, docs] of state.collections) store.loadDocuments(name, docs)
      // Collections named in the schema exist from the start (unless told otherwise); others only once created.
      if (opts.createSchemaCollections !== false) for (const name of Object.keys(opts.schema)) store.ensureCollection(name)
      const engine = new DatabaseEngine(store, persistence, transactions, opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS)
      if (persistence.shouldCompact()) engine.compact()
      return Promise.resolve(engine)
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(textOf(err)))
    }
  }

  /**
   * Handles one JSON-parsed request body whose `action` starts with `database.` and answers the
   * reply object as the cloud does; errors become `{ requestId, code, message }`. Never throws.
   */
  handle(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const first = this.attempt(body)
    if (first !== WAIT) return Promise.resolve(first)
    return new Promise((resolve) => {
      const waiter: Waiter = {
        body,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter)
          const e = this.lockTimeoutOf(body)
          resolve({ requestId: randomUUID(), code: e.code, message: e.message })
        }, this.lockWaitMs),
      }
      this.waiters.add(waiter)
    })
  }

  /**
   * The same, synchronously: each request runs to completion before the next one starts. A
   * write that would have to wait for a transaction's lock fails at once here.
   */
  handleSync(body: Record<string, unknown>): Record<string, unknown> {
    const reply = this.attempt(body)
    if (reply !== WAIT) return reply
    const e = this.lockTimeoutOf(body)
    return { requestId: randomUUID(), code: e.code, message: e.message }
  }

  private lockTimeoutOf(body: Record<string, unknown>): DbError {
    const coll = typeof body.collectionName === 'string' ? body.collectionName : '?'
    return lockWaitTimeout(coll, typeof body.query === 'string' ? body.query : '(documents)', this.lockWaitMs)
  }

  private scheduleRetry(): void {
    if (this.retryScheduled || this.waiters.size === 0) return
    this.retryScheduled = true
    setImmediate(() => {
      this.retryScheduled = false
      for (const w of [...this.waiters]) {
        const reply = this.attempt(w.body)
        if (reply === WAIT) continue
        this.waiters.delete(w)
        clearTimeout(w.timer)
        w.resolve(reply)
      }
    })
  }

  private attempt(body: Record<string, unknown>): Record<string, unknown> | typeof WAIT {
    const requestId = randomUUID()
    try {
      if (this.closed) throw new DbError(DB_ERROR_CODES.systemError, 'the local database is closed')
      if (body === null || typeof body !== 'object') throw new DbError(DB_ERROR_CODES.invalidParam, '[InvalidParameter] request body must be an object')
      const now = Date.now()
      this.sweep(now)
      const ctx: ActionContext = {
        store: this.store,
        transactions: this.transactions,
        env: typeof body.envName === 'string' && body.envName !== '' ? body.envName : 'local',
        now,
        commit: (ops) => this.commit(ops, ctx.env),
      }
      return { requestId, ...runAction(ctx, body) }
    } catch (err) {
      if (err instanceof LockWait) return WAIT
      const e = toDbError(err)
      return { requestId, code: e.code, message: e.message }
    }
  }

  /** Writes a snapshot (so the next start reads one file) and releases the folder. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.closed = true
    clearInterval(this.sweeper)
    for (const w of this.waiters) {
      clearTimeout(w.timer)
      w.resolve({ requestId: randomUUID(), code: DB_ERROR_CODES.systemError, message: 'the local database is closed' })
    }
    this.waiters.clear()
    try {
      if (this.persistence.hasLog()) this.compact()
    } finally {
      this.persistence.close()
    }
    return Promise.resolve()
  }

  /** For benchmarks: document counts, etc. */
  stats(): { collections: Record<string, number>; openTransactions: number } {
    const collections: Record<string, number> = {}
    for (const name of this.store.names()) collections[name] = this.store.get(name)?.docs.size ?? 0
    return { collections, openTransactions: this.transactions.size }
  }

  private commit(ops: WriteOp[], env: string): void {
    this.store.applyBatch(ops, env, (logged) => this.persistence.append(logged))
    if (this.persistence.shouldCompact()) this.compact()
  }

  private compact(): void {
    const names = this.store.names()
    this.persistence.compact(names.map((n) => [n, this.store.get(n)?.docs.values() ?? []]))
  }

  private sweep(now: number): void {
    this.transactions.sweep(now)
    if (this.transactions.size === 0) this.store.clearTombstones()
    else this.store.pruneHistory(this.transactions.oldestSnapshot())
  }
}
