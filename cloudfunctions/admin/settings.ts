import { z } from 'zod'
import { COLLECTIONS } from '../shared/collections'
import type { MerchantSettings } from '../domain/merchant-settings'
import {
  BENEFIT_MAX_CHARS,
  BRAND_MAX_CHARS,
  checkTiers,
  FEN_PER_POINT_MAX,
  FEN_PER_POINT_MIN,
  HEX_COLOR,
  HIGH_SPEND_FEN_MAX,
  HIGH_SPEND_FEN_MIN,
  INVITER_POINTS_MAX,
  LAPSE_DAYS_MAX,
  LAPSE_DAYS_MIN,
  LOGO_URL_MAX,
  MAX_BENEFITS,
  MAX_TIERS,
  MIN_GROWTH_MAX,
  MULTIPLIER_MAX,
  MULTIPLIER_MIN,
  TIER_NAME_MAX_CHARS,
  APPROVAL_ABOVE_FEN_MAX,
  APPROVAL_ABOVE_FEN_MIN,
  checkCashierCaps,
  checkReferralCaps,
  DAILY_CAP_FEN_MAX,
  DAILY_CAP_FEN_MIN,
  FAILED_ATTEMPTS_MAX,
  FAILED_ATTEMPTS_MIN,
  MIN_QUALIFYING_FEN_MAX,
  REFERRAL_DAILY_CAP_MAX,
  REFERRAL_MONTHLY_CAP_MAX,
  SETTINGS_FIELD_NAMES,
} from '../../miniprogram/shared/settings-rules'
import { textField } from '../shared/text-input'
import { AppError } from '../shared/errors'
import { checkContent } from '../services/content-check'
import { MERCHANT_DOC_ID } from '../services/documents'
import { loadSettings, settingsFrom } from '../services/settings'
import { runTransaction, txGet } from '../services/db-util'
import { auditLine, writeAudit } from '../services/audit'
import { defineStaffAction } from './staff-context'

/** Only the settings' own fields (the stored doc also carries _id, updatedAt …). */
function settingsView(s: MerchantSettings): MerchantSettings {
  return {
    brandName: s.brandName,
    logoUrl: s.logoUrl,
    card: { background: s.card.background, textColor: s.card.textColor },
    fenPerPoint: s.fenPerPoint,
    tiers: s.tiers.map((t) => ({ level: t.level, name: t.name, minGrowth: t.minGrowth, multiplierPercent: t.multiplierPercent, benefits: [...t.benefits] })),
    referral: {
      qualifyingAction: s.referral.qualifyingAction,
      inviterPoints: s.referral.inviterPoints,
      minQualifyingFen: s.referral.minQualifyingFen,
      dailyCap: s.referral.dailyCap,
      monthlyCap: s.referral.monthlyCap,
      riskCheck: s.referral.riskCheck,
    },
    cashier: {
      approvalAboveFen: s.cashier.approvalAboveFen,
      clerkDailyCapFen: s.cashier.clerkDailyCapFen,
      storeDailyCapFen: s.cashier.storeDailyCapFen,
      typedNumberCheck: s.cashier.typedNumberCheck,
      failedAttemptsPerMinute: s.cashier.failedAttemptsPerMinute,
    },
    lapseDays: s.lapseDays,
    highSpendFen: s.highSpendFen,
  }
}

const color = z.string().regex(HEX_COLOR, '颜色格式应为 #RRGGBB')

const tierSchema = z
  .object({
    /** Ignored: levels follow the order of the list (1 = lowest). */
    level: z.number().int().optional(),
    name: textField({ label: '等级名称', max: TIER_NAME_MAX_CHARS }),
    minGrowth: z.number().int().min(0).max(MIN_GROWTH_MAX),
    multiplierPercent: z.number().int().min(MULTIPLIER_MIN, '积分倍率应在 100% 到 500% 之间').max(MULTIPLIER_MAX, '积分倍率应在 100% 到 500% 之间'),
    benefits: z.array(textField({ label: '权益描述', max: BENEFIT_MAX_CHARS })).max(MAX_BENEFITS, `每个等级最多 ${MAX_BENEFITS} 条权益`),
  })
  .strict()

const updateSchema = z
  .object({
    brandName: textField({ label: SETTINGS_FIELD_NAMES.brandName, max: BRAND_MAX_CHARS }),
    logoUrl: z.string().max(LOGO_URL_MAX).regex(/^(|https:\/\/\S+|cloud:\/\/\S+)$/, '图片地址应以 https:// 或 cloud:// 开头'),
    card: z.object({ background: color, textColor: color }).strict(),
    fenPerPoint: z.number().int().min(FEN_PER_POINT_MIN, '积分规则应为每 1 到 100000 分钱 1 积分').max(FEN_PER_POINT_MAX, '积分规则应为每 1 到 100000 分钱 1 积分'),
    tiers: z
      .array(tierSchema)
      .min(1, '至少需要一个会员等级')
      .max(MAX_TIERS)
      .superRefine((tiers, c) => {
        const problem = checkTiers(tiers)
        if (problem) c.addIssue({ code: z.ZodIssueCode.custom, message: problem })
      }),
    referral: z
      .object({
        qualifyingAction: z.enum(['join', 'firstPayment']),
        inviterPoints: z.number().int().min(0).max(INVITER_POINTS_MAX),
        // Optional so an older page that sends only the first two keeps working.
        minQualifyingFen: z.number().int().min(0).max(MIN_QUALIFYING_FEN_MAX).optional(),
        dailyCap: z.number().int().min(0).max(REFERRAL_DAILY_CAP_MAX).optional(),
        monthlyCap: z.number().int().min(0).max(REFERRAL_MONTHLY_CAP_MAX).optional(),
        riskCheck: z.boolean().optional(),
      })
      .strict(),
    cashier: z
      .object({
        approvalAboveFen: z.number().int().min(APPROVAL_ABOVE_FEN_MIN, '审批金额至少 1 元').max(APPROVAL_ABOVE_FEN_MAX),
        clerkDailyCapFen: z.number().int().min(DAILY_CAP_FEN_MIN, '每日上限至少 1 元').max(DAILY_CAP_FEN_MAX),
        storeDailyCapFen: z.number().int().min(DAILY_CAP_FEN_MIN, '每日上限至少 1 元').max(DAILY_CAP_FEN_MAX),
        typedNumberCheck: z.enum(['phoneLast4', 'managerApproval']),
        failedAttemptsPerMinute: z.number().int().min(FAILED_ATTEMPTS_MIN).max(FAILED_ATTEMPTS_MAX),
      })
      .strict()
      .superRefine((v, c) => {
        const problem = checkCashierCaps(v)
        if (problem) c.addIssue({ code: z.ZodIssueCode.custom, message: problem })
      }),
    lapseDays: z.number().int().min(LAPSE_DAYS_MIN).max(LAPSE_DAYS_MAX),
    highSpendFen: z.number().int().min(HIGH_SPEND_FEN_MIN).max(HIGH_SPEND_FEN_MAX),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: '没有需要修改的内容' })

// every field the update takes has its Chinese name (a type error otherwise)
const FIELD_NAMES: Record<keyof z.output<typeof updateSchema>, string> = SETTINGS_FIELD_NAMES

export const settingsGet = defineStaffAction('settings.get', z.object({}).strict(), async (_input, ctx) => {
  return { settings: settingsView(await loadSettings(ctx.db)) }
})

/**
 * Owner only. Writes the whole merged settings document, so what is stored is always complete
 * and valid; read, merge and write in one transaction so two edits at once cannot lose either.
 */
export const settingsUpdate = defineStaffAction('settings.update', updateSchema, async (input, ctx) => {
  const { staff } = ctx
  // What consumers will read (brand on the card, tier names and benefits) passes WeChat's content check first.
  const visible = [input.brandName ?? '', ...(input.tiers ?? []).flatMap((t) => [t.name, ...t.benefits])].filter(Boolean)
  await checkContent(ctx, visible)
  const fields = Object.keys(input).map((k) => FIELD_NAMES[k as keyof typeof input] ?? k)
  const line = auditLine(ctx, 'settings.update', { storeId: null, target: 'settings', summary: `修改商家设置：${fields.join('、')}` })
  return runTransaction(ctx.db, async (t) => {
    const current = settingsView(settingsFrom(await txGet<Partial<MerchantSettings>>(t, COLLECTIONS.merchant, MERCHANT_DOC_ID)))
    const next: MerchantSettings = {
      ...current,
      ...(input.brandName !== undefined ? { brandName: input.brandName } : {}),
      ...(input.logoUrl !== undefined ? { logoUrl: input.logoUrl } : {}),
      ...(input.card ? { card: input.card } : {}),
      ...(input.fenPerPoint !== undefined ? { fenPerPoint: input.fenPerPoint } : {}),
      ...(input.tiers
        ? {
            tiers: input.tiers.map((tier, i) => ({ level: i + 1, name: tier.name, minGrowth: tier.minGrowth, multiplierPercent: tier.multiplierPercent, benefits: tier.benefits })),
          }
        : {}),
      ...(input.referral ? { referral: { ...current.referral, ...input.referral } } : {}),
      ...(input.cashier ? { cashier: input.cashier } : {}),
      ...(input.lapseDays !== undefined ? { lapseDays: input.lapseDays } : {}),
      ...(input.highSpendFen !== undefined ? { highSpendFen: input.highSpendFen } : {}),
    }
    const caps = checkReferralCaps(next.referral.dailyCap, next.referral.monthlyCap)
    if (caps) throw new AppError('INVALID_INPUT', caps)
    await t.collection(COLLECTIONS.merchant).doc(MERCHANT_DOC_ID).set({ data: { ...next, updatedAt: ctx.now(), updatedBy: staff.openid } })
    await writeAudit(t, line)
    return { settings: next }
  })
})
