import type { Doc } from './ejson'
import { readPath, valueKey } from './documents'

export interface IndexSpec {
  name: string
  /**
   * Field paths (dot notation) → 1 ascending / -1 descending, or '2dsphere' for a geo index
   * (what the console calls 地理位置索引). Order is irrelevant to a hash index.
   */
  keys: Record<string, 1 | -1 | '2dsphere'>
  unique?: boolean
}

/**
 * Hash index on one field path (the first field of a declared index): value key → document keys.
 * Array values are indexed under each element, so `{tags: 'x'}` finds `{tags: ['x', 'y']}` as
 * MongoDB's multikey indexes do. Documents whose path crosses an array are kept aside and always
 * returned as candidates, because a hash cannot say whether they match.
 */
class EqualityIndex {
  private readonly byValue = new Map<string, Set<string>>()
  private readonly unhashable = new Set<string>()

  constructor(readonly field: string) {}

  private keysOf(doc: Doc): string[] | null {
    const { value, crossedArray } = readPath(doc, this.field)
    if (crossedArray) return null
    if (Array.isArray(value)) return [...new Set(value.map(valueKey))]
    return [valueKey(value)]
  }

  add(docKey: string, doc: Doc): void {
    const keys = this.keysOf(doc)
    if (keys === null) {
      this.unhashable.add(docKey)
      return
    }
    for (const k of keys) {
      let set = this.byValue.get(k)
      if (!set) this.byValue.set(k, (set = new Set()))
      set.add(docKey)
    }
  }

  remove(docKey: string, doc: Doc): void {
    const keys = this.keysOf(doc)
    if (keys === null) {
      this.unhashable.delete(docKey)
      return
    }
    for (const k of keys) {
      const set = this.byValue.get(k)
      if (!set) continue
      set.delete(docKey)
      if (set.size === 0) this.byValue.delete(k)
    }
  }

  /** Document keys that may hold one of `values` (scalars only). */
  lookup(values: unknown[]): Set<string> {
    if (values.length === 1 && this.unhashable.size === 0) return this.byValue.get(valueKey(values[0])) ?? new Set()
    const out = new Set<string>(this.unhashable)
    for (const v of values) for (const k of this.byValue.get(valueKey(v)) ?? []) out.add(k)
    return out
  }
}

/**
 * A unique constraint over one or more fields, as the cloud's (MongoDB, non-sparse) one: a
 * missing or null field counts as null, so only one document may lack it. The console offers no
 * sparse option, so a unique index on an optional field would reject the second document there;
 * reproducing that here is what makes such a schema mistake fail in tests. Array values are
 * compared as a whole.
 */
class UniqueIndex {
  private readonly owners = new Map<string, string>()
  private readonly fields: string[]

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.keys)
  }

  keyOf(doc: Doc): string {
    const parts: string[] = []
    for (const f of this.fields) {
      const { value } = readPath(doc, f)
      parts.push(value === undefined || value === null ? 'null' : valueKey(value))
    }
    return parts.join('\u0001')
  }

  fieldsOf(doc: Doc): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const f of this.fields) out[f] = readPath(doc, f).value ?? null
    return out
  }

  /** The key of another document that already holds `doc`'s values, if any. */
  conflict(docKey: string, doc: Doc): boolean {
    const owner = this.owners.get(this.keyOf(doc))
    return owner !== undefined && owner !== docKey
  }

  add(docKey: string, doc: Doc): void {
    this.owners.set(this.keyOf(doc), docKey)
  }

  remove(docKey: string, doc: Doc): void {
    const k = this.keyOf(doc)
    if (this.owners.get(k) === docKey) this.owners.delete(k)
  }
}

export interface UniqueViolation {
  indexName: string
  fields: Record<string, unknown>
}

/** All secondary indexes of one collection (the _id index is the collection's own map). */
export class CollectionIndexes {
  private readonly equality = new Map<string, EqualityIndex>()
  private readonly unique: UniqueIndex[] = []
  private readonly geo = new Set<string>()

  constructor(specs: IndexSpec[]) {
    for (const spec of specs) {
      const fields = Object.keys(spec.keys)
      if (fields.length === 0) continue
      for (const f of fields) if (spec.keys[f] === '2dsphere') this.geo.add(f)
      const first = fields[0]
      // A geo field holds GeoJSON objects: a hash of them would never answer a query.
      if (first !== '_id' && spec.keys[first] !== '2dsphere' && !this.equality.has(first)) this.equality.set(first, new EqualityIndex(first))
      if (spec.unique && !(fields.length === 1 && first === '_id')) this.unique.push(new UniqueIndex(spec))
    }
  }

  /** Whether `field` has a geo (2dsphere) index: the cloud's geo queries require one. */
  hasGeoIndex(field: string): boolean {
    return this.geo.has(field)
  }

  geoFields(): string[] {
    return [...this.geo]
  }

  hasEqualityIndex(field: string): boolean {
    return this.equality.has(field)
  }

  lookup(field: string, values: unknown[]): Set<string> | null {
    const index = this.equality.get(field)
    return index ? index.lookup(values) : null
  }

  /** The first unique index `doc` (stored under `docKey`) would violate, or null. */
  checkUnique(docKey: string, doc: Doc): UniqueViolation | null {
    for (const u of this.unique) {
      if (u.conflict(docKey, doc)) return { indexName: u.spec.name, fields: u.fieldsOf(doc) }
    }
    return null
  }

  add(docKey: string, doc: Doc): void {
    for (const index of this.equality.values()) index.add(docKey, doc)
    for (const u of this.unique) u.add(docKey, doc)
  }

  remove(docKey: string, doc: Doc): void {
    for (const index of this.equality.values()) index.remove(docKey, doc)
    for (const u of this.unique) u.remove(docKey, doc)
  }
}
