import { z } from 'zod'
import { textField } from '../shared/text-input'
import { MANUAL_TAG_MAX } from '../../miniprogram/shared/text-limits'
import { computeAutoTags, favouriteStore } from './tags'
import type { MerchantSettings } from './merchant-settings'
import { isGroup, SEGMENT_LIMITS, type Cmp, type SegmentCondition, type SegmentGroup } from '../../miniprogram/shared/segment-rules'

/**
 * Segment conditions: their input schema, and their compilation into (1) a cloud-database
 * `where` over member fields — exact where the condition is a member field, a superset
 * (a necessary condition) where it is not — and (2) an exact predicate over a member and the
 * facts loaded for a batch (windowed orders, coupons, game plays). When the whole `where` is
 * exact, the audience is one count(); otherwise members matching the `where` are scanned in
 * batches and the predicate decides (services/segments.ts).
 */

const DAY_MS = 86_400_000
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号格式不正确')
const cmp = z.enum(['gte', 'lte'])
const days = z.number().int().min(1).max(SEGMENT_LIMITS.windowDaysMax)
const count = z.number().int().min(0).max(100_000)
const fen = z.number().int().min(0).max(100_000_000)
const list = <T extends z.ZodTypeAny>(item: T) => z.array(item).min(1).max(SEGMENT_LIMITS.listMax)

const condition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tag'), source: z.enum(['auto', 'manual']), tag: textField({ label: '标签', max: MANUAL_TAG_MAX }), has: z.boolean() }).strict(),
  z.object({ kind: z.literal('tier'), levels: list(z.number().int().min(1).max(20)) }).strict(),
  z.object({ kind: z.literal('recency'), op: cmp, days: z.number().int().min(0).max(SEGMENT_LIMITS.recencyDaysMax) }).strict(),
  z.object({ kind: z.literal('frequency'), windowDays: days, op: cmp, count }).strict(),
  z.object({ kind: z.literal('monetary'), windowDays: days, op: cmp, fen }).strict(),
  z.object({ kind: z.literal('aov'), op: cmp, fen }).strict(),
  z.object({ kind: z.literal('store'), which: z.enum(['first', 'favourite']), storeIds: list(id) }).strict(),
  z.object({ kind: z.literal('touchpoint'), touchpoints: list(z.string().regex(/^[A-Za-z0-9_:.-]{1,64}$/, '渠道格式不正确')) }).strict(),
  z.object({ kind: z.literal('referred'), value: z.boolean() }).strict(),
  z.object({ kind: z.literal('birthdayMonth'), months: list(z.number().int().min(1).max(12)) }).strict(),
  z.object({ kind: z.literal('coupons'), state: z.enum(['held', 'used']), op: cmp, count, templateId: id.optional() }).strict(),
  z.object({ kind: z.literal('gamePlays'), windowDays: days, op: cmp, count }).strict(),
])

type Item = SegmentCondition | SegmentGroup

const group: z.ZodType<SegmentGroup> = z.lazy(() =>
  z
    .object({
      op: z.enum(['and', 'or']),
      items: z.array(z.union([condition, group])).min(1, '请至少添加一个条件').max(SEGMENT_LIMITS.itemsMax, `每组最多 ${SEGMENT_LIMITS.itemsMax} 个条件`),
    })
    .strict(),
) as z.ZodType<SegmentGroup>

function depthOf(g: SegmentGroup): number {
  return 1 + Math.max(0, ...g.items.filter(isGroup).map(depthOf))
}

export function conditionsOf(g: SegmentGroup): SegmentCondition[] {
  return g.items.flatMap((i) => (isGroup(i) ? conditionsOf(i) : [i]))
}

/** A segment's conditions as input: shape, then depth and total size. */
export const segmentRootSchema = group
  .refine((g) => depthOf(g) <= SEGMENT_LIMITS.depthMax, `条件最多嵌套 ${SEGMENT_LIMITS.depthMax} 层`)
  .refine((g) => conditionsOf(g).length <= SEGMENT_LIMITS.conditionsMax, `最多 ${SEGMENT_LIMITS.conditionsMax} 个条件`)

/** The database's command object, as far as compilation needs it. */
export interface Command {
  and(...a: unknown[]): unknown
  or(...a: unknown[]): unknown
  in(v: unknown[]): unknown
  nin(v: unknown[]): unknown
  gte(v: unknown): unknown
  lte(v: unknown): unknown
  gt(v: unknown): unknown
  lt(v: unknown): unknown
  eq(v: unknown): unknown
  neq(v: unknown): unknown
}

/** The member fields conditions read (services/documents.ts MemberDoc has them all). */
export interface SegmentMember {
  _id: string
  openid: string
  tierLevel: number
  totalSpentFen: number
  paidOrderCount: number
  lastVisitAt: Date | string | null
  firstStoreId: string
  sourceTouchpoint: string
  referrerOpenid: string | null
  birthday: string | null
  storeVisits: Record<string, number>
  manualTags: string[]
  createdAt: Date | string
}
type MemberDoc = SegmentMember

/** What the predicate needs besides member fields, loaded per batch. */
export interface FactNeeds {
  /** Window lengths (days) of frequency/monetary conditions: one orders aggregate per window. */
  orderWindows: number[]
  /** Coupon counts: 'held' / 'used', per template ('' = any). */
  coupons: Array<{ state: 'held' | 'used'; templateId: string }>
  playWindows: number[]
  /** Settings-dependent auto tags are recomputed (the stored ones may be a day old). */
  autoTags: boolean
}

export interface MemberFacts {
  orders: Map<number, Map<string, { n: number; fen: number }>>
  coupons: Map<string, Map<string, number>>
  plays: Map<number, Map<string, number>>
}

export const couponFactKey = (state: 'held' | 'used', templateId: string): string => `${state}:${templateId}`

export interface CompiledSegment {
  /** A where over member fields every matching member satisfies ({} = none). */
  where: Record<string, unknown>
  /** The where is exactly the segment (no predicate, no facts needed). */
  exact: boolean
  needs: FactNeeds
  test(m: MemberDoc, facts: MemberFacts): boolean
}

const compare = (op: Cmp, value: number, threshold: number): boolean => (op === 'gte' ? value >= threshold : value <= threshold)

interface Part {
  where: Record<string, unknown> | null
  exact: boolean
  test: (m: MemberDoc, f: MemberFacts) => boolean
}

/** Members' scope for staff below HQ: first or favourite store among `storeIds`. */
export function scopePart(_: Command, storeIds: string[]): Part {
  const set = new Set(storeIds)
  return {
    // Favourite means most visits: a member with none in these stores cannot have one of them as favourite.
    where: storeIds.length === 0 ? { _id: _.in([]) } : _.or([{ firstStoreId: _.in(storeIds) }, ...storeIds.map((s) => ({ [`storeVisits.${s}`]: _.gt(0) }))]) as Record<string, unknown>,
    exact: false,
    test: (m) => set.has(m.firstStoreId) || set.has(favouriteStore(m.storeVisits ?? {}) ?? ''),
  }
}

function conditionPart(c: SegmentCondition, _: Command, now: Date, settings: MerchantSettings): Part {
  const since = (d: number) => new Date(now.getTime() - d * DAY_MS)
  switch (c.kind) {
    case 'tag': {
      if (c.source === 'manual') {
        return { where: { manualTags: c.has ? c.tag : _.nin([c.tag]) }, exact: true, test: (m) => (m.manualTags ?? []).includes(c.tag) === c.has }
      }
      // Auto tags are recomputed from the member's facts today (stored ones may be from yesterday).
      const autoTags = (m: MemberDoc) =>
        computeAutoTags({ joinedAt: new Date(m.createdAt), lastVisitAt: m.lastVisitAt ? new Date(m.lastVisitAt) : null, totalSpentFen: m.totalSpentFen, birthday: m.birthday, referrerOpenid: m.referrerOpenid, storeVisits: m.storeVisits ?? {} }, settings, now)
      return { where: null, exact: false, test: (m) => autoTags(m).includes(c.tag) === c.has }
    }
    case 'tier':
      return { where: { tierLevel: _.in(c.levels) }, exact: true, test: (m) => c.levels.includes(m.tierLevel) }
    case 'recency': {
      const edge = since(c.days)
      const visited = (m: MemberDoc) => (m.lastVisitAt ? new Date(m.lastVisitAt).getTime() : null)
      if (c.op === 'lte') return { where: { lastVisitAt: _.gte(edge) }, exact: true, test: (m) => (visited(m) ?? -Infinity) >= edge.getTime() }
      return { where: _.or([{ lastVisitAt: _.lte(edge) }, { lastVisitAt: _.eq(null) }]) as Record<string, unknown>, exact: true, test: (m) => (visited(m) ?? -Infinity) <= edge.getTime() }
    }
    case 'frequency':
    case 'monetary': {
      const threshold = c.kind === 'frequency' ? c.count : c.fen
      const valueOf = (m: MemberDoc, f: MemberFacts) => {
        const row = f.orders.get(c.windowDays)?.get(m._id)
        return c.kind === 'frequency' ? (row?.n ?? 0) : (row?.fen ?? 0)
      }
      // A paid order in the window moved lastVisitAt into it (capture sets it), so ≥ k > 0 needs a visit since.
      const needsVisit = c.op === 'gte' && threshold > 0
      return { where: needsVisit ? { lastVisitAt: _.gte(since(c.windowDays)) } : null, exact: false, test: (m, f) => compare(c.op, valueOf(m, f), threshold) }
    }
    case 'aov':
      return {
        where: { paidOrderCount: _.gt(0) },
        exact: false,
        test: (m) => m.paidOrderCount > 0 && compare(c.op, m.totalSpentFen / m.paidOrderCount, c.fen),
      }
    case 'store':
      if (c.which === 'first') return { where: { firstStoreId: _.in(c.storeIds) }, exact: true, test: (m) => c.storeIds.includes(m.firstStoreId) }
      return {
        where: _.or(c.storeIds.map((s) => ({ [`storeVisits.${s}`]: _.gt(0) }))) as Record<string, unknown>,
        exact: false,
        test: (m) => c.storeIds.includes(favouriteStore(m.storeVisits ?? {}) ?? ''),
      }
    case 'touchpoint':
      return { where: { sourceTouchpoint: _.in(c.touchpoints) }, exact: true, test: (m) => c.touchpoints.includes(m.sourceTouchpoint) }
    case 'referred':
      return { where: { referrerOpenid: c.value ? _.neq(null) : _.eq(null) }, exact: true, test: (m) => (m.referrerOpenid != null) === c.value }
    case 'birthdayMonth': {
      const prefixes = c.months.map((m) => `${String(m).padStart(2, '0')}-`)
      // 'MM-DD' strings: a month is a range of them (no regular expression needed).
      return {
        where: _.or(prefixes.map((p) => ({ birthday: _.and(_.gte(p), _.lt(`${p}~`)) }))) as Record<string, unknown>,
        exact: true,
        test: (m) => typeof m.birthday === 'string' && prefixes.some((p) => (m.birthday as string).startsWith(p)),
      }
    }
    case 'coupons': {
      const key = couponFactKey(c.state, c.templateId ?? '')
      return { where: null, exact: false, test: (m, f) => compare(c.op, f.coupons.get(key)?.get(m.openid) ?? 0, c.count) }
    }
    case 'gamePlays':
      return { where: null, exact: false, test: (m, f) => compare(c.op, f.plays.get(c.windowDays)?.get(m.openid) ?? 0, c.count) }
  }
}

function groupPart(g: SegmentGroup, _: Command, now: Date, settings: MerchantSettings): Part {
  const parts = g.items.map((i: Item) => (isGroup(i) ? groupPart(i, _, now, settings) : conditionPart(i, _, now, settings)))
  const exact = parts.every((p) => p.exact)
  if (g.op === 'and') {
    const wheres = parts.map((p) => p.where).filter((w): w is Record<string, unknown> => w !== null)
    return {
      where: wheres.length === 0 ? null : wheres.length === 1 ? wheres[0] : (_.and(wheres) as Record<string, unknown>),
      exact,
      test: (m, f) => parts.every((p) => p.test(m, f)),
    }
  }
  // An "or" narrows only if every branch does.
  const all = parts.every((p) => p.where !== null)
  return {
    where: all ? (parts.length === 1 ? parts[0].where : (_.or(parts.map((p) => p.where)) as Record<string, unknown>)) : null,
    exact: all && exact,
    test: (m, f) => parts.some((p) => p.test(m, f)),
  }
}

/**
 * Compiles a segment (and, for staff below HQ, their store scope) for evaluation at `now`.
 * `scopeStoreIds` null = every member.
 */
export function compileSegment(root: SegmentGroup, _: Command, now: Date, settings: MerchantSettings, scopeStoreIds: string[] | null): CompiledSegment {
  const body = groupPart(root, _, now, settings)
  const scope = scopeStoreIds === null ? null : scopePart(_, scopeStoreIds)
  const wheres = [body.where, scope?.where ?? null].filter((w): w is Record<string, unknown> => w !== null)
  const conditions = conditionsOf(root)
  const uniq = <T>(xs: T[]) => [...new Set(xs)]
  const needs: FactNeeds = {
    orderWindows: uniq(conditions.flatMap((c) => (c.kind === 'frequency' || c.kind === 'monetary' ? [c.windowDays] : []))),
    coupons: uniq(conditions.flatMap((c) => (c.kind === 'coupons' ? [couponFactKey(c.state, c.templateId ?? '')] : []))).map((k) => {
      const [state, templateId] = k.split(':') as ['held' | 'used', string]
      return { state, templateId }
    }),
    playWindows: uniq(conditions.flatMap((c) => (c.kind === 'gamePlays' ? [c.windowDays] : []))),
    autoTags: conditions.some((c) => c.kind === 'tag' && c.source === 'auto'),
  }
  return {
    where: wheres.length === 0 ? {} : wheres.length === 1 ? wheres[0] : (_.and(wheres) as Record<string, unknown>),
    exact: body.exact && scope === null,
    needs,
    test: (m, f) => body.test(m, f) && (scope === null || scope.test(m, f)),
  }
}

/** The store ids a segment's conditions name (a manager may name only their own). */
export function storesNamed(root: SegmentGroup): string[] {
  return [...new Set(conditionsOf(root).flatMap((c) => (c.kind === 'store' ? c.storeIds : [])))]
}
