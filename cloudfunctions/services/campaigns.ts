import { createHash, randomBytes } from 'node:crypto'
import type { ActionContext } from '../shared/handler'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { compileSegment } from '../domain/segments'
import { getDoc, list, runTransaction, txGet, updatedCount, withoutId } from './db-util'
import type { MemberDoc } from './documents'
import { grantCouponInTx, type CouponGrantDoc } from './coupon-grant'
import { creditsOf, sendReminder } from './reminders'
import { loadSettings } from './settings'
import { loadMarketingSettings, matchingOf, memberPage, newMeter } from './segments'
import { CAMPAIGN_LIMITS, type CampaignSkip, type CampaignStatus, type NoticeSkip, type SegmentGroup } from '../../miniprogram/shared/segment-rules'

/**
 * 定向发券: a campaign issues one coupon template to a segment's members as a resumable job.
 * The job walks the members matching the segment (compiled at the campaign's start, so every
 * invocation sees the same audience rules) in _id order from a cursor kept on the campaign, in
 * batches, within a time budget per invocation; an invocation holds a lease on the campaign so
 * two never walk it at once. Each member's outcome is one document `<campaign>:<openid>` written
 * in the same transaction as the coupon (grantCouponInTx, cause `campaign:<id>:<openid>`), so a
 * crash or timeout anywhere, then a resume from the last saved cursor, issues no coupon twice and
 * misses no one. Progress is counted from the outcome documents, never kept as counters.
 */

const DAY_MS = 86_400_000
/** Members read per page of the walk (each eligible one is one transaction). */
export const CAMPAIGN_BATCH = 100
/** A lease outlives its invocation's budget by this much (a crashed runner's lease lapses after). */
const LEASE_MARGIN_MS = 15_000

export interface CampaignDoc {
  _id: string
  name: string
  segmentId: string | null
  segmentName: string
  /** The conditions as they were when the campaign was created (a later edit of the segment does not change it). */
  root: SegmentGroup
  /** The creator's stores (null = every member). */
  scopeStoreIds: string[] | null
  templateId: string
  templateTitle: string
  notify: boolean
  holdoutPercent: number
  status: CampaignStatus
  startAt: Date
  startedAt: Date | null
  finishedAt: Date | null
  /** The last member _id the walk finished ('' = not started). */
  cursor: string
  leaseToken: string
  leaseUntil: Date
  createdBy: string
  createdByName: string
  createdAt: Date
  updatedAt: Date
}

export type CampaignOutcome = 'issued' | 'holdout' | 'skipped'
export type NoticeState = 'none' | 'pending' | 'sent' | 'skipped'

/** campaign_members/<campaignId>:<openid>: what the campaign did for one member, once. */
export interface CampaignMemberDoc {
  _id: string
  campaignId: string
  openid: string
  memberId: string
  outcome: CampaignOutcome
  skip: CampaignSkip | null
  couponId: string | null
  notice: NoticeState
  noticeSkip: NoticeSkip | null
  createdAt: Date
  updatedAt: Date
}

/** campaign_notice_caps/<openid>: the member's last campaign notice (one per N days, whatever the campaign). */
export interface NoticeCapDoc {
  _id: string
  openid: string
  lastAt: Date
  campaignId: string
  /** What it was before this campaign reserved it (restored if the notice was not sent). */
  previousAt: Date | null
  previousCampaignId: string | null
}

export const outcomeId = (campaignId: string, openid: string): string => `${campaignId}:${openid}`
export const grantCause = (campaignId: string, openid: string): string => `campaign:${campaignId}:${openid}`

/** Deterministic hold-out: the same member is in or out of a campaign's control group on every run. */
export function inHoldout(campaignId: string, openid: string, percent: number): boolean {
  if (percent <= 0) return false
  const h = createHash('sha256').update(`${campaignId}:${openid}`).digest().readUInt32BE(0)
  return (h / 0x1_0000_0000) * 100 < percent
}

/** The page 我的券 a campaign notice opens. */
export const CAMPAIGN_NOTICE_PAGE = 'pages/coupons/index'

const GRANT_SKIP: Record<string, CampaignSkip> = { SOLD_OUT: 'noStock', LIMIT_REACHED: 'limit', TEMPLATE_NOT_ACTIVE: 'templateInactive', NOT_FOUND: 'templateInactive' }

/** One member: the coupon (or the hold-out / skip) with its outcome document, exactly once. */
async function grantOne(db: Database, c: CampaignDoc, m: MemberDoc, now: Date): Promise<CampaignMemberDoc> {
  const id = outcomeId(c._id, m.openid)
  return runTransaction(db, async (t) => {
    const existing = await txGet<CampaignMemberDoc>(t, COLLECTIONS.campaignMembers, id)
    if (existing) return existing
    const base = { _id: id, campaignId: c._id, openid: m.openid, memberId: m._id, createdAt: now, updatedAt: now, noticeSkip: null }
    let doc: CampaignMemberDoc
    if (inHoldout(c._id, m.openid, c.holdoutPercent)) {
      doc = { ...base, outcome: 'holdout', skip: 'holdout', couponId: null, notice: 'none' }
    } else {
      const granted = await grantCouponInTx(t, { templateId: c.templateId, openid: m.openid, cause: grantCause(c._id, m.openid), source: 'campaign', now, respectMemberLimit: true })
      if (granted.ok) doc = { ...base, outcome: 'issued', skip: null, couponId: granted.coupon._id, notice: c.notify ? 'pending' : 'none' }
      else if (granted.reason === 'ALREADY') {
        // Only this transaction writes the cause with its outcome; kept for a hand-repaired database.
        const grant = await txGet<CouponGrantDoc>(t, COLLECTIONS.couponGrants, grantCause(c._id, m.openid))
        doc = { ...base, outcome: 'issued', skip: null, couponId: grant?.couponId ?? null, notice: c.notify ? 'pending' : 'none' }
      } else doc = { ...base, outcome: 'skipped', skip: GRANT_SKIP[granted.reason] ?? 'templateInactive', couponId: null, notice: 'none' }
    }
    await t.collection(COLLECTIONS.campaignMembers).doc(id).set({ data: withoutId(doc) })
    return doc
  })
}

async function settleNotice(db: Database, id: string, notice: NoticeState, noticeSkip: NoticeSkip | null, now: Date): Promise<void> {
  await db.collection(COLLECTIONS.campaignMembers).where({ _id: id, notice: 'pending' }).update({ data: { notice, noticeSkip, updatedAt: now } })
}

/**
 * The notice for an issued coupon: only to a member holding a `campaign` consent credit, and at
 * most one campaign notice per `capDays` per member across all campaigns — the member's cap
 * document is reserved in a transaction before sending (two campaigns racing for one member: one
 * reserves, the other is capped) and given back if nothing was sent.
 */
async function notifyOne(ctx: ActionContext, c: CampaignDoc, doc: CampaignMemberDoc, capDays: number, now: Date): Promise<void> {
  const db = ctx.db
  const credits = await creditsOf(db, doc.openid)
  if ((credits.campaign ?? 0) <= 0) return settleNotice(db, doc._id, 'skipped', 'noConsent', now)
  const reserved = await runTransaction(db, async (t) => {
    const cap = await txGet<NoticeCapDoc>(t, COLLECTIONS.campaignNoticeCaps, doc.openid)
    if (cap && cap.campaignId === c._id) return true
    if (cap && new Date(cap.lastAt).getTime() > now.getTime() - capDays * DAY_MS) return false
    const next: NoticeCapDoc = { _id: doc.openid, openid: doc.openid, lastAt: now, campaignId: c._id, previousAt: cap ? new Date(cap.lastAt) : null, previousCampaignId: cap?.campaignId ?? null }
    await t.collection(COLLECTIONS.campaignNoticeCaps).doc(doc.openid).set({ data: withoutId(next) })
    return true
  })
  if (!reserved) return settleNotice(db, doc._id, 'skipped', 'frequencyCap', now)
  const sent = await sendReminder(ctx, {
    openid: doc.openid,
    key: 'campaign',
    cause: grantCause(c._id, doc.openid),
    page: CAMPAIGN_NOTICE_PAGE,
    data: campaignNoticeData(c, now),
    marketing: true,
  })
  if (sent === 'sent' || sent === 'already') return settleNotice(db, doc._id, 'sent', null, now)
  // Nothing went out: the member's window is given back (unless another campaign took it since).
  await runTransaction(db, async (t) => {
    const cap = await txGet<NoticeCapDoc>(t, COLLECTIONS.campaignNoticeCaps, doc.openid)
    if (!cap || cap.campaignId !== c._id) return
    if (cap.previousAt === null || cap.previousCampaignId === null) await t.collection(COLLECTIONS.campaignNoticeCaps).doc(doc.openid).remove()
    else await t.collection(COLLECTIONS.campaignNoticeCaps).doc(doc.openid).set({ data: { openid: doc.openid, lastAt: cap.previousAt, campaignId: cap.previousCampaignId, previousAt: null, previousCampaignId: null } })
  })
  const reason: NoticeSkip = sent === 'no-credit' ? 'noConsent' : sent === 'daily-cap' ? 'dailyCap' : 'failed'
  return settleNotice(db, doc._id, 'skipped', reason, now)
}

/** The `campaign` subscription message's fields (thing: ≤ 20 characters, time: a date). */
export function campaignNoticeData(c: CampaignDoc, now: Date): Record<string, string> {
  const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
  return { thing1: Array.from(c.templateTitle).slice(0, 20).join(''), thing2: Array.from(`${c.name}：优惠券已放入您的卡包`).slice(0, 20).join(''), date3: day }
}

/** Starts a due scheduled campaign (the read that finds it due, or the timer). */
export async function startIfDue(db: Database, c: CampaignDoc, now: Date): Promise<CampaignDoc> {
  if (c.status !== 'scheduled' || new Date(c.startAt).getTime() > now.getTime()) return c
  await db.collection(COLLECTIONS.campaigns).where({ _id: c._id, status: 'scheduled' }).update({ data: { status: 'running', startedAt: now, updatedAt: now } })
  return (await getDoc<CampaignDoc>(db, COLLECTIONS.campaigns, c._id)) ?? c
}

export interface RunReport {
  campaign: CampaignDoc
  /** Members this invocation walked and newly decided. */
  walked: number
  /** Another invocation held the lease; nothing was done. */
  busy: boolean
}

/**
 * Advances a campaign for up to `budgetMs`: batches of members after the cursor, each member
 * exactly once, the cursor saved after each batch. Answers when the budget is spent, the walk is
 * done, or the campaign is not running (scheduled, finished, cancelled, leased elsewhere).
 */
export async function runCampaign(ctx: ActionContext, campaignId: string, budgetMs: number): Promise<RunReport> {
  const db = ctx.db
  const started = Date.now()
  let c = await getDoc<CampaignDoc>(db, COLLECTIONS.campaigns, campaignId)
  if (!c) throw new Error(`campaign ${campaignId} not found`)
  c = await startIfDue(db, c, ctx.now())
  if (c.status !== 'running') return { campaign: c, walked: 0, busy: false }
  const _ = db.command
  const token = randomBytes(8).toString('hex')
  const leaseNow = ctx.now()
  const got = await updatedCount(
    db.collection(COLLECTIONS.campaigns).where({ _id: campaignId, status: 'running', leaseUntil: _.lt(leaseNow) }).update({ data: { leaseToken: token, leaseUntil: new Date(leaseNow.getTime() + budgetMs + LEASE_MARGIN_MS) } }),
  )
  if (got === 0) return { campaign: c, walked: 0, busy: true }
  const evalAt = new Date(c.startedAt ?? c.startAt)
  const [settings, marketing] = await Promise.all([loadSettings(db), loadMarketingSettings(db)])
  const seg = compileSegment(c.root, _, evalAt, settings, c.scopeStoreIds)
  const meter = newMeter()
  let cursor = c.cursor
  let walked = 0
  try {
    for (;;) {
      const page = await memberPage(db, seg, cursor, CAMPAIGN_BATCH, meter)
      const hits = new Set((await matchingOf(db, seg, page, evalAt, meter)).map((m) => m._id))
      // The last page member fully handled: on a spent budget the cursor stops there, mid-page.
      let handled = cursor
      let outOfTime = false
      for (const m of page) {
        if (hits.has(m._id)) {
          if (Date.now() - started > budgetMs) {
            outOfTime = true
            break
          }
          const now = ctx.now()
          const existing = await getDoc<CampaignMemberDoc>(db, COLLECTIONS.campaignMembers, outcomeId(campaignId, m.openid))
          const doc = existing ?? (await grantOne(db, c, m, now))
          if (!existing) walked += 1
          if (doc.notice === 'pending') await notifyOne(ctx, c, doc, marketing.noticeCapDays, now)
        }
        handled = m._id
      }
      const now = ctx.now()
      if (outOfTime) {
        if (handled !== cursor) await db.collection(COLLECTIONS.campaigns).where({ _id: campaignId, leaseToken: token, status: 'running' }).update({ data: { cursor: handled, updatedAt: now } })
        break
      }
      if (page.length < CAMPAIGN_BATCH) {
        await db.collection(COLLECTIONS.campaigns).where({ _id: campaignId, leaseToken: token, status: 'running' }).update({ data: { status: 'done', finishedAt: now, updatedAt: now, cursor: page.length ? page[page.length - 1]._id : cursor } })
        break
      }
      cursor = page[page.length - 1]._id
      const kept = await updatedCount(db.collection(COLLECTIONS.campaigns).where({ _id: campaignId, leaseToken: token, status: 'running' }).update({ data: { cursor, updatedAt: now } }))
      // Cancelled, or the lease was taken over after this invocation stalled: stop here.
      if (kept === 0 || Date.now() - started > budgetMs) break
    }
  } finally {
    await db.collection(COLLECTIONS.campaigns).where({ _id: campaignId, leaseToken: token }).update({ data: { leaseUntil: new Date(0) } })
  }
  return { campaign: (await getDoc<CampaignDoc>(db, COLLECTIONS.campaigns, campaignId)) ?? c, walked, busy: false }
}

/** The timer: starts due campaigns and advances running ones within one budget. */
export async function runDueCampaigns(ctx: ActionContext, budgetMs: number): Promise<{ advanced: string[] }> {
  const _ = ctx.db.command
  const now = ctx.now()
  const due = await list<CampaignDoc>(
    ctx.db.collection(COLLECTIONS.campaigns).where(_.or([{ status: 'running' }, { status: 'scheduled', startAt: _.lte(now) }])).orderBy('startAt', 'asc').field({ _id: true }).limit(20),
  )
  const started = Date.now()
  const advanced: string[] = []
  for (const c of due) {
    const left = budgetMs - (Date.now() - started)
    if (left < 1000) break
    const report = await runCampaign(ctx, c._id, left)
    if (!report.busy) advanced.push(c._id)
  }
  return { advanced }
}

export interface CampaignProgress {
  processed: number
  issued: number
  holdout: number
  notified: number
  skipped: Record<CampaignSkip | NoticeSkip, number>
}

/** Progress from the outcome documents: one aggregate (at most 4 × 5 groups). */
export async function progressOf(db: Database, campaignId: string): Promise<CampaignProgress> {
  const $ = db.command.aggregate
  const res = (await db
    .collection(COLLECTIONS.campaignMembers)
    .aggregate()
    .match({ campaignId })
    .group({ _id: { outcome: '$outcome', skip: '$skip', notice: '$notice', noticeSkip: '$noticeSkip' }, n: $.sum(1) })
    .limit(100)
    .end()) as { list: Array<{ _id: { outcome: CampaignOutcome; skip: CampaignSkip | null; notice: NoticeState; noticeSkip: NoticeSkip | null }; n: number }> }
  const p: CampaignProgress = { processed: 0, issued: 0, holdout: 0, notified: 0, skipped: { noStock: 0, limit: 0, templateInactive: 0, holdout: 0, noConsent: 0, frequencyCap: 0, dailyCap: 0, failed: 0 } }
  for (const row of res.list) {
    p.processed += row.n
    if (row._id.outcome === 'issued') p.issued += row.n
    if (row._id.outcome === 'holdout') p.holdout += row.n
    if (row._id.skip) p.skipped[row._id.skip] += row.n
    if (row._id.notice === 'sent') p.notified += row.n
    if (row._id.noticeSkip) p.skipped[row._id.noticeSkip] += row.n
  }
  return p
}

export interface CampaignResults {
  issued: number
  notified: number
  used: number
  /** used / issued in percent (one decimal), null with nothing issued. */
  usedRatePercent: number | null
  /** Sales by the members who got the coupon, and by the hold-out, in the attribution window. */
  treated: { members: number; buyers: number; salesFen: number; perMemberFen: number }
  holdout: { members: number; buyers: number; salesFen: number; perMemberFen: number }
  /** Sales per member, got the coupon minus hold-out (fen); null without a hold-out. */
  liftPerMemberFen: number | null
  windowFrom: string | null
  windowTo: string | null
  /** Requests made to answer (pages of outcomes, coupons and orders). */
  reads: number
}

export const RESULTS_PAGE = 1000

/**
 * Results, read from the outcome documents and those members' coupons and orders within the
 * attribution window (14 days from the start). Per page of 1,000 outcomes: 1 get, 1 count of
 * used coupons, 1 orders aggregate — 300 requests for 100,000 members.
 */
export async function resultsOf(db: Database, c: CampaignDoc, now: Date): Promise<CampaignResults> {
  const _ = db.command
  const $ = db.command.aggregate
  const from = c.startedAt ? new Date(c.startedAt) : null
  const to = from ? new Date(Math.min(from.getTime() + CAMPAIGN_LIMITS.attributionDays * DAY_MS, now.getTime())) : null
  const side = () => ({ members: 0, buyers: 0, salesFen: 0, perMemberFen: 0 })
  const r: CampaignResults = { issued: 0, notified: 0, used: 0, usedRatePercent: null, treated: side(), holdout: side(), liftPerMemberFen: null, windowFrom: from?.toISOString() ?? null, windowTo: to?.toISOString() ?? null, reads: 0 }
  let cursor = ''
  for (;;) {
    const where = cursor ? { campaignId: c._id, outcome: _.in(['issued', 'holdout']), _id: _.gt(cursor) } : { campaignId: c._id, outcome: _.in(['issued', 'holdout']) }
    const page = await list<CampaignMemberDoc>(db.collection(COLLECTIONS.campaignMembers).where(where).orderBy('_id', 'asc').field({ _id: true, memberId: true, outcome: true, couponId: true, notice: true }).limit(RESULTS_PAGE))
    r.reads += 1
    const issued = page.filter((d) => d.outcome === 'issued')
    const held = page.filter((d) => d.outcome === 'holdout')
    r.issued += issued.length
    r.notified += issued.filter((d) => d.notice === 'sent').length
    r.treated.members += issued.length
    r.holdout.members += held.length
    const couponIds = issued.map((d) => d.couponId).filter((x): x is string => !!x)
    if (couponIds.length) {
      r.reads += 1
      r.used += ((await db.collection(COLLECTIONS.coupons).where({ _id: _.in(couponIds), status: 'used' }).count()) as { total: number }).total
    }
    if (from && to && page.length) {
      r.reads += 1
      const sales = (await db
        .collection(COLLECTIONS.orders)
        .aggregate()
        .match({ memberId: _.in(page.map((d) => d.memberId)), status: 'paid', paidAt: _.and(_.gte(from), _.lte(to)) })
        .group({ _id: '$memberId', fen: $.sum('$amountFen') })
        .limit(page.length)
        .end()) as { list: Array<{ _id: string; fen: number }> }
      const treatedIds = new Set(issued.map((d) => d.memberId))
      for (const row of sales.list) {
        const target = treatedIds.has(row._id) ? r.treated : r.holdout
        target.buyers += 1
        target.salesFen += row.fen
      }
    }
    if (page.length < RESULTS_PAGE) break
    cursor = page[page.length - 1]._id
  }
  for (const s of [r.treated, r.holdout]) s.perMemberFen = s.members ? Math.round(s.salesFen / s.members) : 0
  r.usedRatePercent = r.issued ? Math.round((r.used / r.issued) * 1000) / 10 : null
  r.liftPerMemberFen = r.holdout.members ? r.treated.perMemberFen - r.holdout.perMemberFen : null
  return r
}
