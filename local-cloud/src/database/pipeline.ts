import { Aggregator } from 'mingo'
import { isPlainObject, type Doc } from './ejson'
import { invalidOperator } from './errors'

/**
 * Aggregation stages mingo gets wrong, done here instead.
 *
 * `$bucket` (mingo 7.2.6): a groupBy value equal to an inner boundary lands in the bucket
 * *below* it (50 with boundaries [0, 50, 100] goes to [0, 50)), and empty buckets are output
 * with count 0. The cloud's docs (Aggregate.bucket: 每组分别作为一个记录输出，包含一个以下界为值的
 * _id 字段…；下界包含、上界不包含) and MongoDB's: lower bound inclusive, upper bound exclusive,
 * only buckets holding at least one document. mingo keeps its own `$bucket` ahead of any
 * operator passed in a context, so requests' `$bucket` stages are renamed to this one.
 */
export const LOCAL_BUCKET = '$bucketLowerInclusive'

const BASE_OPTIONS = { scriptEnabled: false, idKey: '_id' }

function cmpBoundary(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime()
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  return NaN
}

function kind(v: unknown): string {
  return v instanceof Date ? 'date' : typeof v
}

interface BucketSpec {
  groupBy: unknown
  boundaries: unknown[]
  default?: unknown
  output?: Doc
}

function parseBucket(expr: unknown): BucketSpec {
  if (!isPlainObject(expr)) throw invalidOperator('bucket 需要一个对象参数')
  const { groupBy, boundaries, output } = expr
  if (groupBy === undefined) throw invalidOperator('bucket 需要 groupBy')
  if (!Array.isArray(boundaries) || boundaries.length < 2) throw invalidOperator('bucket 的 boundaries 至少要有两个值')
  for (let i = 1; i < boundaries.length; i++) {
    const c = cmpBoundary(boundaries[i - 1], boundaries[i])
    if (kind(boundaries[i]) !== kind(boundaries[0]) || !(c < 0)) throw invalidOperator('bucket 的 boundaries 必须同类型且严格递增')
  }
  if (output !== undefined && !isPlainObject(output)) throw invalidOperator('bucket 的 output 必须是对象')
  const spec: BucketSpec = { groupBy, boundaries, output }
  if ('default' in expr) {
    const d: unknown = expr.default
    const lower: unknown = boundaries[0]
    const upper: unknown = boundaries[boundaries.length - 1]
    if (kind(d) === kind(lower) && cmpBoundary(d, lower) >= 0 && cmpBoundary(d, upper) < 0) {
      throw invalidOperator('bucket 的 default 必须在 boundaries 范围之外')
    }
    spec.default = d
  }
  return spec
}

/** The bucket a value falls in: index i for [b[i], b[i+1]), or -1 when outside every one. */
function bucketIndex(boundaries: unknown[], v: unknown): number {
  if (kind(v) !== kind(boundaries[0])) return -1
  for (let i = 0; i < boundaries.length - 1; i++) {
    if (cmpBoundary(v, boundaries[i]) >= 0 && cmpBoundary(v, boundaries[i + 1]) < 0) return i
  }
  return -1
}

/** The part of mingo's lazy iterator a whole-collection stage needs. */
interface LazyIterator {
  transform(f: (docs: unknown[]) => Iterator<unknown>): LazyIterator
}

function localBucket(coll: LazyIterator, expr: unknown): LazyIterator {
  const spec = parseBucket(expr)
  return coll.transform((docs) => bucketize(spec, docs as Doc[])[Symbol.iterator]())
}

function bucketize(spec: BucketSpec, docs: Doc[]): Doc[] {
  // groupBy is an aggregation expression: let mingo evaluate it, one value per document.
  const keys = new Aggregator([{ $project: { _id: 0, k: spec.groupBy } }], BASE_OPTIONS).run<Doc>(docs)
  const groups: Doc[][] = spec.boundaries.slice(0, -1).map(() => [])
  const outside: Doc[] = []
  docs.forEach((doc, i) => {
    const at = bucketIndex(spec.boundaries, keys[i]?.k)
    if (at >= 0) groups[at].push(doc)
    else if ('default' in spec) outside.push(doc)
    else throw invalidOperator('bucket 的 groupBy 值不在任何区间内，且没有指定 default')
  })
  const output = spec.output ?? { count: { $sum: 1 } }
  const summarize = (members: Doc[], id: unknown): Doc => {
    const [row] = new Aggregator([{ $group: { _id: null, ...output } }], BASE_OPTIONS).run<Doc>(members)
    return { ...row, _id: id }
  }
  const out: Doc[] = []
  groups.forEach((members, i) => {
    if (members.length > 0) out.push(summarize(members, spec.boundaries[i]))
  })
  if (outside.length > 0) out.push(summarize(outside, spec.default))
  return out
}

export const LOCAL_PIPELINE_OPS = { [LOCAL_BUCKET]: localBucket }

/** Renames the stages done here so mingo's own are never used for them. */
export function rewriteStages(pipeline: Doc[]): Doc[] {
  return pipeline.map((stage) => {
    if (Object.prototype.hasOwnProperty.call(stage, '$bucket')) return { [LOCAL_BUCKET]: stage.$bucket }
    return stage
  })
}
