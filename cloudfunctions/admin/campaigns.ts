import { z } from 'zod'
import { randomBytes } from 'node:crypto'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { textField } from '../shared/text-input'
import { getDoc, list, runTransaction, txGet, withoutId } from '../services/db-util'
import type { CouponTemplateDoc } from '../services/coupon-docs'
import { auditLine, writeAudit } from '../services/audit'
import { loadSettings } from '../services/settings'
import { audienceOf } from '../services/segments'
import { creditsOf } from '../services/reminders'
import { inHoldout, progressOf, resultsOf, runCampaign, startIfDue, type CampaignDoc } from '../services/campaigns'
import { segmentRootSchema } from '../domain/segments'
import { callerScope, PREVIEW_BUDGET_MS, resolveRoot, sampleRow, withinCaller } from './segments'
import { defineStaffAction, iso, STORE_SCOPE_MESSAGE, type StaffActionContext } from './staff-context'
import { CAMPAIGN_LIMITS } from '../../miniprogram/shared/segment-rules'

const DAY_MS = 86_400_000
/** Time one campaigns.run starts members in (the admin function's timeout is 20 s; one member with a notice takes well under a second). */
export const RUN_BUDGET_MS = 8_000
const LIST_SIZE = 50

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '编号格式不正确')
const audienceSchema = {
  segmentId: idSchema.optional(),
  preset: z.enum(['valuable', 'winBack', 'keepFrequent', 'sleeping']).optional(),
  root: segmentRootSchema.optional(),
}
const oneAudience = (v: { segmentId?: string; preset?: string; root?: unknown }) => [v.segmentId, v.preset, v.root].filter((x) => x !== undefined).length === 1
const ONE_AUDIENCE = '请选择一个人群'

/** The template a campaign issues: active, with stock, and (below HQ) one of the caller's stores'. */
async function usableTemplate(ctx: StaffActionContext, templateId: string): Promise<CouponTemplateDoc> {
  const tpl = await getDoc<CouponTemplateDoc>(ctx.db, COLLECTIONS.couponTemplates, templateId)
  if (!tpl) throw new AppError('NOT_FOUND', '优惠券不存在')
  const mine = callerScope(ctx)
  if (mine !== null && (tpl.storeId === null || !mine.includes(tpl.storeId))) throw new AppError('FORBIDDEN', STORE_SCOPE_MESSAGE)
  if (tpl.status !== 'active') throw new AppError('TEMPLATE_NOT_ACTIVE', '该优惠券未在发放中，请先开始发放')
  if (tpl.remaining <= 0) throw new AppError('SOLD_OUT', '该优惠券库存已用完')
  return tpl
}

async function loadCampaign(ctx: StaffActionContext, campaignId: string): Promise<CampaignDoc> {
  const c = await getDoc<CampaignDoc>(ctx.db, COLLECTIONS.campaigns, campaignId)
  if (!c) throw new AppError('NOT_FOUND', '活动不存在')
  if (!withinCaller(ctx, c.scopeStoreIds)) throw new AppError('FORBIDDEN', STORE_SCOPE_MESSAGE)
  return c
}

function view(c: CampaignDoc) {
  return {
    id: c._id,
    name: c.name,
    segmentName: c.segmentName,
    templateId: c.templateId,
    templateTitle: c.templateTitle,
    notify: c.notify,
    holdoutPercent: c.holdoutPercent,
    status: c.status,
    startAt: iso(c.startAt),
    startedAt: iso(c.startedAt),
    finishedAt: iso(c.finishedAt),
    createdByName: c.createdByName,
    createdAt: iso(c.createdAt),
  }
}

export const campaignsList = defineStaffAction('campaigns.list', z.object({}).strict(), async (_input, ctx) => {
  const rows = await list<CampaignDoc>(ctx.db.collection(COLLECTIONS.campaigns).orderBy('createdAt', 'desc').limit(LIST_SIZE))
  const mine = rows.filter((r) => withinCaller(ctx, r.scopeStoreIds))
  // Lazy start: a scheduled campaign found due starts now (the timer does the same where there is one).
  const fresh = await Promise.all(mine.map((c) => startIfDue(ctx.db, c, ctx.now())))
  return { campaigns: fresh.map(view) }
})

export const campaignsGet = defineStaffAction('campaigns.get', z.object({ campaignId: idSchema }).strict(), async (input, ctx) => {
  const c = await startIfDue(ctx.db, await loadCampaign(ctx, input.campaignId), ctx.now())
  return { campaign: view(c), progress: await progressOf(ctx.db, c._id) }
})

const dryRunInput = z
  .object({ ...audienceSchema, templateId: idSchema, holdoutPercent: z.number().int().min(0).max(CAMPAIGN_LIMITS.holdoutMaxPercent).default(0), notify: z.boolean().default(false) })
  .strict()
  .refine(oneAudience, ONE_AUDIENCE)

/** Who would get what, before anything is sent: the audience, the hold-out, the stock, notices. */
export const campaignsDryRun = defineStaffAction('campaigns.dryRun', dryRunInput, async (input, ctx) => {
  const tpl = await usableTemplate(ctx, input.templateId)
  const { root, name } = await resolveRoot(ctx, input)
  const trialId = `dry_${randomBytes(4).toString('hex')}`
  const answer = await audienceOf(ctx.db, root, { now: ctx.now(), settings: await loadSettings(ctx.db), scopeStoreIds: callerScope(ctx), sampleSize: 10, budgetMs: PREVIEW_BUDGET_MS })
  const holdout = Math.round((answer.count * input.holdoutPercent) / 100)
  const wouldIssue = Math.min(answer.count - holdout, tpl.remaining)
  const sample = await Promise.all(
    answer.sample.map(async (m) => {
      const out = inHoldout(trialId, m.openid, input.holdoutPercent)
      const credit = input.notify && !out ? ((await creditsOf(ctx.db, m.openid)).campaign ?? 0) > 0 : false
      return { ...sampleRow(m), fate: out ? ('holdout' as const) : ('issue' as const), notice: credit }
    }),
  )
  return {
    segmentName: name,
    audience: answer.count,
    complete: answer.complete,
    holdout,
    wouldIssue,
    noStock: Math.max(0, answer.count - holdout - tpl.remaining),
    templateTitle: tpl.title,
    remaining: tpl.remaining,
    sample,
  }
})

const createInput = z
  .object({
    ...audienceSchema,
    name: textField({ label: '活动名称', max: CAMPAIGN_LIMITS.nameMax }),
    templateId: idSchema,
    notify: z.boolean().default(false),
    holdoutPercent: z.number().int().min(0).max(CAMPAIGN_LIMITS.holdoutMaxPercent).default(0),
    /** ISO time; absent = at once. */
    startAt: z.string().datetime().optional(),
  })
  .strict()
  .refine(oneAudience, ONE_AUDIENCE)

export const campaignsCreate = defineStaffAction('campaigns.create', createInput, async (input, ctx) => {
  const now = ctx.now()
  const startAt = input.startAt ? new Date(input.startAt) : now
  if (startAt.getTime() < now.getTime() - 60_000 || startAt.getTime() > now.getTime() + CAMPAIGN_LIMITS.scheduleMaxDays * DAY_MS) throw new AppError('SCHEDULE_INVALID')
  const tpl = await usableTemplate(ctx, input.templateId)
  const { root, name, segmentId } = await resolveRoot(ctx, input)
  const scheduled = startAt.getTime() > now.getTime()
  const id = `cmp_${randomBytes(8).toString('hex')}`
  const scopeStoreIds = callerScope(ctx)
  const doc: CampaignDoc = {
    _id: id,
    name: input.name,
    segmentId,
    segmentName: name,
    root,
    scopeStoreIds,
    templateId: tpl._id,
    templateTitle: tpl.title,
    notify: input.notify,
    holdoutPercent: input.holdoutPercent,
    status: scheduled ? 'scheduled' : 'running',
    startAt,
    startedAt: scheduled ? null : now,
    finishedAt: null,
    cursor: '',
    leaseToken: '',
    leaseUntil: new Date(0),
    createdBy: ctx.staff._id,
    createdByName: ctx.staff.name,
    createdAt: now,
    updatedAt: now,
  }
  const when = scheduled ? `，${iso(startAt)?.slice(0, 16).replace('T', ' ')} (UTC) 开始` : '，立即开始'
  const line = auditLine(ctx, 'campaigns.create', {
    storeId: scopeStoreIds?.length === 1 ? scopeStoreIds[0] : null,
    target: `campaign:${id}`,
    summary: `定向发券「${input.name}」：向「${name}」发放「${tpl.title}」${input.holdoutPercent ? `，对照组 ${input.holdoutPercent}%` : ''}${input.notify ? '，发送通知' : ''}${when}`,
  })
  await runTransaction(ctx.db, async (t) => {
    await t.collection(COLLECTIONS.campaigns).doc(id).set({ data: withoutId(doc) })
    await writeAudit(t, line)
  })
  return { campaign: view(doc) }
})

/** Advances the job (the progress page calls it until done; the timer does too). */
export const campaignsRun = defineStaffAction('campaigns.run', z.object({ campaignId: idSchema }).strict(), async (input, ctx) => {
  await loadCampaign(ctx, input.campaignId)
  const report = await runCampaign(ctx, input.campaignId, RUN_BUDGET_MS)
  return { campaign: view(report.campaign), progress: await progressOf(ctx.db, input.campaignId), busy: report.busy }
})

export const campaignsCancel = defineStaffAction('campaigns.cancel', z.object({ campaignId: idSchema }).strict(), async (input, ctx) => {
  const c = await loadCampaign(ctx, input.campaignId)
  if (c.status === 'done' || c.status === 'cancelled') throw new AppError('CAMPAIGN_DONE')
  const now = ctx.now()
  const line = auditLine(ctx, 'campaigns.cancel', { storeId: c.scopeStoreIds?.length === 1 ? c.scopeStoreIds[0] : null, target: `campaign:${c._id}`, summary: `取消定向发券「${c.name}」（已发出的券保留）` })
  await runTransaction(ctx.db, async (t) => {
    const current = await txGet<CampaignDoc>(t, COLLECTIONS.campaigns, c._id)
    if (!current || current.status === 'done' || current.status === 'cancelled') throw new AppError('CAMPAIGN_DONE')
    await t.collection(COLLECTIONS.campaigns).doc(c._id).update({ data: { status: 'cancelled', finishedAt: now, updatedAt: now } })
    await writeAudit(t, line)
  })
  return { campaign: view({ ...c, status: 'cancelled', finishedAt: now }) }
})

export const campaignsResults = defineStaffAction('campaigns.results', z.object({ campaignId: idSchema }).strict(), async (input, ctx) => {
  const c = await loadCampaign(ctx, input.campaignId)
  return { campaign: view(c), results: await resultsOf(ctx.db, c, ctx.now()), progress: await progressOf(ctx.db, c._id) }
})

