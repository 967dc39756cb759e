import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { OpenApi } from 'wx-server-sdk'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { textField } from '../shared/text-input'
import { seesAllStores } from '../domain/permissions'
import { auditLine, writeAudit } from '../services/audit'
import { getDoc, list, runTransaction, txGet } from '../services/db-util'
import type { CouponTemplateDoc } from '../services/coupon-docs'
import type { SubBrandDoc } from '../services/documents'
import { isDuplicateKey, storeNameMap } from '../services/coupons'
import {
  conditionLabel,
  COUPON_RULES_MAX,
  COUPON_STOCK_MAX,
  COUPON_TITLE_MAX,
  COUPON_VALUE_MAX_FEN,
  DELAY_DAYS_MAX,
  GIFT_NAME_MAX,
  PER_DAY_LIMIT_MAX,
  PER_MEMBER_LIMIT_MAX,
  RATE_PERCENT_MAX,
  RATE_PERCENT_MIN,
  TEMPLATE_STATUS_NAMES,
  TEMPLATE_TRANSITIONS,
  VALID_DAYS_MAX,
  validityLabel,
  validityProblem,
  valueLabel,
  type AdminTemplateView,
  type CouponValidity,
  type TemplateStatus,
} from '../../miniprogram/shared/coupon-rules'
import { MANUAL_TAG_MAX } from '../../miniprogram/shared/text-limits'
import { defineStaffAction, iso, type StaffActionContext, type StoreTarget } from './staff-context'
import { storeIdSchema } from './stores'

/** 优惠券模板 (admin): HQ templates for every store (storeId null), or a store's own. */

const fen = (label: string, min = 1) =>
  z
    .number({ invalid_type_error: `${label}应为整数（单位：分）`, required_error: `请填写${label}` })
    .int(`${label}应为整数（单位：分）`)
    .min(min, min === 0 ? `${label}不能为负数` : `${label}至少 0.01 元`)
    .max(COUPON_VALUE_MAX_FEN, `${label}不能超过 ${COUPON_VALUE_MAX_FEN / 100} 元`)
const count = (label: string, min: number, max: number) =>
  z.number({ invalid_type_error: `${label}应为整数` }).int(`${label}应为整数`).min(min, `${label}不能小于 ${min}`).max(max, `${label}不能超过 ${max}`)

/** Each type takes exactly its own fields (strict): a 「代金」 with a rate, or a 折扣 without a cap, is refused. */
const valueSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('cash'), valueFen: fen('面额') }).strict(),
    z.object({ type: z.literal('threshold'), valueFen: fen('减免金额'), thresholdFen: fen('使用门槛') }).strict(),
    z
      .object({
        type: z.literal('discount'),
        ratePercent: count('折扣', RATE_PERCENT_MIN, RATE_PERCENT_MAX),
        capFen: fen('最高优惠金额'),
        thresholdFen: fen('使用门槛', 0).default(0),
      })
      .strict(),
    z.object({ type: z.literal('gift'), giftName: textField({ label: '兑换内容', max: GIFT_NAME_MAX }) }).strict(),
  ])
  .superRefine((v, ctx) => {
    if (v.type === 'threshold' && v.thresholdFen <= v.valueFen) ctx.addIssue({ code: z.ZodIssueCode.custom, message: '满减券的门槛应高于减免金额' })
  })

/** The refusal a person reads when a 折扣 comes without its cap (zod's own says only "Required"). */
function requireCap(raw: unknown): unknown {
  if (typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'discount' && (raw as { capFen?: unknown }).capFen === undefined) {
    throw new AppError('INVALID_INPUT', '折扣券须设置最高优惠金额')
  }
  return raw
}

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
const validitySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), startDate: dateSchema, endDate: dateSchema }).strict(),
  z.object({ kind: z.literal('relative'), days: count('有效天数', 1, VALID_DAYS_MAX), delayDays: count('生效延迟天数', 0, DELAY_DAYS_MAX).default(0) }).strict(),
])

const audienceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('everyone') }).strict(),
  z.object({ kind: z.literal('tiers'), levels: z.array(count('等级', 1, 10)).min(1, '请选择会员等级').max(10) }).strict(),
  z.object({ kind: z.literal('tags'), tags: z.array(textField({ label: '标签', max: MANUAL_TAG_MAX })).min(1, '请选择标签').max(10) }).strict(),
])

const templateIdSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '券模板编号格式不正确')

const termFields = {
  title: textField({ label: '券名称', max: COUPON_TITLE_MAX }),
  rulesText: textField({ label: '使用说明', max: COUPON_RULES_MAX, multiline: true, min: 0 }),
  value: z.preprocess(requireCap, valueSchema),
  validity: validitySchema,
  stock: count('库存', 1, COUPON_STOCK_MAX),
  perMemberLimit: count('每人限领', 1, PER_MEMBER_LIMIT_MAX),
  perDayLimit: count('每人每日限领', 0, PER_DAY_LIMIT_MAX),
  audience: audienceSchema,
  forwardable: z.boolean(),
  stackable: z.boolean(),
  usableStoreIds: z.array(storeIdSchema).min(1, '请至少选择一家门店').max(100).nullable(),
}

const createSchema = z
  .object({
    storeId: storeIdSchema.nullable(),
    ...termFields,
    rulesText: termFields.rulesText.default(''),
    perMemberLimit: termFields.perMemberLimit.default(1),
    perDayLimit: termFields.perDayLimit.default(0),
    audience: termFields.audience.default({ kind: 'everyone' }),
    forwardable: termFields.forwardable.default(false),
    stackable: termFields.stackable.default(false),
    usableStoreIds: termFields.usableStoreIds.optional(),
    /** A sub-brand's template (coupon-gaps, issue 17): storeId null, usable at that sub-brand's stores. */
    subBrandId: z.string({ invalid_type_error: '子品牌编号格式不正确' }).trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '子品牌编号格式不正确').optional(),
  })
  .strict()
  .refine((v) => v.subBrandId === undefined || v.storeId === null, { message: '子品牌券不属于单个门店：请不要同时选择门店' })

const updateSchema = z
  .object({
    templateId: templateIdSchema,
    title: termFields.title.optional(),
    rulesText: termFields.rulesText.optional(),
    value: termFields.value.optional(),
    validity: termFields.validity.optional(),
    stock: termFields.stock.optional(),
    perMemberLimit: termFields.perMemberLimit.optional(),
    perDayLimit: termFields.perDayLimit.optional(),
    audience: termFields.audience.optional(),
    forwardable: termFields.forwardable.optional(),
    stackable: termFields.stackable.optional(),
    usableStoreIds: termFields.usableStoreIds.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).some((k) => k !== 'templateId'), { message: '没有需要修改的内容' })

/** The fields that stay editable once someone has claimed (besides stock growth). */
const AFTER_CLAIM_EDITABLE = new Set(['templateId', 'rulesText', 'stock'])

/** Where a template is usable: HQ chooses (null = all); a store's template is usable in that store only. */
async function usableStores(ctx: StaffActionContext, storeId: string | null, requested: string[] | null | undefined, subBrandId?: string | null): Promise<string[] | null> {
  const stores = await storeNameMap(ctx.db)
  if (subBrandId) {
    // A sub-brand's template: usable at its stores (all of them as they are now, or some).
    const own = [...stores.values()].filter((x) => x.subBrandId === subBrandId).map((x) => x._id)
    if (own.length === 0) throw new AppError('NOT_FOUND', '该子品牌下还没有门店')
    if (requested === undefined || requested === null) return own
    const unique = [...new Set(requested)]
    if (unique.some((id) => !own.includes(id))) throw new AppError('FORBIDDEN', '子品牌券只能在本子品牌的门店使用')
    return unique
  }
  if (storeId !== null) {
    if (!stores.has(storeId)) throw new AppError('NOT_FOUND', '门店不存在')
    if (requested !== undefined && (requested === null || requested.length !== 1 || requested[0] !== storeId)) {
      throw new AppError('FORBIDDEN', '门店券只能在本门店使用；全部门店通用的券请由总部创建')
    }
    return [storeId]
  }
  if (requested === undefined || requested === null) return null
  const unique = [...new Set(requested)]
  const unknown = unique.filter((id) => !stores.has(id))
  if (unknown.length > 0) throw new AppError('NOT_FOUND', '所选门店不存在')
  return unique
}

function newShortId(): string {
  // 8 characters of [A-Za-z0-9]: well inside wxacode.getUnlimited's 32-character scene.
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789'
  const bytes = randomBytes(8)
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')
}

export function adminTemplateView(t: CouponTemplateDoc, stores: Map<string, { name: string }>, subBrands: Map<string, string> = new Map()): AdminTemplateView {
  return {
    id: t._id,
    shortId: t.shortId,
    storeId: t.storeId,
    subBrandId: t.subBrandId ?? null,
    issuerName: t.storeId ? (stores.get(t.storeId)?.name ?? '') : t.subBrandId ? (subBrands.get(t.subBrandId) ?? '子品牌') : '总部',
    usableStoreIds: t.usableStoreIds,
    usableStoreNames: t.usableStoreIds ? t.usableStoreIds.map((id) => stores.get(id)?.name ?? '').filter(Boolean) : [],
    type: t.value.type,
    title: t.title,
    rulesText: t.rulesText,
    value: t.value,
    valueLabel: valueLabel(t.value),
    conditionLabel: conditionLabel(t.value),
    validity: t.validity,
    validityLabel: validityLabel(t.validity),
    stock: t.stock,
    remaining: Math.max(0, t.remaining),
    claimed: t.stock - Math.max(0, t.remaining),
    perMemberLimit: t.perMemberLimit,
    perDayLimit: t.perDayLimit,
    audience: t.audience,
    forwardable: t.forwardable,
    stackable: t.stackable,
    status: t.status,
    statusName: TEMPLATE_STATUS_NAMES[t.status],
    editable: t.claimedOnce ? 'limited' : 'all',
    transitions: [...TEMPLATE_TRANSITIONS[t.status]],
    createdAt: iso(t.createdAt) ?? '',
    updatedAt: iso(t.updatedAt) ?? '',
  }
}

async function loadTemplate(ctx: StaffActionContext, templateId: string): Promise<CouponTemplateDoc> {
  const t = await getDoc<CouponTemplateDoc>(ctx.db, COLLECTIONS.couponTemplates, templateId)
  if (!t) throw new AppError('NOT_FOUND', '券模板不存在')
  return t
}

/** Whose a template is, for the scope check: its store, its sub-brand (coupon-gaps), or HQ (no part: owner and HQ only). */
function issuerTarget(storeId: string | null, subBrandId: string | null | undefined): StoreTarget {
  return subBrandId ? { storeId: null, within: [{ subBrandId }] } : { storeId }
}

const templateTarget = async (input: { templateId: string }, ctx: StaffActionContext) => {
  const template = await loadTemplate(ctx, input.templateId)
  return { ...issuerTarget(template.storeId, template.subBrandId), template }
}

/** Sub-brand names by id (a merchant has a few). */
async function subBrandNames(ctx: StaffActionContext): Promise<Map<string, string>> {
  const rows = await list<SubBrandDoc>(ctx.db.collection(COLLECTIONS.subBrands).limit(100))
  return new Map(rows.map((b) => [b._id, b.name]))
}

export const couponTemplatesList = defineStaffAction(
  'couponTemplates.list',
  z.object({ status: z.enum(['draft', 'active', 'paused', 'ended']).optional() }).strict(),
  async (input, ctx) => {
    const _ = ctx.db.command
    const where: Record<string, unknown> = {}
    if (input.status) where.status = input.status
    // A store's manager sees the templates of their stores only; a sub-brand operator also their
    // sub-brand's (coupon-gaps); owner and HQ see all.
    const mine = ctx.staff.subBrandIds ?? []
    const query = seesAllStores(ctx.staff.role)
      ? where
      : mine.length
        ? _.or([{ ...where, storeId: _.in(ctx.staff.storeIds) }, { ...where, subBrandId: _.in(mine) }])
        : { ...where, storeId: _.in(ctx.staff.storeIds) }
    const [rows, stores, brands] = await Promise.all([
      list<CouponTemplateDoc>(ctx.db.collection(COLLECTIONS.couponTemplates).where(query).orderBy('createdAt', 'desc').limit(200)),
      storeNameMap(ctx.db),
      subBrandNames(ctx),
    ])
    return { templates: rows.map((t) => adminTemplateView(t, stores, brands)) }
  },
)

export const couponTemplatesGet = defineStaffAction('couponTemplates.get', z.object({ templateId: templateIdSchema }).strict(), {
  target: templateTarget,
  run: async (_input, ctx, { template }) => ({ template: adminTemplateView(template, await storeNameMap(ctx.db), await subBrandNames(ctx)) }),
})

function checkValidity(validity: CouponValidity | undefined, now: Date): void {
  const problem = validity ? validityProblem(validity, now) : null
  if (problem) throw new AppError('INVALID_INPUT', problem)
}

export const couponTemplatesCreate = defineStaffAction('couponTemplates.create', createSchema, {
  // null = an HQ template for every store: only roles that see every store pass; a sub-brand's: its operator and HQ.
  target: (input) => issuerTarget(input.storeId, input.subBrandId),
  run: async (input, ctx) => {
    const now = ctx.now()
    checkValidity(input.validity, now)
    const usableStoreIds = await usableStores(ctx, input.storeId, input.usableStoreIds, input.subBrandId)
    for (let attempt = 1; ; attempt += 1) {
      const doc: CouponTemplateDoc = {
        _id: `ct${randomBytes(8).toString('hex')}`,
        shortId: newShortId(),
        storeId: input.storeId,
        ...(input.subBrandId ? { subBrandId: input.subBrandId } : {}),
        usableStoreIds,
        title: input.title,
        rulesText: input.rulesText,
        value: input.value,
        validity: input.validity,
        stock: input.stock,
        remaining: input.stock,
        perMemberLimit: input.perMemberLimit,
        perDayLimit: input.perDayLimit,
        audience: input.audience,
        forwardable: input.forwardable,
        stackable: input.stackable,
        status: 'draft',
        version: 1,
        claimedOnce: false,
        createdBy: ctx.staff._id,
        createdAt: now,
        updatedAt: now,
      }
      const line = auditLine(ctx, 'couponTemplates.create', { storeId: doc.storeId, target: `coupon-template:${doc._id}`, summary: `新建${doc.subBrandId ? '子品牌' : ''}优惠券「${doc.title}」（${valueLabel(doc.value)}，库存 ${doc.stock}）` })
      try {
        await runTransaction(ctx.db, async (t) => {
          await t.collection(COLLECTIONS.couponTemplates).add({ data: doc })
          await writeAudit(t, line)
        })
        return { template: adminTemplateView(doc, await storeNameMap(ctx.db)) }
      } catch (e) {
        if (attempt < 3 && isDuplicateKey(e, 'shortId')) continue
        throw e
      }
    }
  },
})

export const couponTemplatesUpdate = defineStaffAction('couponTemplates.update', updateSchema, {
  target: templateTarget,
  run: async (input, ctx, { template: read }) => {
    const now = ctx.now()
    checkValidity(input.validity, now)
    const { templateId, ...changes } = input
    const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<typeof changes>
    const usableStoreIds = given.usableStoreIds !== undefined ? await usableStores(ctx, read.storeId, given.usableStoreIds, read.subBrandId) : undefined
    const line = auditLine(ctx, 'couponTemplates.update', { storeId: read.storeId, target: `coupon-template:${templateId}`, summary: `修改优惠券「${read.title}」：${Object.keys(given).join('、')}` })
    const _ = ctx.db.command
    await runTransaction(ctx.db, async (t) => {
      const current = await txGet<CouponTemplateDoc>(t, COLLECTIONS.couponTemplates, templateId)
      if (!current) throw new AppError('NOT_FOUND', '券模板不存在')
      if (current.status === 'ended') throw new AppError('INVALID_TRANSITION', '已结束的券不能再修改')
      if (current.claimedOnce) {
        const locked = Object.keys(given).filter((k) => !AFTER_CLAIM_EDITABLE.has(k))
        if (locked.length > 0) throw new AppError('TEMPLATE_LOCKED')
        if (given.stock !== undefined && given.stock < current.stock) throw new AppError('TEMPLATE_LOCKED', '已有人领取：库存只能增加')
      }
      const stockDelta = given.stock !== undefined ? given.stock - current.stock : 0
      const patch: Record<string, unknown> = { updatedAt: now, version: _.inc(1) }
      for (const key of ['title', 'rulesText', 'value', 'validity', 'perMemberLimit', 'perDayLimit', 'audience', 'forwardable', 'stackable'] as const) {
        if (given[key] !== undefined) patch[key] = given[key]
      }
      if (usableStoreIds !== undefined) patch.usableStoreIds = usableStoreIds
      // Relative, so a claim's conditional decrement committed meanwhile is kept (never set remaining outright).
      if (stockDelta !== 0) {
        patch.stock = _.inc(stockDelta)
        patch.remaining = _.inc(stockDelta)
      }
      await t.collection(COLLECTIONS.couponTemplates).doc(templateId).update({ data: patch })
      await writeAudit(t, line)
    })
    const updated = await loadTemplate(ctx, templateId)
    return { template: adminTemplateView(updated, await storeNameMap(ctx.db)) }
  },
})

/** draft → active ⇄ paused → ended, each from the state read (conditional), audited. */
export const couponTemplatesSetStatus = defineStaffAction(
  'couponTemplates.setStatus',
  z.object({ templateId: templateIdSchema, to: z.enum(['active', 'paused', 'ended']) }).strict(),
  {
    target: templateTarget,
    run: async (input, ctx, { template: read }) => {
      const now = ctx.now()
      const to: TemplateStatus = input.to
      const line = auditLine(ctx, 'couponTemplates.setStatus', {
        storeId: read.storeId,
        target: `coupon-template:${read._id}`,
        summary: `优惠券「${read.title}」${TEMPLATE_STATUS_NAMES[read.status]} → ${TEMPLATE_STATUS_NAMES[to]}`,
      })
      if (to === 'active' && read.validity.kind === 'fixed') {
        const problem = validityProblem(read.validity, now)
        if (problem) throw new AppError('INVALID_TRANSITION', `不能开始发放：${problem}`)
      }
      await runTransaction(ctx.db, async (t) => {
        const current = await txGet<CouponTemplateDoc>(t, COLLECTIONS.couponTemplates, read._id)
        if (!current) throw new AppError('NOT_FOUND', '券模板不存在')
        if (!TEMPLATE_TRANSITIONS[current.status].includes(to)) {
          throw new AppError('INVALID_TRANSITION', `${TEMPLATE_STATUS_NAMES[current.status]}的券不能${to === 'active' ? '开始发放' : to === 'paused' ? '暂停' : '结束'}`)
        }
        await t.collection(COLLECTIONS.couponTemplates).doc(read._id).update({ data: { status: to, updatedAt: now } })
        await writeAudit(t, line)
      })
      const updated = await loadTemplate(ctx, read._id)
      return { template: adminTemplateView(updated, await storeNameMap(ctx.db)) }
    },
  },
)

export const CLAIM_PAGE = 'coupons/pages/claim/index'

/**
 * The campaign link: the share card's path and a mini-program code (wxacode.getUnlimited, scene
 * `t=<shortId>`, ≤ 32 characters; the page reads decodeURIComponent(query.scene)). Returned as a
 * data URL, drawn by the page and saved to the album by the merchant.
 */
export const couponTemplatesLink = defineStaffAction('couponTemplates.link', z.object({ templateId: templateIdSchema }).strict(), {
  target: templateTarget,
  run: async (_input, ctx, { template }) => {
    const scene = `t=${template.shortId}`
    let qr: { errCode?: number; errMsg?: string; contentType?: string; buffer?: Buffer | Uint8Array }
    try {
      qr = await (ctx.cloud.openapi as OpenApi).wxacode.getUnlimited({ scene, page: CLAIM_PAGE, checkPath: false, width: 280 })
    } catch (e) {
      console.error('[coupon-link] wxacode.getUnlimited failed', e)
      throw new AppError('INTERNAL', '生成小程序码失败，请稍后重试')
    }
    if (qr.errCode || !qr.buffer) throw new AppError('INTERNAL', `生成小程序码失败：${qr.errMsg ?? '无图片'}`)
    return {
      scene,
      page: CLAIM_PAGE,
      sharePath: `${CLAIM_PAGE}?t=${template.shortId}`,
      shareTitle: `${template.title}｜${valueLabel(template.value)}`,
      qrDataUrl: `data:${qr.contentType || 'image/png'};base64,${Buffer.from(qr.buffer).toString('base64')}`,
    }
  },
})

