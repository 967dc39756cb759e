import { randomBytes } from 'crypto'
import type { Doc } from './ejson'
import type { DataStore, WriteOp } from './collection-store'

/**
 * Optimistic transactions (notes §4): writes are buffered in the transaction, reads record the
 * version of every document they saw, and commit succeeds only if none of those versions moved.
 * On a conflict the SDK's runTransaction starts over, so the callback simply runs again.
 */

export interface StagedWrite {
  collection: string
  key: string
  id: unknown
  /** null = deleted in this transaction. */
  doc: Doc | null
  /** Created by this transaction (committed as an insert, so a duplicate _id still fails). */
  insert: boolean
}

interface ReadRecord {
  collection: string
  key: string
  version: number
}

export class Transaction {
  readonly reads = new Map<string, ReadRecord>()
  readonly writes = new Map<string, StagedWrite>()
  expiresAt = 0

  constructor(readonly id: string) {}

  /** Remembers the first version seen; later reads of the same document see our own writes. */
  noteRead(collection: string, key: string, version: number): void {
    const k = collection + '\0' + key
    if (!this.reads.has(k)) this.reads.set(k, { collection, key, version })
  }

  staged(collection: string, key: string): StagedWrite | undefined {
    return this.writes.get(collection + '\0' + key)
  }

  stage(write: StagedWrite): void {
    const k = write.collection + '\0' + write.key
    const earlier = this.writes.get(k)
    // A document created here and then updated is still an insert.
    this.writes.set(k, earlier?.insert && write.doc !== null ? { ...write, insert: true } : write)
  }

  /** The first document whose version changed since this transaction read it, or null. */
  conflict(store: DataStore): ReadRecord | null {
    for (const r of this.reads.values()) if (store.versionOf(r.collection, r.key) !== r.version) return r
    return null
  }

  /** The buffered writes as one store batch. */
  toOps(): WriteOp[] {
    const ops: WriteOp[] = []
    for (const w of this.writes.values()) {
      if (w.doc === null) ops.push({ type: 'delete', collection: w.collection, id: w.id })
      else ops.push({ type: w.insert ? 'insert' : 'put', collection: w.collection, doc: w.doc })
    }
    return ops
  }
}

export class TransactionManager {
  private readonly open = new Map<string, Transaction>()

  constructor(private readonly idleTimeoutMs: number) {}

  get size(): number {
    return this.open.size
  }

  start(now: number): Transaction {
    const t = new Transaction('txn-' + randomBytes(8).toString('hex'))
    t.expiresAt = now + this.idleTimeoutMs
    this.open.set(t.id, t)
    return t
  }

  /** The open transaction with this id; using it keeps it alive. */
  get(id: string, now: number): Transaction | undefined {
    const t = this.open.get(id)
    if (t) t.expiresAt = now + this.idleTimeoutMs
    return t
  }

  end(id: string): void {
    this.open.delete(id)
  }

  /** Drops transactions abandoned for longer than the idle timeout (their writes never apply). */
  sweep(now: number): void {
    for (const [id, t] of this.open) if (t.expiresAt <= now) this.open.delete(id)
  }
}
