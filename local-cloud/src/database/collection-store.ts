import type { Doc } from './ejson'
import { idKey } from './documents'
import { CollectionIndexes, type IndexSpec } from './indexes'
import { collectionAlreadyExist, collectionNotExist, duplicateKey } from './errors'

/** One collection: documents by id key in insertion ("natural") order, versions, indexes. */
export class Collection {
  readonly docs = new Map<string, Doc>()
  /** Per-document version, bumped by every write; transactions compare it at commit. */
  readonly versions = new Map<string, number>()
  readonly indexes: CollectionIndexes

  constructor(
    readonly name: string,
    specs: IndexSpec[],
  ) {
    this.indexes = new CollectionIndexes(specs)
  }
}

/** A write the store applies; the same shapes go to the log (insert is logged as put). */
export type WriteOp =
  | { type: 'insert'; collection: string; doc: Doc }
  | { type: 'put'; collection: string; doc: Doc }
  | { type: 'delete'; collection: string; id: unknown }
  | { type: 'createCollection'; collection: string }

type Undo = () => void

export interface SchemaSpec {
  [collection: string]: { indexes: IndexSpec[] }
}

/**
 * All collections. Writes arrive as batches and are applied synchronously, so each batch is
 * atomic with respect to every other request (one event loop); if any op fails (duplicate key,
 * missing collection) or the log write fails, the ops already applied are undone and nothing
 * of the batch remains.
 */
export class DataStore {
  private readonly collections = new Map<string, Collection>()
  private versionSeq = 0
  /** Versions of deleted documents, kept only while transactions may be comparing them. */
  private readonly tombstones = new Map<string, number>()
  /**
   * Earlier states of documents written while transactions were open, oldest first: each is
   * what the document was (undefined = missing) until the write numbered `replacedAt`. A
   * transaction reads the state current at its start from here (snapshot reads).
   */
  private readonly history = new Map<string, Array<{ replacedAt: number; doc: Doc | undefined }>>()
  private prunedAt = -1

  constructor(
    private readonly schema: SchemaSpec,
    /** Whether open transactions need deleted documents' versions. */
    private readonly tombstonesNeeded: () => boolean,
  ) {}

  names(): string[] {
    return [...this.collections.keys()]
  }

  get(name: string): Collection | undefined {
    return this.collections.get(name)
  }

  require(name: string): Collection {
    const c = this.collections.get(name)
    if (!c) throw collectionNotExist()
    return c
  }

  /** Creates a collection directly (at open, from the schema or the persisted state). */
  ensureCollection(name: string): Collection {
    let c = this.collections.get(name)
    if (!c) {
      c = new Collection(name, this.schema[name]?.indexes ?? [])
      this.collections.set(name, c)
    }
    return c
  }

  /**
   * Loads persisted documents (keyed by id key) at open. Unique indexes are not re-checked on
   * stored data, and no versions are recorded: version 0 means "as loaded", which is all an
   * optimistic transaction needs to compare against.
   */
  loadDocuments(name: string, docs: Map<string, Doc>): void {
    const c = this.ensureCollection(name)
    for (const [key, doc] of docs) {
      const old = c.docs.get(key)
      if (old) c.indexes.remove(key, old)
      c.docs.set(key, doc)
      c.indexes.add(key, doc)
    }
  }

  /** The latest version handed out: a transaction's snapshot point. */
  get sequence(): number {
    return this.versionSeq
  }

  versionOf(collection: string, key: string): number {
    return this.collections.get(collection)?.versions.get(key) ?? this.tombstones.get(collection + '\0' + key) ?? 0
  }

  clearTombstones(): void {
    this.tombstones.clear()
    this.history.clear()
  }

  /**
   * The document as it was when the store's sequence stood at `seq` (a transaction's snapshot):
   * `{ doc }` (doc undefined = it did not exist then), or null when that state is no longer kept.
   */
  snapshotOf(collection: string, key: string, seq: number): { doc: Doc | undefined } | null {
    if (this.versionOf(collection, key) <= seq) return { doc: this.collections.get(collection)?.docs.get(key) }
    const entry = this.history.get(collection + '\0' + key)?.find((e) => e.replacedAt > seq)
    return entry ? { doc: entry.doc } : null
  }

  /** Forgets states no open transaction can ask for (all replaced at or before the oldest snapshot). */
  pruneHistory(oldestSnapshot: number): void {
    if (oldestSnapshot === this.prunedAt) return
    this.prunedAt = oldestSnapshot
    for (const [k, entries] of this.history) {
      const kept = entries.filter((e) => e.replacedAt > oldestSnapshot)
      if (kept.length === 0) this.history.delete(k)
      else if (kept.length !== entries.length) this.history.set(k, kept)
    }
  }

  /** Remembers the state a write replaces while a transaction may still read it; the undo forgets it. */
  private remember(collection: string, key: string, replacedAt: number, doc: Doc | undefined): Undo {
    const k = collection + '\0' + key
    const entries = this.history.get(k) ?? []
    entries.push({ replacedAt, doc })
    this.history.set(k, entries)
    return () => {
      entries.pop()
      if (entries.length === 0) this.history.delete(k)
    }
  }

  /**
   * Applies `ops` in order, then calls `persist` with the ops to log; all or nothing.
   * Throws the first DbError (E11000, missing collection …) after undoing what was applied.
   */
  applyBatch(ops: WriteOp[], env: string, persist: (ops: WriteOp[]) => void): void {
    const undo: Undo[] = []
    const logged: WriteOp[] = []
    try {
      for (const op of ops) {
        const u = this.applyOne(op, env)
        if (u) {
          undo.push(u)
          logged.push(op.type === 'insert' ? { type: 'put', collection: op.collection, doc: op.doc } : op)
        }
      }
      if (logged.length > 0) persist(logged)
    } catch (err) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]()
      throw err
    }
  }

  private applyOne(op: WriteOp, env: string): Undo | null {
    if (op.type === 'createCollection') {
      if (this.collections.has(op.collection)) throw collectionAlreadyExist(op.collection)
      this.ensureCollection(op.collection)
      return () => this.collections.delete(op.collection)
    }
    const c = this.require(op.collection)
    if (op.type === 'delete') {
      const key = idKey(op.id)
      const old = c.docs.get(key)
      if (!old) return null
      const oldVersion = c.versions.get(key) ?? 0
      c.indexes.remove(key, old)
      c.docs.delete(key)
      c.versions.delete(key)
      const tombKey = op.collection + '\0' + key
      const oldTomb = this.tombstones.get(tombKey)
      let forget: Undo | null = null
      if (this.tombstonesNeeded()) {
        this.tombstones.set(tombKey, ++this.versionSeq)
        forget = this.remember(op.collection, key, this.versionSeq, old)
      }
      return () => {
        forget?.()
        c.docs.set(key, old)
        c.indexes.add(key, old)
        c.versions.set(key, oldVersion)
        if (oldTomb === undefined) this.tombstones.delete(tombKey)
        else this.tombstones.set(tombKey, oldTomb)
      }
    }
    const doc = op.doc
    const key = idKey(doc._id)
    const old = c.docs.get(key)
    if (old && op.type === 'insert') throw duplicateKey(env, c.name, '_id_', { _id: doc._id })
    const violation = c.indexes.checkUnique(key, doc)
    if (violation) throw duplicateKey(env, c.name, violation.indexName, violation.fields)
    const oldVersion = c.versions.get(key)
    if (old) c.indexes.remove(key, old)
    c.docs.set(key, doc)
    c.indexes.add(key, doc)
    c.versions.set(key, ++this.versionSeq)
    const forget = this.tombstonesNeeded() ? this.remember(op.collection, key, this.versionSeq, old) : null
    return () => {
      forget?.()
      c.indexes.remove(key, doc)
      if (old) {
        c.docs.set(key, old)
        c.indexes.add(key, old)
        c.versions.set(key, oldVersion ?? 0)
      } else {
        c.docs.delete(key)
        c.versions.delete(key)
      }
    }
  }
}
