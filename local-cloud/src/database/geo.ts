import type { Collection } from './collection-store'
import { readPath } from './documents'
import { isPlainObject, type Doc } from './ejson'
import { invalidOperator, invalidParam } from './errors'

/**
 * Geo queries as the cloud documents them (db.Geo.*, _.geoNear / geoWithin / geoIntersects and
 * the geoNear aggregation stage; every one "需对查询字段建立地理位置索引"). mingo has no geo
 * operators, so they are added here. The SDK sends GeoJSON (`{type:'Point', coordinates:[lng,
 * lat]}`) and turns `_.geoNear` into `$nearSphere` with `$geometry`, `$maxDistance`,
 * `$minDistance` in metres.
 *
 * Distances are great-circle distances on a sphere of radius 6378.1 km (the radius the cloud's
 * docs give for converting centerSphere radii). Polygon edges are straight lines in lng/lat
 * (MongoDB's 2dsphere uses geodesic edges; for store-locator sized polygons the difference is
 * far below GPS precision).
 */

export const EARTH_RADIUS_M = 6_378_100

type Position = [number, number]

interface Geometry {
  type: string
  coordinates: unknown
}

function isPosition(v: unknown): v is Position {
  return Array.isArray(v) && v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number' && Number.isFinite(v[0]) && Number.isFinite(v[1])
}

function asGeometry(v: unknown): Geometry | null {
  if (!isPlainObject(v) || typeof v.type !== 'string' || !Array.isArray(v.coordinates)) return null
  return { type: v.type, coordinates: v.coordinates }
}

function requirePoint(v: unknown, what: string): Position {
  const g = asGeometry(v)
  if (!g || g.type !== 'Point' || !isPosition(g.coordinates)) throw invalidParam(`${what} must be a GeoJSON Point`)
  return g.coordinates
}

/** Great-circle distance in metres (haversine). */
export function distanceMetres(a: Position, b: Position): number {
  const rad = Math.PI / 180
  const dLat = (b[1] - a[1]) * rad
  const dLng = (b[0] - a[0]) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Even-odd ray casting; a point on an edge counts as inside (MongoDB includes the boundary). */
function inRing(p: Position, ring: Position[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]
    const [xj, yj] = ring[j]
    const cross = (p[0] - xi) * (yj - yi) - (p[1] - yi) * (xj - xi)
    if (cross === 0 && p[0] >= Math.min(xi, xj) && p[0] <= Math.max(xi, xj) && p[1] >= Math.min(yi, yj) && p[1] <= Math.max(yi, yj)) return true
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

function rings(coords: unknown, what: string): Position[][] {
  if (!Array.isArray(coords) || coords.length === 0) throw invalidParam(`${what} needs at least one ring`)
  return coords.map((ring: unknown) => {
    if (!Array.isArray(ring) || ring.length < 4 || !ring.every(isPosition)) throw invalidParam(`${what}: each ring needs at least 4 positions`)
    const first = ring[0]
    const last = ring[ring.length - 1]
    if (first[0] !== last[0] || first[1] !== last[1]) throw invalidParam(`${what}: a ring must be closed (first position = last position)`)
    return ring
  })
}

/** Polygons of a Polygon / MultiPolygon as lists of rings (first = outer, others = holes). */
function polygonsOf(g: Geometry, what: string): Position[][][] {
  if (g.type === 'Polygon') return [rings(g.coordinates, what)]
  if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) return g.coordinates.map((c: unknown) => rings(c, what))
  throw invalidParam(`${what} must be a Polygon or MultiPolygon`)
}

function inPolygons(p: Position, polygons: Position[][][]): boolean {
  return polygons.some(([outer, ...holes]) => inRing(p, outer) && !holes.some((h) => inRing(p, h)))
}

/** Every position of a stored geometry (to test "within" for lines and polygons). */
function positionsOf(g: Geometry): Position[] {
  const out: Position[] = []
  const walk = (c: unknown): void => {
    if (isPosition(c)) out.push(c)
    else if (Array.isArray(c)) c.forEach(walk)
  }
  walk(g.coordinates)
  return out
}

function storedGeometry(doc: Doc, field: string): Geometry | null {
  return asGeometry(readPath(doc, field).value)
}

// ---- query operators --------------------------------------------------------------------------

type Predicate = (doc: Doc) => boolean

/** `{$nearSphere|$near: {$geometry: Point, $maxDistance?, $minDistance?}}`: distance filter (sorting is done by the caller). */
function nearOperator(field: string, value: unknown): Predicate {
  const spec = nearSpec(value)
  return (doc) => {
    const g = storedGeometry(doc, field)
    if (!g || g.type !== 'Point' || !isPosition(g.coordinates)) return false
    const d = distanceMetres(spec.point, g.coordinates)
    return d >= spec.min && d <= spec.max
  }
}

interface NearSpec {
  point: Position
  min: number
  max: number
}

function nearSpec(value: unknown): NearSpec {
  if (!isPlainObject(value)) throw invalidParam('$nearSphere needs {$geometry, $maxDistance?, $minDistance?}')
  const num = (v: unknown, what: string, dflt: number): number => {
    if (v === undefined || v === null) return dflt
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalidParam(`${what} must be a non-negative number (metres)`)
    return v
  }
  return {
    point: requirePoint(value.$geometry, '$nearSphere.$geometry'),
    max: num(value.$maxDistance, '$maxDistance', Infinity),
    min: num(value.$minDistance, '$minDistance', 0),
  }
}

function withinOperator(field: string, value: unknown): Predicate {
  if (!isPlainObject(value)) throw invalidParam('$geoWithin needs $geometry or $centerSphere')
  let inside: (p: Position) => boolean
  if (value.$centerSphere !== undefined) {
    const cs = value.$centerSphere
    if (!Array.isArray(cs) || cs.length !== 2 || !isPosition(cs[0]) || typeof cs[1] !== 'number' || cs[1] < 0) {
      throw invalidParam('$centerSphere must be [[lng, lat], radiusInRadians]')
    }
    const centre = cs[0]
    const radius = cs[1] * EARTH_RADIUS_M
    inside = (p) => distanceMetres(centre, p) <= radius
  } else {
    const g = asGeometry(value.$geometry)
    if (!g) throw invalidParam('$geoWithin.$geometry must be GeoJSON')
    const polygons = polygonsOf(g, '$geoWithin.$geometry')
    inside = (p) => inPolygons(p, polygons)
  }
  return (doc) => {
    const g = storedGeometry(doc, field)
    if (!g) return false
    const points = positionsOf(g)
    return points.length > 0 && points.every(inside)
  }
}

/** Points against points and polygons (lines are not supported locally: they fail loudly). */
function intersectsOperator(field: string, value: unknown): Predicate {
  if (!isPlainObject(value)) throw invalidParam('$geoIntersects needs $geometry')
  const q = asGeometry(value.$geometry)
  if (!q) throw invalidParam('$geoIntersects.$geometry must be GeoJSON')
  const unsupported = (t: string): never => {
    throw invalidOperator(`本地云的 geoIntersects 只支持点与点、点与多边形，不支持 ${t}`)
  }
  const queryPolygons = q.type === 'Polygon' || q.type === 'MultiPolygon' ? polygonsOf(q, '$geoIntersects.$geometry') : null
  const queryPoints: Position[] = q.type === 'Point' || q.type === 'MultiPoint' ? positionsOf(q) : []
  if (!queryPolygons && queryPoints.length === 0) unsupported(q.type)
  return (doc) => {
    const g = storedGeometry(doc, field)
    if (!g) return false
    if (g.type === 'Point' || g.type === 'MultiPoint') {
      const pts = positionsOf(g)
      if (queryPolygons) return pts.some((p) => inPolygons(p, queryPolygons))
      return pts.some((p) => queryPoints.some((qp) => qp[0] === p[0] && qp[1] === p[1]))
    }
    if ((g.type === 'Polygon' || g.type === 'MultiPolygon') && !queryPolygons) {
      const polys = polygonsOf(g, 'stored polygon')
      return queryPoints.some((p) => inPolygons(p, polys))
    }
    return unsupported(`${g.type} 与 ${q.type}`)
  }
}

type QueryOp = (selector: string, value: unknown, options: unknown) => Predicate

export const GEO_QUERY_OPS: Record<string, QueryOp> = {
  $nearSphere: (field, value) => nearOperator(field, value),
  $near: (field, value) => nearOperator(field, value),
  $geoWithin: (field, value) => withinOperator(field, value),
  $geoIntersects: (field, value) => intersectsOperator(field, value),
}

// ---- index requirement and near sorting -------------------------------------------------------

const GEO_OPS = new Set(Object.keys(GEO_QUERY_OPS))

/** The geo conditions of a query: [field, operator, argument], also inside $and/$or/$nor. */
export function geoConditions(query: Doc): Array<{ field: string; op: string; arg: unknown }> {
  const out: Array<{ field: string; op: string; arg: unknown }> = []
  const visit = (q: Doc): void => {
    for (const [key, v] of Object.entries(q)) {
      if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(v)) {
        for (const sub of v) if (isPlainObject(sub)) visit(sub)
        continue
      }
      if (key.startsWith('$') || !isPlainObject(v)) continue
      for (const op of Object.keys(v)) if (GEO_OPS.has(op)) out.push({ field: key, op, arg: v[op] })
    }
  }
  visit(query)
  return out
}

function missingIndex(collection: string, field: string, what: string): Error {
  return invalidOperator(`${what} 需对查询字段建立地理位置索引：集合 ${collection} 的字段 ${field} 没有地理位置索引（2dsphere）`)
}

/**
 * Checks the geo index requirement and answers the `$nearSphere` condition, if any (its results
 * come nearest first, as on the cloud).
 */
export function checkGeoQuery(coll: Collection, query: Doc): { field: string; spec: NearSpec } | null {
  let near: { field: string; spec: NearSpec } | null = null
  for (const c of geoConditions(query)) {
    if (!coll.indexes.hasGeoIndex(c.field)) throw missingIndex(coll.name, c.field, c.op === '$geoWithin' ? 'geoWithin' : c.op === '$geoIntersects' ? 'geoIntersects' : 'geoNear')
    if (c.op === '$nearSphere' || c.op === '$near') {
      if (near) throw invalidOperator('一个查询只能有一个 geoNear 条件')
      if (!Object.prototype.hasOwnProperty.call(query, c.field)) throw invalidOperator('geoNear 不能放在 and / or 里')
      near = { field: c.field, spec: nearSpec(c.arg) }
    }
  }
  return near
}

/** Sorts matched documents nearest first (stable for equal distances). */
export function sortByDistance(docs: Doc[], field: string, from: Position): Doc[] {
  return docs
    .map((doc, i) => {
      const g = storedGeometry(doc, field)
      const d = g && isPosition(g.coordinates) ? distanceMetres(from, g.coordinates) : Infinity
      return { doc, d, i }
    })
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.doc)
}

// ---- the geoNear aggregation stage ------------------------------------------------------------

export interface GeoNearStage {
  near: Position
  distanceField: string
  key: string
  min: number
  max: number
  multiplier: number
  query: Doc
  includeLocs?: string
}

/** Validates `$geoNear` (first stage only, a geo index on `key` or exactly one geo index). */
export function parseGeoNearStage(coll: Collection, value: unknown, position: number): GeoNearStage {
  if (position !== 0) throw invalidOperator('geoNear 只能是聚合的第一个阶段')
  if (!isPlainObject(value)) throw invalidParam('geoNear needs an object')
  if (typeof value.distanceField !== 'string' || value.distanceField === '') throw invalidParam('geoNear 需要 distanceField')
  const near = requirePoint(value.near, 'geoNear.near')
  let key: string
  if (value.key !== undefined) {
    if (typeof value.key !== 'string') throw invalidParam('geoNear.key must be a field name')
    key = value.key
    if (!coll.indexes.hasGeoIndex(key)) throw missingIndex(coll.name, key, 'geoNear')
  } else {
    const fields = coll.indexes.geoFields()
    if (fields.length === 0) throw missingIndex(coll.name, '(未指定 key)', 'geoNear')
    if (fields.length > 1) throw invalidOperator(`集合 ${coll.name} 有多个地理位置索引，geoNear 需要指定 key`)
    key = fields[0]
  }
  const num = (v: unknown, what: string, dflt: number): number => {
    if (v === undefined || v === null) return dflt
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalidParam(`geoNear.${what} must be a non-negative number`)
    return v
  }
  if (value.query !== undefined && !isPlainObject(value.query)) throw invalidParam('geoNear.query must be an object')
  if (value.includeLocs !== undefined && typeof value.includeLocs !== 'string') throw invalidParam('geoNear.includeLocs must be a field name')
  return {
    near,
    distanceField: value.distanceField,
    key,
    min: num(value.minDistance, 'minDistance', 0),
    max: num(value.maxDistance, 'maxDistance', Infinity),
    multiplier: num(value.distanceMultiplier, 'distanceMultiplier', 1),
    query: (value.query) ?? {},
    includeLocs: value.includeLocs,
  }
}

function setPath(doc: Doc, path: string, v: unknown): void {
  const parts = path.split('.')
  let cur: Doc = doc
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]]
    if (!isPlainObject(next)) cur[parts[i]] = {}
    cur = cur[parts[i]] as Doc
  }
  cur[parts[parts.length - 1]] = v
}

/** Runs the stage over candidate documents (already filtered by `query`): nearest first, with distances. */
export function runGeoNear(stage: GeoNearStage, docs: Doc[]): Doc[] {
  const out: Array<{ doc: Doc; d: number }> = []
  for (const doc of docs) {
    const g = storedGeometry(doc, stage.key)
    if (!g || g.type !== 'Point' || !isPosition(g.coordinates)) continue
    const d = distanceMetres(stage.near, g.coordinates)
    if (d < stage.min || d > stage.max) continue
    const copy: Doc = { ...doc }
    setPath(copy, stage.distanceField, d * stage.multiplier)
    if (stage.includeLocs) setPath(copy, stage.includeLocs, { type: 'Point', coordinates: [...g.coordinates] })
    out.push({ doc: copy, d })
  }
  return out.sort((a, b) => a.d - b.d).map((x) => x.doc)
}
