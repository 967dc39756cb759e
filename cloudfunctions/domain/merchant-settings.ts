import type { TypedNumberCheck } from '../../miniprogram/shared/settings-rules'

/** Merchant-wide settings and their defaults. Money in fen; multipliers in percent. */
export interface TierRule {
  level: number
  name: string
  /** Growth value needed to reach this tier (1 growth per yuan spent). */
  minGrowth: number
  /** Points multiplier in percent: 100 = ×1, 150 = ×1.5. */
  multiplierPercent: number
  benefits: string[]
}

export type QualifyingAction = 'join' | 'firstPayment'

/** Referral rules: what earns the inviter a reward, and how often (farming limits). */
export interface ReferralSettings {
  qualifyingAction: QualifyingAction
  inviterPoints: number
  /** The invitee's qualifying payment must be at least this (fen); below it the reward is refused. */
  minQualifyingFen: number
  /** Rewarded referrals per inviter per China day and per China month. */
  dailyCap: number
  monthlyCap: number
  /** Ask WeChat's riskControl.getUserRiskRank (marketing scene) before rewarding (real cloud only). */
  riskCheck: boolean
}

/** Counter-fraud limits of the cashier (admin.cashier.capture). */
export interface CashierSettings {
  /** A sale above this (fen) recorded by a clerk waits for a manager's approval. */
  approvalAboveFen: number
  /** Cashier totals per China day: per recording staff member and per store (fen). */
  clerkDailyCapFen: number
  storeDailyCapFen: number
  /** What confirms a member number typed instead of scanning the member's code. */
  typedNumberCheck: TypedNumberCheck
  /** Failed code/number attempts per staff member per minute before further attempts are refused. */
  failedAttemptsPerMinute: number
}

export interface MerchantSettings {
  brandName: string
  logoUrl: string
  card: { background: string; textColor: string }
  /** Fen of spend per point before the tier multiplier (100 = 1 point per yuan). */
  fenPerPoint: number
  tiers: TierRule[]
  referral: ReferralSettings
  cashier: CashierSettings
  /** Days without a visit after which a member is 沉睡. */
  lapseDays: number
  /** Total spend from which a member is 高消费. */
  highSpendFen: number
}

/** What a new deployment runs with until the owner sets its own (settings.update). */
export const DEFAULT_SETTINGS: MerchantSettings = {
  brandName: '会员中心',
  logoUrl: '',
  card: { background: '#1f2a44', textColor: '#f5e6c8' },
  fenPerPoint: 100,
  tiers: [
    { level: 1, name: '银卡会员', minGrowth: 0, multiplierPercent: 100, benefits: ['消费积分', '生日礼券'] },
    { level: 2, name: '金卡会员', minGrowth: 500, multiplierPercent: 120, benefits: ['积分 1.2 倍', '生日礼券', '新品优先试饮'] },
    { level: 3, name: '黑金会员', minGrowth: 2000, multiplierPercent: 150, benefits: ['积分 1.5 倍', '生日双倍礼', '专属客服'] },
  ],
  referral: { qualifyingAction: 'firstPayment', inviterPoints: 200, minQualifyingFen: 1000, dailyCap: 10, monthlyCap: 50, riskCheck: true },
  cashier: { approvalAboveFen: 50_000, clerkDailyCapFen: 500_000, storeDailyCapFen: 2_000_000, typedNumberCheck: 'phoneLast4', failedAttemptsPerMinute: 10 },
  lapseDays: 60,
  highSpendFen: 100000,
}
