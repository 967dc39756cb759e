import { Aggregator, ProcessingMode } from 'mingo'
import type { Collection, DataStore, WriteOp } from './collection-store'
import { isPlainObject, parseEjson, parseEjsonObject, toReplyString, type Doc } from './ejson'
import { deepClone, generateId, idKey, isIndexableScalar, sameDocument } from './documents'
import { batchInTransaction, DB_ERROR_CODES, DbError, duplicateKey, invalidOperator, invalidParam, LockWait, writeConflict } from './errors'
import { checkGeoQuery, parseGeoNearStage, runGeoNear, sortByDistance } from './geo'
import { rewriteStages } from './pipeline'
import {
  checkModifier,
  compileQuery,
  matchingDocs,
  MINGO_OPTIONS,
  shape,
  type SortSpec,
  updatedCopy,
  upsertBase,
} from './query'
import type { StagedWrite, Transaction, TransactionManager } from './transactions'

/** What the actions need from the engine. */
export interface ActionContext {
  store: DataStore
  transactions: TransactionManager
  /** Applies a batch atomically and durably (throws, leaving nothing applied, on failure). */
  commit(ops: WriteOp[]): void
  env: string
  now: number
}

type Body = Record<string, unknown>
type Reply = Record<string, unknown>

/**
 * get(): the SDK sends limit 100 when none is set and clamps limit(n) to 1000 before sending
 * (docs/cloud-protocol.md §3.4); Collection.limit's docs: 云函数端默认及最大上限为 1000 (older pages say 100).
 * A request above 1000 can only come from another client, and is refused as the maximum.
 */
const DEFAULT_LIMIT = 100
const MAX_LIMIT = 1000
/**
 * aggregate(): the SDK sends no limit. Users report (developers.weixin.qq.com community, e.g.
 * "云函数端Aggregate聚合操作limit默认20条限制") that a pipeline without a limit stage returns 20
 * records on the cloud; the docs say nothing. Without a $limit stage the result is cut to 20.
 */
const AGGREGATE_DEFAULT_LIMIT = 20

// ---- request fields ---------------------------------------------------------------------------

function collectionName(body: Body): string {
  const name = body.collectionName
  if (typeof name !== 'string' || name.length === 0) throw invalidParam('collectionName must be a non-empty string')
  return name
}

/** `query` absent or "" means every document (collection.remove() sends ""). */
function queryOf(body: Body, ctx: ActionContext): Doc {
  const q = body.query
  if (q === undefined || q === null || q === '') return {}
  return parseEjsonObject(q, 'query', ctx.now)
}

function orderOf(body: Body, ctx: ActionContext): SortSpec | undefined {
  if (body.order === undefined || body.order === null || body.order === '') return undefined
  const raw = parseEjson(body.order, 'order', ctx.now)
  const order: SortSpec = {}
  // Older SDKs send [{field, direction}]; current ones an object in orderBy call order.
  if (Array.isArray(raw)) {
    for (const o of raw) {
      if (!isPlainObject(o) || typeof o.field !== 'string') throw invalidParam('order entries need a field')
      order[o.field] = o.direction === 'desc' || o.direction === -1 ? -1 : 1
    }
    return order
  }
  if (!isPlainObject(raw)) throw invalidParam('order must be an object')
  for (const [k, v] of Object.entries(raw)) {
    if (v === 1 || v === 'asc') order[k] = 1
    else if (v === -1 || v === 'desc') order[k] = -1
    else throw invalidParam(`order direction of "${k}" must be 1 or -1`)
  }
  return order
}

function projectionOf(body: Body, ctx: ActionContext): Doc | undefined {
  if (body.projection === undefined || body.projection === null || body.projection === '') return undefined
  return parseEjsonObject(body.projection, 'projection', ctx.now)
}

function nonNegativeInt(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null) return undefined
  const n = typeof v === 'string' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw invalidParam(`${what} must be a non-negative integer`)
  return n
}

function limitOf(body: Body): number {
  const n = nonNegativeInt(body.limit, 'limit')
  if (n === undefined || n === 0) return DEFAULT_LIMIT
  if (n > MAX_LIMIT) throw invalidParam(`limit 不能超过 ${MAX_LIMIT}（云函数端单次查询最多返回 ${MAX_LIMIT} 条）`)
  return n
}

/** Who sent a request: the invocation's token (the local runtime gives each one its own). */
export function clientOf(body: Body): string {
  for (const k of ['wxCloudApiToken', 'tcb_sessionToken']) {
    const v = body[k]
    if (typeof v === 'string' && v !== '') return v
  }
  return ''
}

/**
 * Refuses a batch operation (where().get/update/remove, count, aggregate) in a transaction. A
 * where().get() carries the transaction's id; the others leave the SDK without it (docs/cloud-protocol.md §4.1),
 * so they are recognized by coming from a caller whose transaction is still open.
 */
function refuseBatch(ctx: ActionContext, body: Body, txn: Transaction | undefined, what: string): void {
  if (txn) throw batchInTransaction(what, false)
  if (ctx.transactions.hasOpenFor(clientOf(body))) throw batchInTransaction(what, true)
}

function transactionOf(body: Body, ctx: ActionContext): Transaction | undefined {
  const id = body.transactionId
  if (id === undefined || id === null || id === '') return undefined
  if (typeof id !== 'string') throw invalidParam('transactionId must be a string')
  const t = ctx.transactions.get(id, ctx.now)
  if (!t) throw new DbError(DB_ERROR_CODES.transactionFail, `[ResourceNotFound] transaction ${id} does not exist (committed, aborted or expired)`)
  return t
}

function isDocQuery(body: Body): boolean {
  return body.queryType === 'DOC'
}

// ---- reading through an optional transaction -------------------------------------------------

/**
 * Documents matching `query`: the store's, or, inside a transaction, the transaction's snapshot
 * (the data as it was when it started) overlaid with its own writes. Inside a transaction only
 * doc(id) operations reach here (batch queries are refused there).
 */
function findDocs(ctx: ActionContext, coll: Collection, query: Doc, txn: Transaction | undefined, limit = Infinity): Doc[] {
  if (!txn) return matchingDocs(coll, query, limit)
  const id = query._id
  if (!isIndexableScalar(id)) throw invalidParam('a transaction reads documents by _id only')
  const doc = snapshotDoc(ctx, coll, idKey(id), txn)
  return doc && compileQuery(query).test(doc) && limit > 0 ? [doc] : []
}

/** One document as `txn` sees it: its own write, else the state at its start. */
function snapshotDoc(ctx: ActionContext, coll: Collection, key: string, txn: Transaction): Doc | undefined {
  const mine = txn.staged(coll.name, key)
  if (mine) return mine.doc ?? undefined
  const snap = ctx.store.snapshotOf(coll.name, key, txn.startSeq)
  // Only a transaction older than the kept history (it outlived the sweep) lands here.
  if (!snap) throw new DbError(DB_ERROR_CODES.transactionConflict, `[Conflict] transaction ${txn.id}: its snapshot of ${coll.name}/${key.slice(2)} is no longer available`)
  return snap.doc
}

/**
 * Applies computed writes: now, atomically, or into the transaction's buffer. The whole request
 * is checked against the locks first, so a refused or waiting request changes nothing.
 */
function write(ctx: ActionContext, writes: StagedWrite[], txn: Transaction | undefined): void {
  if (writes.length === 0) return
  if (txn) {
    for (const w of writes) {
      const holder = ctx.transactions.lockHolder(w.collection, w.key)
      if (holder && holder !== txn) throw writeConflict(w.collection, w.id, 'another open transaction has written this document')
      if (txn.staged(w.collection, w.key)) continue
      // Snapshot isolation (first committer wins): the committed document must not be newer
      // than this transaction's start. (Its own writes are buffered, so only others move it.)
      if (ctx.store.versionOf(w.collection, w.key) > txn.startSeq) {
        throw writeConflict(w.collection, w.id, 'the document changed after this transaction started')
      }
    }
    for (const w of writes) {
      txn.stage(w)
      ctx.transactions.lock(txn, w.collection, w.key)
    }
    return
  }
  for (const w of writes) {
    if (ctx.transactions.lockHolder(w.collection, w.key)) throw new LockWait(w.collection, w.id)
  }
  ctx.commit(
    writes.map((w): WriteOp => {
      if (w.doc === null) return { type: 'delete', collection: w.collection, id: w.id }
      return { type: w.insert ? 'insert' : 'put', collection: w.collection, doc: w.doc }
    }),
  )
}

function staged(coll: Collection, doc: Doc, insert: boolean): StagedWrite {
  return { collection: coll.name, key: idKey(doc._id), id: doc._id, doc, insert }
}

// ---- actions ----------------------------------------------------------------------------------

function addCollection(ctx: ActionContext, body: Body): Reply {
  ctx.commit([{ type: 'createCollection', collection: collectionName(body) }])
  return {}
}

function insertDocument(ctx: ActionContext, body: Body): Reply {
  const coll = ctx.store.require(collectionName(body))
  const txn = transactionOf(body, ctx)
  const raw = Array.isArray(body.data) ? body.data : [body.data]
  if (raw.length === 0) throw invalidParam('data must hold at least one document')
  const writes: StagedWrite[] = []
  for (const item of raw) {
    const doc = parseEjsonObject(item, 'data', ctx.now)
    if (doc._id === undefined || doc._id === null) doc._id = generateId()
    else if (!['string', 'number'].includes(typeof doc._id)) throw invalidParam('_id must be a string or a number')
    const w = staged(coll, { _id: doc._id, ...doc }, true)
    if (txn) {
      // Checked now so the caller's add() fails like it would outside a transaction: a document
      // in the snapshot is a duplicate; one created after the snapshot is a write conflict
      // (write() answers it), which makes runTransaction re-run against the current data.
      const exists = snapshotDoc(ctx, coll, w.key, txn) !== undefined
      if (exists || writes.some((x) => x.key === w.key)) throw duplicateKey(ctx.env, coll.name, '_id_', { _id: doc._id })
    }
    writes.push(w)
  }
  write(ctx, writes, txn)
  return { data: { insertedIds: writes.map((w) => w.id) } }
}

function getDocument(ctx: ActionContext, body: Body): Reply {
  const coll = ctx.store.require(collectionName(body))
  const txn = transactionOf(body, ctx)
  if (txn && !isDocQuery(body)) throw batchInTransaction('where().get()', false)
  const query = queryOf(body, ctx)
  const order = orderOf(body, ctx)
  const projection = projectionOf(body, ctx)
  const offset = nonNegativeInt(body.offset, 'offset') ?? 0
  const limit = limitOf(body)
  const near = checkGeoQuery(coll, query)
  // Without a sort, stop scanning once the page is full.
  let docs = findDocs(ctx, coll, query, txn, order || near ? Infinity : offset + limit)
  // geoNear answers nearest first unless the caller orders otherwise.
  if (near && !order) docs = sortByDistance(docs, near.field, near.spec.point)
  const page = shape(docs, { order, offset, limit, projection })
  return { data: { list: page.map(toReplyString) } }
}

function calculateDocument(ctx: ActionContext, body: Body): Reply {
  const coll = ctx.store.require(collectionName(body))
  refuseBatch(ctx, body, transactionOf(body, ctx), 'count()')
  const query = queryOf(body, ctx)
  checkGeoQuery(coll, query)
  const total = Object.keys(query).length === 0 ? coll.docs.size : matchingDocs(coll, query).length
  return { data: { total } }
}

function modifyDocument(ctx: ActionContext, body: Body): Reply {
  const coll = ctx.store.require(collectionName(body))
  const txn = transactionOf(body, ctx)
  if (!isDocQuery(body)) refuseBatch(ctx, body, txn, 'where().update()')
  const query = queryOf(body, ctx)
  checkGeoQuery(coll, query)
  const multi = !isDocQuery(body) && body.multi !== false
  const upsert = body.upsert === true
  const data = parseEjsonObject(body.data, 'data', ctx.now)
  const docs = findDocs(ctx, coll, query, txn, multi ? Infinity : 1)
  const writes: StagedWrite[] = []
  let upsertId: unknown

  if (body.merge === false) {
    // doc().set(): replace everything but _id.
    if (Object.keys(data).some((k) => k.startsWith('$'))) throw invalidOperator('a replacement document cannot contain update operators')
    const { _id: givenId, ...fields } = data
    for (const doc of docs) {
      const next: Doc = { _id: doc._id, ...fields }
      if (!sameDocument(doc, next)) writes.push(staged(coll, next, false))
    }
    if (docs.length === 0 && upsert) {
      upsertId = query._id ?? givenId ?? generateId()
      writes.push(staged(coll, { _id: upsertId, ...fields }, true))
    }
  } else {
    checkModifier(data)
    for (const doc of docs) {
      const { doc: next, modified } = updatedCopy(doc, data, query)
      if (modified) writes.push(staged(coll, next, false))
    }
    if (docs.length === 0 && upsert) {
      upsertId = query._id ?? generateId()
      writes.push(staged(coll, updatedCopy(upsertBase(query, upsertId), data, query).doc, true))
    }
  }
  write(ctx, writes, txn)
  const updated = upsertId === undefined ? writes.length : writes.length - 1
  return { data: upsertId === undefined ? { updated } : { updated, upsert_id: upsertId } }
}

function removeDocument(ctx: ActionContext, body: Body): Reply {
  const coll = ctx.store.require(collectionName(body))
  const txn = transactionOf(body, ctx)
  if (!isDocQuery(body)) refuseBatch(ctx, body, txn, 'where().remove()')
  const query = queryOf(body, ctx)
  checkGeoQuery(coll, query)
  const multi = !isDocQuery(body) && body.multi !== false
  const docs = findDocs(ctx, coll, query, txn, multi ? Infinity : 1)
  write(
    ctx,
    docs.map((d) => ({ collection: coll.name, key: idKey(d._id), id: d._id, doc: null, insert: false })),
    txn,
  )
  return { data: { deleted: docs.length } }
}

function aggregateDocuments(ctx: ActionContext, body: Body): Reply {
  const coll = ctx.store.require(collectionName(body))
  refuseBatch(ctx, body, transactionOf(body, ctx), 'aggregate()')
  if (!Array.isArray(body.stages)) throw invalidParam('stages must be an array')
  const pipeline: Doc[] = body.stages.map((stage: unknown, i: number) => {
    if (!isPlainObject(stage) || typeof stage.stageKey !== 'string' || !stage.stageKey.startsWith('$')) {
      throw invalidParam(`stage ${i} needs a stageKey starting with $`)
    }
    const value = parseEjson(stage.stageValue, `stage ${i} (${stage.stageKey})`, ctx.now)
    if (stage.stageKey === '$geoNear' && i > 0) parseGeoNearStage(coll, value, i) // throws: first stage only
    return { [stage.stageKey]: value }
  })
  const hasLimit = pipeline.some((stage) => Object.prototype.hasOwnProperty.call(stage, '$limit'))
  // A leading $match (or geoNear's query) can use the hash indexes; mingo runs the rest.
  let input: Doc[]
  const first = pipeline[0]
  if (first && first.$geoNear !== undefined) {
    const stage = parseGeoNearStage(coll, first.$geoNear, 0)
    if (checkGeoQuery(coll, stage.query)) throw invalidOperator('geoNear 阶段的 query 里不能再有 geoNear')
    input = runGeoNear(stage, matchingDocs(coll, stage.query))
    pipeline.shift()
  } else if (first && isPlainObject(first.$match)) {
    if (checkGeoQuery(coll, first.$match)) throw invalidOperator('聚合里按距离查询请用 geoNear 阶段，match 里不能用 geoNear')
    input = matchingDocs(coll, first.$match)
    pipeline.shift()
  } else input = [...coll.docs.values()]
  const aggregator = new Aggregator(rewriteStages(pipeline), {
    ...MINGO_OPTIONS,
    // Stages such as $addFields write into documents: work on copies, never on the store.
    processingMode: ProcessingMode.CLONE_INPUT,
    collectionResolver: (name: string) => {
      const other = ctx.store.get(name)
      return other ? [...other.docs.values()].map((d) => deepClone(d)) : []
    },
  })
  const result = aggregator.run(input)
  const list = hasLimit ? result : result.slice(0, AGGREGATE_DEFAULT_LIMIT)
  return { data: { list: list.map(toReplyString) } }
}

function startTransaction(ctx: ActionContext, body: Body): Reply {
  return { transactionId: ctx.transactions.start(ctx.now, clientOf(body), ctx.store.sequence).id }
}

function commitTransaction(ctx: ActionContext, body: Body): Reply {
  const txn = transactionOf(body, ctx)
  if (!txn) throw invalidParam('transactionId is required')
  // Whatever happens below, this transaction is finished (the SDK never aborts after a failed commit).
  ctx.transactions.end(txn.id)
  // Snapshot isolation: conflicts were answered when the writes were made (a locked or newer
  // document); what the transaction only read may have changed, as on the cloud.
  ctx.commit(txn.toOps())
  return {}
}

function abortTransaction(ctx: ActionContext, body: Body): Reply {
  const id = body.transactionId
  if (typeof id !== 'string' || id.length === 0) throw invalidParam('transactionId is required')
  ctx.transactions.end(id) // aborting twice, or after expiry, is harmless
  return {}
}

const ACTIONS = new Map<string, (ctx: ActionContext, body: Body) => Reply>(Object.entries({
  'database.addCollection': addCollection,
  'database.insertDocument': insertDocument,
  'database.getDocument': getDocument,
  'database.calculateDocument': calculateDocument,
  'database.modifyDocument': modifyDocument,
  'database.removeDocument': removeDocument,
  'database.aggregateDocuments': aggregateDocuments,
  'database.startTransaction': startTransaction,
  'database.commitTransaction': commitTransaction,
  'database.abortTransaction': abortTransaction,
}))

/** Runs one `database.*` request; throws DbError (or whatever mingo throws) on failure. */
export function runAction(ctx: ActionContext, body: Body): Reply {
  const action = body.action
  const handler = typeof action === 'string' ? ACTIONS.get(action) : undefined
  if (!handler) throw invalidParam(`unknown action ${typeof action === 'string' ? action : JSON.stringify(action)}`)
  return handler(ctx, body)
}
