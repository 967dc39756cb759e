/**
 * Rules a merchant's settings must keep, whatever the admin page sends: the server's zod schema
 * (cloudfunctions/admin/settings.ts) and the 商家设置 page's form checks both use these.
 */
export const BRAND_MAX_CHARS = 20
export const TIER_NAME_MAX_CHARS = 10
export const MAX_TIERS = 10
/** Points multiplier in percent (100 = ×1). */
export const MULTIPLIER_MIN = 100
export const MULTIPLIER_MAX = 500
export const FEN_PER_POINT_MIN = 1
export const FEN_PER_POINT_MAX = 100_000
export const INVITER_POINTS_MAX = 100_000
export const LAPSE_DAYS_MIN = 1
export const LAPSE_DAYS_MAX = 3650
export const MIN_GROWTH_MAX = 1_000_000_000
export const BENEFIT_MAX_CHARS = 20
export const MAX_BENEFITS = 10
export const HIGH_SPEND_FEN_MIN = 1
export const HIGH_SPEND_FEN_MAX = 10_000_000_000
export const LOGO_URL_MAX = 500

export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/

export interface TierInput {
  name: string
  minGrowth: number
}

/**
 * Tiers must start at growth 0 (every member has a tier), climb strictly, and have distinct
 * names. Returns the Chinese reason for the first problem, or null when they are fine.
 */
export function checkTiers(tiers: readonly TierInput[]): string | null {
  if (tiers.length === 0) return '至少需要一个会员等级'
  if (tiers.length > MAX_TIERS) return `会员等级最多 ${MAX_TIERS} 个`
  if (tiers[0].minGrowth !== 0) return '第一个会员等级的成长值门槛必须为 0'
  for (let i = 1; i < tiers.length; i += 1) {
    if (tiers[i].minGrowth <= tiers[i - 1].minGrowth) return '会员等级的成长值门槛必须从低到高递增'
  }
  if (new Set(tiers.map((t) => t.name)).size !== tiers.length) return '会员等级名称不能重复'
  return null
}

// Counter fraud and referral farming (issue 12): caps a merchant sets; defaults in
// cloudfunctions/domain/merchant-settings.ts.
/** A single cashier sale above this needs a manager's approval (fen). */
export const APPROVAL_ABOVE_FEN_MIN = 100
export const APPROVAL_ABOVE_FEN_MAX = 10_000_000
/** Daily cashier totals (China day), per clerk and per store (fen). */
export const DAILY_CAP_FEN_MIN = 100
export const DAILY_CAP_FEN_MAX = 1_000_000_000
/** Failed member-code / member-number attempts a staff member may make per minute. */
export const FAILED_ATTEMPTS_MIN = 1
export const FAILED_ATTEMPTS_MAX = 30
/** The smallest invitee payment that earns the inviter a reward (fen). */
export const MIN_QUALIFYING_FEN_MAX = 10_000_000
export const REFERRAL_DAILY_CAP_MAX = 1000
export const REFERRAL_MONTHLY_CAP_MAX = 10_000

/** How a member number typed at the cashier is confirmed. */
export type TypedNumberCheck = 'phoneLast4' | 'managerApproval'
export const TYPED_NUMBER_CHECK_NAMES: Record<TypedNumberCheck, string> = {
  phoneLast4: '核对手机号后 4 位',
  managerApproval: '店长审批',
}

/** Referral caps must make sense together: a day's cap cannot exceed the month's. */
export function checkReferralCaps(dailyCap: number, monthlyCap: number): string | null {
  if (dailyCap > monthlyCap) return '每日奖励上限不能大于每月奖励上限'
  return null
}

/** Daily caps must make sense together: one clerk's day cannot exceed the store's. */
export function checkCashierCaps(c: { approvalAboveFen: number; clerkDailyCapFen: number; storeDailyCapFen: number }): string | null {
  if (c.clerkDailyCapFen > c.storeDailyCapFen) return '店员每日收银上限不能大于门店每日收银上限'
  return null
}

// Deploy-gaps (issue 18): one list of the settings fields' Chinese names.
/**
 * What each merchant setting is called wherever a person reads it: the 商家设置 page's labels and
 * the audit line a change leaves (修改商家设置：…). One list, so the trail names a change the way
 * the page the owner made it on does.
 */
export const SETTINGS_FIELD_NAMES = {
  brandName: '品牌名称',
  logoUrl: '品牌标志',
  card: '卡面颜色',
  fenPerPoint: '积分规则',
  tiers: '会员等级',
  cashier: '收银风控',
  referral: '推荐奖励',
  lapseDays: '沉睡天数',
  highSpendFen: '高消费门槛',
} as const
export type SettingsField = keyof typeof SETTINGS_FIELD_NAMES
