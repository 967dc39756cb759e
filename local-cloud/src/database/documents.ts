import { randomUUID } from 'crypto'
import { EJSON } from 'bson'
import { isPlainObject, type Doc, type EjsonValue } from './ejson'
import { textOf } from '../text'

/** The cloud's ids are 32 hex characters (docs/cloud-protocol.md §2.2). */
export function generateId(): string {
  // randomUUID draws from a cached entropy pool: much cheaper than randomBytes per id.
  return randomUUID().replace(/-/g, '')
}

/**
 * A string that identifies a value for hashing (ids, index keys). Types are prefixed so the
 * string "1" and the number 1 stay distinct, as they are in MongoDB.
 */
export function valueKey(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return 's:' + v
    case 'number':
      return 'n:' + String(v)
    case 'boolean':
      return v ? 'b:1' : 'b:0'
    case 'undefined':
      return 'u'
    default:
      break
  }
  if (v === null) return 'z'
  if (v instanceof Date) return 'd:' + String(v.getTime())
  try {
    return 'o:' + EJSON.stringify(v as EjsonValue, { relaxed: false })
  } catch {
    return 'o:' + textOf(v)
  }
}

/** The hash key of a document id. */
export const idKey = valueKey

/** True for values an equality index can look up directly (others fall back to a scan). */
export function isIndexableScalar(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || v instanceof Date
}

/**
 * Reads a dot path. `crossedArray` is true when an array sits on the way, where MongoDB would
 * fan out over the elements; indexes then treat the document as "not hashable" for that path.
 */
export function readPath(doc: Doc, path: string): { value: unknown; crossedArray: boolean } {
  const parts = path.split('.')
  let cur: unknown = doc
  for (let i = 0; i < parts.length; i++) {
    if (cur === null || cur === undefined) return { value: undefined, crossedArray: false }
    if (Array.isArray(cur)) return { value: undefined, crossedArray: true }
    if (typeof cur !== 'object') return { value: undefined, crossedArray: false }
    cur = (cur as Doc)[parts[i]]
  }
  return { value: cur, crossedArray: false }
}

/**
 * Deep copy of plain objects, arrays and Dates. mingo's updater mutates nested values in place,
 * so every update works on a copy and the stored document is only swapped in once all succeed.
 * Other objects (RegExp, bson values) are immutable in practice and shared.
 */
export function deepClone<T>(value: T): T
export function deepClone(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v: unknown) => deepClone(v))
  if (value instanceof Date) return new Date(value.getTime())
  if (!isPlainObject(value)) return value
  const out: Doc = {}
  for (const key of Object.keys(value)) out[key] = deepClone(value[key])
  return out
}

/** Structural equality used to tell a no-op update (MongoDB's nModified 0) from a real one. */
export function sameDocument(a: Doc, b: Doc): boolean {
  return EJSON.stringify(a, { relaxed: false }) === EJSON.stringify(b, { relaxed: false })
}
