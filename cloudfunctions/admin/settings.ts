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
} from '../../miniprogram/shared/settings-rules'
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
    referral: { qualifyingAction: s.referral.qualifyingAction, inviterPoints: s.referral.inviterPoints },
    lapseDays: s.lapseDays,
    highSpendFen: s.highSpendFen,
  }
}

const color = z.string().regex(HEX_COLOR, '颜色格式应为 #RRGGBB')

const tierSchema = z
  .object({
    /** Ignored: levels follow the order of the list (1 = lowest). */
    level: z.number().int().optional(),
    name: z.string().trim().min(1, '请输入等级名称').max(TIER_NAME_MAX_CHARS, `等级名称最多 ${TIER_NAME_MAX_CHARS} 个字`),
    minGrowth: z.number().int().min(0).max(MIN_GROWTH_MAX),
    multiplierPercent: z.number().int().min(MULTIPLIER_MIN, '积分倍率应在 100% 到 500% 之间').max(MULTIPLIER_MAX, '积分倍率应在 100% 到 500% 之间'),
    benefits: z.array(z.string().trim().min(1).max(BENEFIT_MAX_CHARS, `权益描述最多 ${BENEFIT_MAX_CHARS} 个字`)).max(MAX_BENEFITS, `每个等级最多 ${MAX_BENEFITS} 条权益`),
  })
  .strict()

const updateSchema = z
  .object({
    brandName: z.string().trim().min(1, '请输入品牌名称').max(BRAND_MAX_CHARS, `品牌名称最多 ${BRAND_MAX_CHARS} 个字`),
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
    referral: z.object({ qualifyingAction: z.enum(['join', 'firstPayment']), inviterPoints: z.number().int().min(0).max(INVITER_POINTS_MAX) }).strict(),
    lapseDays: z.number().int().min(LAPSE_DAYS_MIN).max(LAPSE_DAYS_MAX),
    highSpendFen: z.number().int().min(HIGH_SPEND_FEN_MIN).max(HIGH_SPEND_FEN_MAX),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: '没有需要修改的内容' })

const SETTINGS_FIELD_NAMES: Record<keyof z.output<typeof updateSchema>, string> = {
  brandName: '品牌名称',
  logoUrl: '品牌标志',
  card: '会员卡样式',
  fenPerPoint: '积分规则',
  tiers: '会员等级',
  referral: '邀请奖励',
  lapseDays: '流失天数',
  highSpendFen: '高消费标准',
}

export const settingsGet = defineStaffAction('settings.get', z.object({}).strict(), async (_input, ctx) => {
  return { settings: settingsView(await loadSettings(ctx.db)) }
})

/**
 * Owner only. Writes the whole merged settings document, so what is stored is always complete
 * and valid; read, merge and write in one transaction so two edits at once cannot lose either.
 */
export const settingsUpdate = defineStaffAction('settings.update', updateSchema, async (input, ctx) => {
  const { staff } = ctx
  const fields = Object.keys(input).map((k) => SETTINGS_FIELD_NAMES[k as keyof typeof input] ?? k)
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
      ...(input.referral ? { referral: input.referral } : {}),
      ...(input.lapseDays !== undefined ? { lapseDays: input.lapseDays } : {}),
      ...(input.highSpendFen !== undefined ? { highSpendFen: input.highSpendFen } : {}),
    }
    await t.collection(COLLECTIONS.merchant).doc(MERCHANT_DOC_ID).set({ data: { ...next, updatedAt: ctx.now(), updatedBy: staff.openid } })
    await writeAudit(t, line)
    return { settings: next }
  })
})
