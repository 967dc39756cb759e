import { randomUUID } from 'crypto'
import { runAction, type ActionContext } from './actions'
import { DataStore, type SchemaSpec, type WriteOp } from './collection-store'
import { DB_ERROR_CODES, DbError, toDbError } from './errors'
import type { IndexSpec } from './indexes'
import { Persistence } from './persistence'
import { TransactionManager } from './transactions'

export type { IndexSpec } from './indexes'

export interface DatabaseEngineOptions {
  dataDir: string
  schema: Record<string, { indexes: IndexSpec[] }>
  reset?: boolean
}

/** Abandoned transactions are dropped after this long without a request. */
const TRANSACTION_IDLE_MS = 30_000

/**
 * The embedded document database behind the local cloud: answers the `database.*` requests of
 * the unmodified wx-server-sdk (notes/cloud-protocol.md §2-4) from memory, with hash indexes,
 * optimistic transactions and an append-only log in `dataDir`.
 */
export class DatabaseEngine {
  private closed = false
  private readonly sweeper: NodeJS.Timeout

  private constructor(
    private readonly store: DataStore,
    private readonly persistence: Persistence,
    private readonly transactions: TransactionManager,
  ) {
    this.sweeper = setInterval(() => this.sweep(Date.now()), 5_000)
    this.sweeper.unref()
  }

  static open(opts: DatabaseEngineOptions): Promise<DatabaseEngine> {
    try {
      const { persistence, state } = Persistence.open(opts.dataDir, opts.reset === true)
      const transactions = new TransactionManager(TRANSACTION_IDLE_MS)
      const store = new DataStore(opts.schema as SchemaSpec, () => transactions.size > 0)
      for (const [name, docs] of state.collections) store.loadDocuments(name, docs)
      // Collections named in the schema always exist; others only once created.
      for (const name of Object.keys(opts.schema)) store.ensureCollection(name)
      const engine = new DatabaseEngine(store, persistence, transactions)
      if (persistence.shouldCompact()) engine.compact()
      return Promise.resolve(engine)
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /**
   * Handles one JSON-parsed request body whose `action` starts with `database.` and answers the
   * reply object as the cloud does; errors become `{ requestId, code, message }`. Never throws.
   */
  handle(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return Promise.resolve(this.handleSync(body))
  }

  /** The same, synchronously: each request runs to completion before the next one starts. */
  handleSync(body: Record<string, unknown>): Record<string, unknown> {
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
      const e = toDbError(err)
      return { requestId, code: e.code, message: e.message }
    }
  }

  /** Writes a snapshot (so the next start reads one file) and releases the folder. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.closed = true
    clearInterval(this.sweeper)
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
  }
}
