import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { compileSegment, type CompiledSegment, type MemberFacts } from '../domain/segments'
import type { MerchantSettings } from '../domain/merchant-settings'
import { getDoc, list } from './db-util'
import type { MemberDoc } from './documents'
import { loadPlays } from './segment-plays'
import { DEFAULT_NOTICE_CAP_DAYS, DEFAULT_RFM, type RfmThresholds, type SegmentGroup } from '../../miniprogram/shared/segment-rules'

/**
 * Evaluating a segment over the members collection within the cloud database's limits:
 * - exact where (member-field conditions only, HQ scope): one count() — 1 request, whatever
 *   the number of members;
 * - otherwise members matching the compiled where are read in pages of SCAN_PAGE sorted by
 *   _id (`_id > cursor`, only the fields the predicate needs), and per page one aggregate per
 *   fact kind (orders per window, coupons per state, plays per window), grouped by member, with
 *   a `limit` stage of the page size (the cloud answers 20 groups without one). A full scan of
 *   100,000 members costs 100 gets + 100 aggregates per fact kind (measured in
 *   scripts/bench/segments.ts).
 */

const DAY_MS = 86_400_000
export const SCAN_PAGE = 1000

/** The member fields a predicate may read (projection keeps scan pages small). */
const MEMBER_FIELDS = {
  _id: true, openid: true, memberNo: true, phone: true, nickname: true, tierLevel: true, totalSpentFen: true, paidOrderCount: true, lastVisitAt: true,
  firstStoreId: true, sourceTouchpoint: true, referrerOpenid: true, birthday: true, storeVisits: true, manualTags: true, createdAt: true,
}

export interface MarketingSettings {
  rfm: RfmThresholds
  /** One campaign notice per member per this many days. */
  noticeCapDays: number
}

/** Stored in the merchant collection beside the merchant settings (their own document). */
export const MARKETING_DOC_ID = 'marketing'

export async function loadMarketingSettings(db: Database): Promise<MarketingSettings> {
  const doc = (await getDoc<Partial<MarketingSettings>>(db, COLLECTIONS.merchant, MARKETING_DOC_ID)) ?? {}
  return { rfm: { ...DEFAULT_RFM, ...(doc.rfm ?? {}) }, noticeCapDays: doc.noticeCapDays ?? DEFAULT_NOTICE_CAP_DAYS }
}

/** Counts the requests an evaluation makes, for the answer's cost line and the bench. */
export interface ReadMeter {
  gets: number
  counts: number
  aggregates: number
}

export const newMeter = (): ReadMeter => ({ gets: 0, counts: 0, aggregates: 0 })


/** The facts a page of members needs (each kind one aggregate over the page's ids). */
export async function loadFacts(db: Database, seg: CompiledSegment, page: MemberDoc[], now: Date, meter: ReadMeter): Promise<MemberFacts> {
  const _ = db.command
  const $ = db.command.aggregate
  const facts: MemberFacts = { orders: new Map(), coupons: new Map(), plays: new Map() }
  if (page.length === 0) return facts
  const memberIds = page.map((m) => m._id)
  const openids = page.map((m) => m.openid)
  await Promise.all([
    ...seg.needs.orderWindows.map(async (windowDays) => {
      meter.aggregates += 1
      const res = (await db
        .collection(COLLECTIONS.orders)
        .aggregate()
        .match({ memberId: _.in(memberIds), status: 'paid', paidAt: _.gte(new Date(now.getTime() - windowDays * DAY_MS)) })
        .group({ _id: '$memberId', n: $.sum(1), fen: $.sum('$amountFen') })
        .limit(page.length)
        .end()) as { list: Array<{ _id: string; n: number; fen: number }> }
      facts.orders.set(windowDays, new Map(res.list.map((r) => [r._id, { n: r.n, fen: r.fen }])))
    }),
    ...seg.needs.coupons.map(async ({ state, templateId }) => {
      meter.aggregates += 1
      const match: Record<string, unknown> =
        state === 'held' ? { openid: _.in(openids), status: _.in(['available', 'locked']), validUntil: _.gt(now) } : { openid: _.in(openids), status: 'used' }
      if (templateId) match.templateId = templateId
      const res = (await db.collection(COLLECTIONS.coupons).aggregate().match(match).group({ _id: '$openid', n: $.sum(1) }).limit(page.length).end()) as { list: Array<{ _id: string; n: number }> }
      facts.coupons.set(`${state}:${templateId}`, new Map(res.list.map((r) => [r._id, r.n])))
    }),
    ...seg.needs.playWindows.map(async (windowDays) => {
      meter.aggregates += 1
      facts.plays.set(windowDays, await loadPlays(db, openids, new Date(now.getTime() - windowDays * DAY_MS)))
    }),
  ])
  return facts
}

/** One page of members matching the compiled where, after `afterId`, in _id order. */
export async function memberPage(db: Database, seg: CompiledSegment, afterId: string, size: number, meter: ReadMeter): Promise<MemberDoc[]> {
  const _ = db.command
  const where = afterId ? _.and([seg.where, { _id: _.gt(afterId) }]) : seg.where
  meter.gets += 1
  return list<MemberDoc>(db.collection(COLLECTIONS.members).where(where as Record<string, unknown>).orderBy('_id', 'asc').field(MEMBER_FIELDS).limit(size))
}

/** Members of one page that are in the segment. */
export async function matchingOf(db: Database, seg: CompiledSegment, page: MemberDoc[], now: Date, meter: ReadMeter): Promise<MemberDoc[]> {
  if (seg.exact) return page
  const facts = await loadFacts(db, seg, page, now, meter)
  return page.filter((m) => seg.test(m, facts))
}

export interface AudienceAnswer {
  count: number
  /** The first members in _id order (at most sampleSize). */
  sample: MemberDoc[]
  /** False when the scan ran out of its time budget: `count` is then a lower bound. */
  complete: boolean
  /** Members the scan read (0 for an exact count). */
  scanned: number
  meter: ReadMeter
  exact: boolean
}

/** The audience of a segment: its size and a sample, within `budgetMs`. */
export async function audienceOf(
  db: Database,
  root: SegmentGroup,
  opts: { now: Date; settings: MerchantSettings; scopeStoreIds: string[] | null; sampleSize: number; budgetMs: number },
): Promise<AudienceAnswer> {
  const seg = compileSegment(root, db.command, opts.now, opts.settings, opts.scopeStoreIds)
  const meter = newMeter()
  if (seg.exact) {
    meter.counts += 1
    meter.gets += 1
    const [counted, sample] = await Promise.all([
      db.collection(COLLECTIONS.members).where(seg.where).count() as Promise<{ total: number }>,
      list<MemberDoc>(db.collection(COLLECTIONS.members).where(seg.where).orderBy('_id', 'asc').field(MEMBER_FIELDS).limit(opts.sampleSize)),
    ])
    return { count: counted.total, sample, complete: true, scanned: 0, meter, exact: true }
  }
  const started = Date.now()
  let cursor = ''
  let count = 0
  let scanned = 0
  const sample: MemberDoc[] = []
  for (;;) {
    const page = await memberPage(db, seg, cursor, SCAN_PAGE, meter)
    scanned += page.length
    const hits = await matchingOf(db, seg, page, opts.now, meter)
    count += hits.length
    for (const m of hits) if (sample.length < opts.sampleSize) sample.push(m)
    if (page.length < SCAN_PAGE) return { count, sample, complete: true, scanned, meter, exact: false }
    cursor = page[page.length - 1]._id
    if (Date.now() - started > opts.budgetMs) return { count, sample, complete: false, scanned, meter, exact: false }
  }
}
