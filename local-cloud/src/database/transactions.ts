import { randomBytes } from 'crypto'
import type { Doc } from './ejson'
import type { WriteOp } from './collection-store'

/**
 * Transactions (docs/cloud-protocol.md §4), with the isolation and locking the cloud documents
 * (guide/database/transaction: 快照隔离, 事务锁). Snapshot isolation: every read inside a
 * transaction sees the data as it was when the transaction started (plus its own writes), and a
 * document the transaction only read may change meanwhile without failing its commit. A write
 * buffers the new document and takes a lock on it until the transaction ends; while the lock is
 * held, another transaction's write to that document fails at once, and a write outside any
 * transaction waits for the lock (or fails when the wait times out: the engine re-runs it once
 * the lock is released). A transaction's write to a document that changed after the transaction
 * started fails at once too (first committer wins: the write-write conflict), and the SDK's
 * runTransaction then runs the callback again. So write skew is possible here as on the cloud:
 * two transactions that each read what the other writes both commit.
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

export class Transaction {
  readonly writes = new Map<string, StagedWrite>()
  expiresAt = 0

  constructor(
    readonly id: string,
    /** Who opened it (the invocation's token; '' outside the local function runtime). */
    readonly owner: string,
    /** The store's version sequence when it started: later versions are newer than its snapshot. */
    readonly startSeq: number,
  ) {}

  staged(collection: string, key: string): StagedWrite | undefined {
    return this.writes.get(collection + '\0' + key)
  }

  stage(write: StagedWrite): void {
    const k = write.collection + '\0' + write.key
    const earlier = this.writes.get(k)
    // A document created here and then updated is still an insert.
    this.writes.set(k, earlier?.insert && write.doc !== null ? { ...write, insert: true } : write)
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
  /** collection\0key → id of the open transaction that wrote it. */
  private readonly locks = new Map<string, string>()
  private readonly endListeners: Array<() => void> = []

  constructor(private readonly idleTimeoutMs: number) {}

  get size(): number {
    return this.open.size
  }

  start(now: number, owner = '', startSeq = 0): Transaction {
    const t = new Transaction('txn-' + randomBytes(8).toString('hex'), owner, startSeq)
    t.expiresAt = now + this.idleTimeoutMs
    this.open.set(t.id, t)
    return t
  }

  /** The oldest open transaction's snapshot point (the store must keep states back to it). */
  oldestSnapshot(): number {
    let oldest = Infinity
    for (const t of this.open.values()) oldest = Math.min(oldest, t.startSeq)
    return oldest
  }

  /** Whether `owner` has a transaction open (its batch operations are refused meanwhile). */
  hasOpenFor(owner: string): boolean {
    for (const t of this.open.values()) if (t.owner === owner) return true
    return false
  }

  /** The open transaction holding the lock on a document, if any. */
  lockHolder(collection: string, key: string): Transaction | undefined {
    const id = this.locks.get(collection + '\0' + key)
    return id === undefined ? undefined : this.open.get(id)
  }

  lock(t: Transaction, collection: string, key: string): void {
    this.locks.set(collection + '\0' + key, t.id)
  }

  /** Called whenever a transaction ends (its locks are gone): waiting writes try again. */
  onEnd(listener: () => void): void {
    this.endListeners.push(listener)
  }

  /** The open transaction with this id; using it keeps it alive. */
  get(id: string, now: number): Transaction | undefined {
    const t = this.open.get(id)
    if (t) t.expiresAt = now + this.idleTimeoutMs
    return t
  }

  end(id: string): void {
    const t = this.open.get(id)
    if (!t) return
    this.open.delete(id)
    for (const w of t.writes.values()) {
      const k = w.collection + '\0' + w.key
      if (this.locks.get(k) === id) this.locks.delete(k)
    }
    for (const l of this.endListeners) l()
  }

  /** Drops transactions abandoned for longer than the idle timeout (their writes never apply). */
  sweep(now: number): void {
    for (const [id, t] of [...this.open]) if (t.expiresAt <= now) this.end(id)
  }
}
