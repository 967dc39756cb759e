import { Context, find, Query, update as applyModifier } from 'mingo'
import type { Collection } from './collection-store'
import { isPlainObject, type Doc } from './ejson'
import { deepClone, idKey, isIndexableScalar, readPath } from './documents'
import { invalidOperator } from './errors'
import { GEO_QUERY_OPS } from './geo'
import { LOCAL_PIPELINE_OPS } from './pipeline'

/**
 * Matching, sorting, projecting and updating, all through mingo (MongoDB's language); this
 * module only picks candidates from the hash indexes and wraps mingo's errors.
 */

/** Scripts ($where, $function, $accumulator) are off: request bodies are data, not code. */
type MingoOptions = NonNullable<ConstructorParameters<typeof Query>[1]>
type Modifier = Parameters<typeof applyModifier>[1]

type ContextOps = NonNullable<Parameters<typeof Context.init>[0]>

/** mingo's operators plus the geo query operators and the stages done here (geo.ts, pipeline.ts). */
const LOCAL_CONTEXT = Context.init({
  // mingo types its operator tables with its internal operator signatures, which custom
  // operators written against its documented (field, value, options) shape do not name.
  // eslint-disable-next-line no-restricted-syntax
  query: GEO_QUERY_OPS as unknown as ContextOps['query'],
  // eslint-disable-next-line no-restricted-syntax
  pipeline: LOCAL_PIPELINE_OPS as unknown as ContextOps['pipeline'],
})

export const MINGO_OPTIONS: MingoOptions = { scriptEnabled: false, idKey: '_id', context: LOCAL_CONTEXT }

export type SortSpec = Record<string, 1 | -1>

export interface ShapeOptions {
  order?: SortSpec
  offset?: number
  limit?: number
  projection?: Doc
}

export function compileQuery(query: Doc): Query {
  return new Query(query, MINGO_OPTIONS)
}

/** Top-level equalities `{f: v}`, `{f: {$eq: v}}`, `{f: {$in: [...]}}`, also inside `$and`. */
function equalities(query: Doc, out: Map<string, unknown[]>): void {
  for (const key of Object.keys(query)) {
    const v = query[key]
    if (key === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) equalities(sub, out)
      continue
    }
    if (key.startsWith('$')) continue
    if (isIndexableScalar(v)) out.set(key, [v])
    else if (isPlainObject(v)) {
      const ops = Object.keys(v)
      if (ops.length !== 1) continue
      const arg = v[ops[0]]
      if (ops[0] === '$eq' && isIndexableScalar(arg)) out.set(key, [arg])
      else if (ops[0] === '$in' && Array.isArray(arg) && arg.length > 0 && arg.every(isIndexableScalar)) out.set(key, arg)
    }
  }
}

/**
 * Keys of the documents that can match `query`, from the _id map or the smallest usable hash
 * index; null means "no index applies, scan everything".
 */
export function candidateKeys(coll: Collection, query: Doc): Iterable<string> | null {
  const eq = new Map<string, unknown[]>()
  equalities(query, eq)
  if (eq.size === 0) return null
  const ids = eq.get('_id')
  if (ids) return new Set(ids.map(idKey))
  let best: Set<string> | null = null
  for (const [field, values] of eq) {
    const set = coll.indexes.lookup(field, values)
    if (set && (best === null || set.size < best.size)) best = set
  }
  return best
}

/** Documents of `coll` matching `query`, in natural order (or index order for a candidate set). */
export function matchingDocs(coll: Collection, query: Doc, limit = Infinity): Doc[] {
  const q = compileQuery(query)
  const out: Doc[] = []
  const keys = candidateKeys(coll, query)
  if (keys) {
    for (const k of keys) {
      const doc = coll.docs.get(k)
      if (doc && q.test(doc)) {
        out.push(doc)
        if (out.length >= limit) break
      }
    }
    return out
  }
  for (const doc of coll.docs.values()) {
    if (q.test(doc)) {
      out.push(doc)
      if (out.length >= limit) break
    }
  }
  return out
}

/** orderBy / skip / limit / field, in MongoDB's order (projection last). */
export function shape(docs: Doc[], opts: ShapeOptions): Doc[] {
  const hasOrder = opts.order && Object.keys(opts.order).length > 0
  const hasProjection = opts.projection && Object.keys(opts.projection).length > 0
  if (!hasOrder && !hasProjection) {
    const start = opts.offset ?? 0
    return docs.slice(start, opts.limit === undefined ? undefined : start + opts.limit)
  }
  let cursor = find(docs, {}, hasProjection ? opts.projection : undefined, MINGO_OPTIONS)
  if (hasOrder && opts.order) cursor = cursor.sort(opts.order)
  if (opts.offset) cursor = cursor.skip(opts.offset)
  if (opts.limit !== undefined) cursor = cursor.limit(opts.limit)
  return cursor.all()
}

/** Validates an update-operator document ($set, $inc …) before use. */
export function checkModifier(modifier: Doc): void {
  for (const key of Object.keys(modifier)) {
    if (!key.startsWith('$')) throw invalidOperator(`update field "${key}" is not an update operator`)
    if (!isPlainObject(modifier[key])) throw invalidOperator(`argument of ${key} must be an object`)
  }
}

/**
 * Applies update operators to a copy of `doc`; returns the new document and whether anything
 * changed (MongoDB counts only modified documents in `updated`).
 */
export function updatedCopy(doc: Doc, modifier: Doc, query?: Doc): { doc: Doc; modified: boolean } {
  const copy = deepClone(doc)
  prepareAddToSet(copy, modifier)
  // The positional `items.$.n` needs the query that matched the array element; mingo finds the
  // element from it (only when given a condition, which is why it is passed only then).
  const condition = query && usesPositional(modifier) ? query : undefined
  const changed = applyModifier(copy, modifier as Modifier, undefined, condition, { cloneMode: 'copy', queryOptions: MINGO_OPTIONS })
  if (idKey(copy._id) !== idKey(doc._id)) throw invalidOperator('the _id of a document cannot be changed')
  return { doc: copy, modified: changed.length > 0 }
}

function usesPositional(modifier: Doc): boolean {
  for (const op of Object.values(modifier)) {
    if (isPlainObject(op) && Object.keys(op).some((path) => path.split('.').includes('$'))) return true
  }
  return false
}

/**
 * mingo's $addToSet with $each on a missing field copies duplicates ({$each:[1,1]} → [1,1]);
 * MongoDB creates a set. Start such fields as [] so mingo's set logic applies.
 */
function prepareAddToSet(doc: Doc, modifier: Doc): void {
  const spec = modifier.$addToSet
  if (!isPlainObject(spec)) return
  for (const path of Object.keys(spec)) {
    const { value, crossedArray } = readPath(doc, path)
    if (value !== undefined || crossedArray) continue
    const parts = path.split('.')
    let cur: Doc = doc
    for (let i = 0; i < parts.length - 1; i++) {
      const next = cur[parts[i]]
      if (next === undefined) cur[parts[i]] = {}
      else if (!isPlainObject(next)) return
      cur = cur[parts[i]] as Doc
    }
    cur[parts[parts.length - 1]] = []
  }
}

/** The document an upsert creates from its query's plain equalities (MongoDB does the same). */
export function upsertBase(query: Doc, id: unknown): Doc {
  const base: Doc = { _id: id }
  for (const key of Object.keys(query)) {
    const v = query[key]
    if (key.startsWith('$') || key.includes('.') || key === '_id') continue
    if (isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('$'))) continue
    base[key] = deepClone(v)
  }
  return base
}
