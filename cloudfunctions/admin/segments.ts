import { z } from 'zod'
import { randomBytes } from 'node:crypto'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { textField } from '../shared/text-input'
import { maskPhone } from '../domain/mask'
import { favouriteStore } from '../domain/tags'
import { seesAllStores } from '../domain/permissions'
import { segmentRootSchema, storesNamed } from '../domain/segments'
import { getDoc, list, runTransaction, txGet } from '../services/db-util'
import type { MemberDoc } from '../services/documents'
import { auditLine, writeAudit } from '../services/audit'
import { loadSettings } from '../services/settings'
import { audienceOf, loadMarketingSettings, MARKETING_DOC_ID, type AudienceAnswer } from '../services/segments'
import { defineStaffAction, iso, STORE_SCOPE_MESSAGE, type StaffActionContext } from './staff-context'
import { CAMPAIGN_LIMITS, rfmSegments, SEGMENT_LIMITS, type RfmPreset, type SegmentGroup } from '../../miniprogram/shared/segment-rules'

/** A saved segment. `scopeStoreIds`: the stores of whoever saved it (null = HQ, every member). */
export interface SegmentDoc {
  _id: string
  name: string
  root: SegmentGroup
  scopeStoreIds: string[] | null
  createdBy: string
  createdAt: Date
  updatedAt: Date
}

/** The members a caller may reach: every member for HQ roles, else their stores' (first or favourite). */
export function callerScope(ctx: StaffActionContext): string[] | null {
  return seesAllStores(ctx.staff.role) ? null : [...(ctx.scope.storeIds ?? [])]
}

/** A saved scope is within the caller's: HQ sees all; others only segments made within their stores. */
export function withinCaller(ctx: StaffActionContext, scopeStoreIds: string[] | null): boolean {
  const mine = callerScope(ctx)
  if (mine === null) return true
  if (scopeStoreIds === null || scopeStoreIds.length === 0) return false
  return scopeStoreIds.every((s) => mine.includes(s))
}

/** Naming another store in a condition is refused below HQ (it would show whether they have members there). */
export function checkStoresNamed(ctx: StaffActionContext, root: SegmentGroup): void {
  const mine = callerScope(ctx)
  if (mine === null) return
  if (!storesNamed(root).every((s) => mine.includes(s))) throw new AppError('FORBIDDEN', STORE_SCOPE_MESSAGE)
}

const segmentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '人群编号格式不正确')
const presetSchema = z.enum(['valuable', 'winBack', 'keepFrequent', 'sleeping'])

/** A masked sample row: enough to recognise a regular, not to copy their phone. */
export function sampleRow(m: MemberDoc) {
  return {
    memberNo: m.memberNo,
    name: m.nickname ? `${Array.from(m.nickname)[0]}**` : '',
    phone: maskPhone(m.phone),
    lastVisitAt: iso(m.lastVisitAt),
    totalSpentFen: m.totalSpentFen,
    favouriteStoreId: favouriteStore(m.storeVisits ?? {}),
  }
}

function costOf(a: AudienceAnswer) {
  return { exact: a.exact, complete: a.complete, scanned: a.scanned, reads: a.meter.gets + a.meter.counts + a.meter.aggregates, ...a.meter }
}

/** Time a preview may scan (the admin function's timeout is 20 s). */
export const PREVIEW_BUDGET_MS = 12_000

export async function loadSegment(ctx: StaffActionContext, segmentId: string): Promise<SegmentDoc> {
  const doc = await getDoc<SegmentDoc>(ctx.db, COLLECTIONS.segments, segmentId)
  if (!doc) throw new AppError('NOT_FOUND', '人群不存在或已删除')
  if (!withinCaller(ctx, doc.scopeStoreIds)) throw new AppError('FORBIDDEN', STORE_SCOPE_MESSAGE)
  return doc
}

/** A segment by saved id or ready-made preset, as the conditions to evaluate. */
export async function resolveRoot(ctx: StaffActionContext, ref: { segmentId?: string; preset?: RfmPreset; root?: SegmentGroup }): Promise<{ root: SegmentGroup; name: string; segmentId: string | null }> {
  if (ref.segmentId) {
    const doc = await loadSegment(ctx, ref.segmentId)
    return { root: doc.root, name: doc.name, segmentId: doc._id }
  }
  if (ref.preset) {
    const found = rfmSegments((await loadMarketingSettings(ctx.db)).rfm).find((p) => p.preset === ref.preset)
    if (!found) throw new AppError('NOT_FOUND', '人群不存在')
    return { root: found.root, name: found.name, segmentId: null }
  }
  if (ref.root) {
    checkStoresNamed(ctx, ref.root)
    return { root: ref.root, name: '自定义人群', segmentId: null }
  }
  throw new AppError('INVALID_INPUT', '请选择人群')
}

function view(doc: SegmentDoc) {
  return { id: doc._id, name: doc.name, root: doc.root, scopeStoreIds: doc.scopeStoreIds, updatedAt: iso(doc.updatedAt) }
}

export const segmentsList = defineStaffAction('segments.list', z.object({}).strict(), async (_input, ctx) => {
  const rows = await list<SegmentDoc>(ctx.db.collection(COLLECTIONS.segments).orderBy('updatedAt', 'desc').limit(SEGMENT_LIMITS.segmentsMax))
  const marketing = await loadMarketingSettings(ctx.db)
  return {
    segments: rows.filter((r) => withinCaller(ctx, r.scopeStoreIds)).map(view),
    presets: rfmSegments(marketing.rfm).map((p) => ({ preset: p.preset, name: p.name, root: p.root })),
    settings: marketing,
    canEditSettings: seesAllStores(ctx.staff.role),
  }
})

export const segmentsGet = defineStaffAction('segments.get', z.object({ segmentId: segmentIdSchema }).strict(), async (input, ctx) => {
  return { segment: view(await loadSegment(ctx, input.segmentId)) }
})

export const segmentsSave = defineStaffAction(
  'segments.save',
  z.object({ segmentId: segmentIdSchema.optional(), name: textField({ label: '人群名称', max: SEGMENT_LIMITS.nameMax }), root: segmentRootSchema }).strict(),
  async (input, ctx) => {
    checkStoresNamed(ctx, input.root)
    const now = ctx.now()
    const existing = input.segmentId ? await loadSegment(ctx, input.segmentId) : null
    if (!existing) {
      const total = (await ctx.db.collection(COLLECTIONS.segments).count()) as { total: number }
      if (total.total >= SEGMENT_LIMITS.segmentsMax) throw new AppError('SEGMENTS_FULL')
    }
    const id = existing?._id ?? `seg_${randomBytes(8).toString('hex')}`
    const scopeStoreIds = existing ? existing.scopeStoreIds : callerScope(ctx)
    const doc: SegmentDoc = { _id: id, name: input.name, root: input.root, scopeStoreIds, createdBy: existing?.createdBy ?? ctx.staff._id, createdAt: existing?.createdAt ?? now, updatedAt: now }
    const line = auditLine(ctx, 'segments.save', { storeId: scopeStoreIds?.length === 1 ? scopeStoreIds[0] : null, target: `segment:${id}`, summary: `${existing ? '修改' : '新建'}人群「${input.name}」` })
    await runTransaction(ctx.db, async (t) => {
      const { _id, ...data } = doc
      await t.collection(COLLECTIONS.segments).doc(_id).set({ data })
      await writeAudit(t, line)
    })
    return { segment: view(doc) }
  },
)

export const segmentsRemove = defineStaffAction('segments.remove', z.object({ segmentId: segmentIdSchema }).strict(), async (input, ctx) => {
  const doc = await loadSegment(ctx, input.segmentId)
  const _ = ctx.db.command
  const open = (await ctx.db.collection(COLLECTIONS.campaigns).where({ segmentId: doc._id, status: _.in(['scheduled', 'running']) }).count()) as { total: number }
  if (open.total > 0) throw new AppError('SEGMENT_IN_USE')
  const line = auditLine(ctx, 'segments.remove', { storeId: doc.scopeStoreIds?.length === 1 ? doc.scopeStoreIds[0] : null, target: `segment:${doc._id}`, summary: `删除人群「${doc.name}」` })
  await runTransaction(ctx.db, async (t) => {
    if (!(await txGet<SegmentDoc>(t, COLLECTIONS.segments, doc._id))) throw new AppError('NOT_FOUND', '人群不存在或已删除')
    await t.collection(COLLECTIONS.segments).doc(doc._id).remove()
    await writeAudit(t, line)
  })
  return { removed: doc._id }
})

/** Live count and a masked sample, for the editor; the conditions are the editor's, unsaved. */
export const segmentsPreview = defineStaffAction(
  'segments.preview',
  z.union([
    z.object({ root: segmentRootSchema }).strict(),
    z.object({ segmentId: segmentIdSchema }).strict(),
    z.object({ preset: presetSchema }).strict(),
  ]),
  async (input, ctx) => {
    const { root } = await resolveRoot(ctx, input)
    const answer = await audienceOf(ctx.db, root, { now: ctx.now(), settings: await loadSettings(ctx.db), scopeStoreIds: callerScope(ctx), sampleSize: SEGMENT_LIMITS.sampleSize, budgetMs: PREVIEW_BUDGET_MS })
    return { count: answer.count, sample: answer.sample.map(sampleRow), cost: costOf(answer) }
  },
)

const rfmSchema = z
  .object({
    recencyDays: z.number().int().min(1).max(SEGMENT_LIMITS.recencyDaysMax),
    frequency: z.number().int().min(1).max(1000),
    monetaryFen: z.number().int().min(1).max(100_000_000),
    windowDays: z.number().int().min(1).max(SEGMENT_LIMITS.windowDaysMax),
  })
  .strict()

/** RFM thresholds of the ready-made segments and the campaign notice cap. */
export const segmentsSettings = defineStaffAction(
  'segments.settings',
  z.object({ rfm: rfmSchema.optional(), noticeCapDays: z.number().int().min(1).max(CAMPAIGN_LIMITS.noticeCapDaysMax).optional() }).strict().refine((v) => v.rfm !== undefined || v.noticeCapDays !== undefined, '请至少修改一项'),
  async (input, ctx) => {
    const current = await loadMarketingSettings(ctx.db)
    const next = { rfm: input.rfm ?? current.rfm, noticeCapDays: input.noticeCapDays ?? current.noticeCapDays }
    const parts = [input.rfm ? `RFM：${next.rfm.recencyDays} 天 / ${next.rfm.frequency} 次 / ¥${next.rfm.monetaryFen / 100}（近 ${next.rfm.windowDays} 天）` : '', input.noticeCapDays ? `活动通知每 ${next.noticeCapDays} 天最多 1 次` : ''].filter(Boolean)
    const line = auditLine(ctx, 'segments.settings', { storeId: null, target: 'merchant:marketing', summary: `修改人群设置：${parts.join('；')}` })
    await runTransaction(ctx.db, async (t) => {
      await t.collection(COLLECTIONS.merchant).doc(MARKETING_DOC_ID).set({ data: { ...next, updatedAt: ctx.now() } })
      await writeAudit(t, line)
    })
    return { settings: next }
  },
)
