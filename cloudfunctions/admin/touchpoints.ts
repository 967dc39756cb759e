import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { OpenApi } from 'wx-server-sdk'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { textField } from '../shared/text-input'
import { seesAllStores } from '../domain/permissions'
import { auditLine, writeAudit } from '../services/audit'
import { getDoc, list, runTransaction, txGet } from '../services/db-util'
import type { StaffDoc } from '../services/documents'
import type { CouponTemplateDoc } from '../services/coupon-docs'
import { isDuplicateKey, storeNameMap } from '../services/coupons'
import { chinaDay, readCounters } from '../services/day-counters'
import type { TouchpointDoc } from '../services/touchpoints'
import {
  addDays,
  costPerMemberOf,
  dayOfDate,
  daysBetween,
  REPORT_RANGE_MAX_DAYS,
  roiOf,
  TOUCHPOINT_COST_MAX_FEN,
  TOUCHPOINT_KIND_NAMES,
  TOUCHPOINT_KINDS,
  TOUCHPOINT_LANDING_PAGE,
  TOUCHPOINT_NAME_MAX,
  TOUCHPOINT_TARGET_NAMES,
  type TouchpointFigures,
  type TouchpointTarget,
  type TouchpointView,
} from '../../miniprogram/shared/touchpoint-rules'
import { defineStaffAction, iso, type StaffActionContext } from './staff-context'
import { storeIdSchema } from './stores'

/** 渠道码 (admin): HQ's (storeId null) or a store's, with their code, share path and report. */

const idSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '渠道码编号格式不正确')
const openidSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '导购编号格式不正确')
const costSchema = z
  .number({ invalid_type_error: '成本应为整数（单位：分）', required_error: '请填写成本' })
  .int('成本应为整数（单位：分）')
  .min(0, '成本不能为负数')
  .max(TOUCHPOINT_COST_MAX_FEN, `成本不能超过 ${TOUCHPOINT_COST_MAX_FEN / 100} 元`)

const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pay') }).strict(),
  z.object({ kind: z.literal('coupon'), templateId: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '券模板编号格式不正确') }).strict(),
  z.object({ kind: z.literal('game'), gameId: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '游戏编号格式不正确') }).strict(),
  z.object({ kind: z.literal('checkin') }).strict(),
  z.object({ kind: z.literal('home') }).strict(),
])

const nameField = textField({ label: '渠道名称', max: TOUCHPOINT_NAME_MAX })

const createSchema = z
  .object({
    storeId: storeIdSchema.nullable(),
    name: nameField,
    kind: z.enum(TOUCHPOINT_KINDS, { errorMap: () => ({ message: '请选择渠道类型' }) }),
    costFen: costSchema,
    target: targetSchema,
    clerkOpenid: openidSchema.nullable().default(null),
  })
  .strict()

const updateSchema = z
  .object({
    touchpointId: idSchema,
    name: nameField.optional(),
    costFen: costSchema.optional(),
    target: targetSchema.optional(),
    status: z.enum(['active', 'archived']).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).some((k) => k !== 'touchpointId'), { message: '没有需要修改的内容' })

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
export const rangeSchema = z
  .object({ fromDate: dateSchema, toDate: dateSchema })
  .refine((v) => v.fromDate <= v.toDate, { message: '开始日期不能晚于结束日期' })
  .refine((v) => daysBetween(dayOfDate(v.fromDate), dayOfDate(v.toDate)) <= REPORT_RANGE_MAX_DAYS, { message: `查询范围不能超过 ${REPORT_RANGE_MAX_DAYS} 天` })

function newShortId(): string {
  // 8 characters of [A-Za-z0-9]: the code's scene `tp=<shortId>` is 11 of getUnlimited's 32.
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789'
  return Array.from(randomBytes(8), (b) => alphabet[b % alphabet.length]).join('')
}

function targetName(t: TouchpointTarget): string {
  return TOUCHPOINT_TARGET_NAMES[t.kind]
}

export function touchpointView(tp: TouchpointDoc, stores: Map<string, { name: string }>, clerkName = ''): TouchpointView {
  return {
    id: tp._id,
    shortId: tp.shortId,
    name: tp.name,
    kind: tp.kind,
    kindName: TOUCHPOINT_KIND_NAMES[tp.kind],
    storeId: tp.storeId,
    storeName: tp.storeId ? (stores.get(tp.storeId)?.name ?? '') : '总部',
    costFen: tp.costFen,
    target: tp.target,
    targetName: targetName(tp.target),
    clerkOpenid: tp.clerkOpenid,
    clerkName,
    status: tp.status,
    createdAt: iso(tp.createdAt) ?? '',
  }
}

async function clerkNameOf(ctx: StaffActionContext, openid: string | null): Promise<string> {
  if (!openid) return ''
  return (await getDoc<StaffDoc>(ctx.db, COLLECTIONS.staff, openid))?.name ?? ''
}

/** The target must exist and fit the touchpoint's store: a pay page needs a store, a coupon must be usable there. */
async function checkTarget(ctx: StaffActionContext, storeId: string | null, target: TouchpointTarget): Promise<void> {
  if (target.kind === 'pay' && !storeId) throw new AppError('INVALID_INPUT', '总部渠道码不能直达门店付款页，请选择门店或其他目标')
  if (target.kind === 'coupon') {
    const template = await getDoc<CouponTemplateDoc>(ctx.db, COLLECTIONS.couponTemplates, target.templateId)
    if (!template) throw new AppError('NOT_FOUND', '券模板不存在')
    if (template.storeId !== null && template.storeId !== storeId) throw new AppError('FORBIDDEN', '只能使用总部券或本门店的券')
  }
}

/** A badge's clerk must be staff of the touchpoint's store. */
async function checkClerk(ctx: StaffActionContext, storeId: string | null, kind: string, clerkOpenid: string | null): Promise<void> {
  if (kind !== 'badge') {
    if (clerkOpenid) throw new AppError('INVALID_INPUT', '只有员工工牌可以指定导购')
    return
  }
  if (!clerkOpenid) throw new AppError('INVALID_INPUT', '员工工牌须指定导购')
  if (!storeId) throw new AppError('INVALID_INPUT', '员工工牌须属于门店')
  const clerk = await getDoc<StaffDoc>(ctx.db, COLLECTIONS.staff, clerkOpenid)
  if (!clerk || !(clerk.storeIds ?? []).includes(storeId)) throw new AppError('NOT_FOUND', '该导购不是本门店员工')
}

async function loadTouchpoint(ctx: StaffActionContext, id: string): Promise<TouchpointDoc> {
  const tp = await getDoc<TouchpointDoc>(ctx.db, COLLECTIONS.touchpoints, id)
  if (!tp) throw new AppError('NOT_FOUND', '渠道码不存在')
  return tp
}

const touchpointTarget = async (input: { touchpointId: string }, ctx: StaffActionContext) => {
  const touchpoint = await loadTouchpoint(ctx, input.touchpointId)
  return { storeId: touchpoint.storeId, touchpoint }
}

/** Sums a touchpoint's day counters over a range into its report figures. */
export async function figuresOf(ctx: StaffActionContext, tp: TouchpointDoc, fromDay: string, toDay: string): Promise<TouchpointFigures> {
  const rows = await readCounters(ctx.db, `tp:${tp._id}`, fromDay, toDay)
  const sum = (f: string) => rows.reduce((s, r) => s + (r.n[f] ?? 0), 0)
  const salesFen = sum('salesFen')
  const newMembers = sum('newMembers')
  return {
    visits: sum('visits'),
    newMembers,
    firstPurchases: sum('firstPurchases'),
    orders: sum('orders'),
    salesFen,
    costFen: tp.costFen,
    roi: roiOf(salesFen, tp.costFen),
    costPerMemberFen: costPerMemberOf(tp.costFen, newMembers),
  }
}

export const touchpointsList = defineStaffAction('touchpoints.list', z.object({ status: z.enum(['active', 'archived']).optional() }).strict(), async (input, ctx) => {
  const _ = ctx.db.command
  const where: Record<string, unknown> = {}
  if (input.status) where.status = input.status
  // Store staff see their stores' touchpoints; owner and HQ every one (HQ's too).
  if (!seesAllStores(ctx.staff.role)) where.storeId = _.in(ctx.staff.storeIds)
  const [rows, stores] = await Promise.all([
    list<TouchpointDoc>(ctx.db.collection(COLLECTIONS.touchpoints).where(where).orderBy('createdAt', 'desc').limit(200)),
    storeNameMap(ctx.db),
  ])
  const toDay = chinaDay(ctx.now())
  const fromDay = addDays(toDay, -29)
  const touchpoints = []
  for (const tp of rows) touchpoints.push({ ...touchpointView(tp, stores), last30: await figuresOf(ctx, tp, fromDay, toDay) })
  return { touchpoints }
})

export const touchpointsCreate = defineStaffAction('touchpoints.create', createSchema, {
  // null = HQ's touchpoint: only roles that see every store pass.
  target: (input) => ({ storeId: input.storeId }),
  run: async (input, ctx) => {
    const now = ctx.now()
    const stores = await storeNameMap(ctx.db)
    if (input.storeId !== null && !stores.has(input.storeId)) throw new AppError('NOT_FOUND', '门店不存在')
    await checkTarget(ctx, input.storeId, input.target)
    await checkClerk(ctx, input.storeId, input.kind, input.clerkOpenid)
    for (let attempt = 1; ; attempt += 1) {
      const doc: TouchpointDoc = {
        _id: `tp${randomBytes(8).toString('hex')}`,
        shortId: newShortId(),
        name: input.name,
        kind: input.kind,
        storeId: input.storeId,
        costFen: input.costFen,
        target: input.target,
        clerkOpenid: input.clerkOpenid,
        status: 'active',
        createdBy: ctx.staff._id,
        createdAt: now,
        updatedAt: now,
      }
      const line = auditLine(ctx, 'touchpoints.create', {
        storeId: doc.storeId,
        target: `touchpoint:${doc._id}`,
        summary: `新建渠道码「${doc.name}」（${TOUCHPOINT_KIND_NAMES[doc.kind]}，成本 ¥${(doc.costFen / 100).toFixed(2)}）`,
      })
      try {
        await runTransaction(ctx.db, async (t) => {
          await t.collection(COLLECTIONS.touchpoints).add({ data: doc })
          await writeAudit(t, line)
        })
        return { touchpoint: touchpointView(doc, stores, await clerkNameOf(ctx, doc.clerkOpenid)) }
      } catch (e) {
        if (attempt < 3 && isDuplicateKey(e, 'shortId')) continue
        throw e
      }
    }
  },
})

export const touchpointsUpdate = defineStaffAction('touchpoints.update', updateSchema, {
  target: touchpointTarget,
  run: async (input, ctx, { touchpoint: read }) => {
    const now = ctx.now()
    if (input.target) await checkTarget(ctx, read.storeId, input.target)
    const { touchpointId, ...changes } = input
    const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined))
    const line = auditLine(ctx, 'touchpoints.update', {
      storeId: read.storeId,
      target: `touchpoint:${touchpointId}`,
      summary: `修改渠道码「${read.name}」：${Object.keys(given).join('、')}`,
    })
    await runTransaction(ctx.db, async (t) => {
      const current = await txGet<TouchpointDoc>(t, COLLECTIONS.touchpoints, touchpointId)
      if (!current) throw new AppError('NOT_FOUND', '渠道码不存在')
      await t.collection(COLLECTIONS.touchpoints).doc(touchpointId).update({ data: { ...given, updatedAt: now } })
      await writeAudit(t, line)
    })
    const updated = await loadTouchpoint(ctx, touchpointId)
    return { touchpoint: touchpointView(updated, await storeNameMap(ctx.db), await clerkNameOf(ctx, updated.clerkOpenid)) }
  },
})

/**
 * The code and share path: wxacode.getUnlimited with scene `tp=<shortId>` (never the full
 * parameters: the scene holds 32 characters) on the landing page, which records the visit.
 */
export const touchpointsLink = defineStaffAction('touchpoints.link', z.object({ touchpointId: idSchema }).strict(), {
  target: touchpointTarget,
  run: async (_input, ctx, { touchpoint }) => {
    const scene = `tp=${touchpoint.shortId}`
    let qr: { errCode?: number; errMsg?: string; contentType?: string; buffer?: Buffer | Uint8Array }
    try {
      qr = await (ctx.cloud.openapi as OpenApi).wxacode.getUnlimited({ scene, page: TOUCHPOINT_LANDING_PAGE, checkPath: false, width: 280 })
    } catch (e) {
      console.error('[touchpoint-link] wxacode.getUnlimited failed', e)
      throw new AppError('INTERNAL', '生成小程序码失败，请稍后重试')
    }
    if (qr.errCode || !qr.buffer) throw new AppError('INTERNAL', `生成小程序码失败：${qr.errMsg ?? '无图片'}`)
    return {
      scene,
      page: TOUCHPOINT_LANDING_PAGE,
      sharePath: `${TOUCHPOINT_LANDING_PAGE}?tp=${touchpoint.shortId}`,
      qrDataUrl: `data:${qr.contentType || 'image/png'};base64,${Buffer.from(qr.buffer).toString('base64')}`,
    }
  },
})

/** One touchpoint over a date range: visits, new members, first purchases, attributed sales, cost, ROI, cost per new member. */
export const touchpointsReport = defineStaffAction(
  'touchpoints.report',
  z.object({ touchpointId: idSchema }).merge(z.object({ fromDate: dateSchema, toDate: dateSchema })).strict().superRefine((v, c) => {
    const parsed = rangeSchema.safeParse({ fromDate: v.fromDate, toDate: v.toDate })
    if (!parsed.success) for (const issue of parsed.error.issues) c.addIssue(issue)
  }),
  {
    target: touchpointTarget,
    run: async (input, ctx, { touchpoint }) => {
      const figures = await figuresOf(ctx, touchpoint, dayOfDate(input.fromDate), dayOfDate(input.toDate))
      const stores = await storeNameMap(ctx.db)
      return { touchpoint: touchpointView(touchpoint, stores, await clerkNameOf(ctx, touchpoint.clerkOpenid)), fromDate: input.fromDate, toDate: input.toDate, figures }
    },
  },
)
