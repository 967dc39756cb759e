import type { MerchantSettings, QualifyingAction, TierRule } from '../../../../cloudfunctions/domain/merchant-settings'
import { formatFen, formatYuan, parseYuanToFen } from '../../../lib/money'

import {
  BENEFIT_MAX_CHARS,
  BRAND_MAX_CHARS,
  checkTiers,
  FEN_PER_POINT_MAX,
  FEN_PER_POINT_MIN,
  HEX_COLOR,
  INVITER_POINTS_MAX,
  LAPSE_DAYS_MAX,
  LAPSE_DAYS_MIN,
  MAX_BENEFITS,
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
  TYPED_NUMBER_CHECK_NAMES,
  SETTINGS_FIELD_NAMES,
  type TypedNumberCheck,
} from '../../../shared/settings-rules'

/**
 * 商家设置: settings ↔ form, the page's checks (the rules themselves are the server's, from
 * miniprogram/shared/settings-rules.ts) and the partial update the page sends.
 */
export const QUALIFYING_ACTIONS: { value: QualifyingAction; label: string }[] = [
  { value: 'firstPayment', label: '首次消费' },
  { value: 'join', label: '成为会员' },
]

/** How a clerk's typed member number is confirmed (counter fraud). */
export const TYPED_NUMBER_CHECKS: { value: TypedNumberCheck; label: string }[] = (Object.keys(TYPED_NUMBER_CHECK_NAMES) as TypedNumberCheck[]).map((value) => ({
  value,
  label: TYPED_NUMBER_CHECK_NAMES[value],
}))

export interface TierForm {
  /** Only for wx:key; never sent. */
  key: string
  name: string
  minGrowth: string
  /** Times, as typed: "1.2" for 120 %. */
  multiplier: string
  /** Comma / 顿号 separated. */
  benefits: string
}

export interface SettingsForm {
  brandName: string
  background: string
  textColor: string
  /** Yuan of spend per point. */
  yuanPerPoint: string
  inviterPoints: string
  qualifyingAction: QualifyingAction
  lapseDays: string
  highSpendYuan: string
  tiers: TierForm[]
  // Referral farming and counter fraud (issue 12).
  minQualifyingYuan: string
  referralDailyCap: string
  referralMonthlyCap: string
  riskCheck: boolean
  approvalAboveYuan: string
  clerkDailyCapYuan: string
  storeDailyCapYuan: string
  typedNumberCheck: TypedNumberCheck
  failedAttemptsPerMinute: string
}

/** The fields the page edits (logoUrl is left alone). */
export type EditableSettings = Omit<MerchantSettings, 'logoUrl'>

/** What settings.update accepts: any subset of the fields. */
export type SettingsPatch = Partial<Omit<EditableSettings, 'tiers'>> & { tiers?: Omit<TierRule, 'level'>[] }

export type FormParse = { ok: true; value: EditableSettings } | { ok: false; message: string }

/** 100 → "1", 150 → "1.5", 1234 → "12.34": amounts in a form, without trailing zeros. */
export function fenToYuanText(fen: number): string {
  return formatFen(fen).replace(/\.?0+$/, '')
}

/** 120 → "1.2", 100 → "1", 125 → "1.25". */
export function percentToTimes(percent: number): string {
  return fenToYuanText(percent)
}

/** "1.2" → 120; null when it is not a number with at most two decimals. */
export function timesToPercent(raw: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(raw.trim())
  if (!m) return null
  return Number(m[1]) * 100 + Number(`${m[2] ?? ''}00`.slice(0, 2))
}

/** Splits 「生日礼券、专属客服, 新品试饮」 into its items. */
export function splitBenefits(raw: string): string[] {
  return raw
    .split(/[,，、;；\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

export function joinBenefits(benefits: readonly string[]): string {
  return benefits.join('、')
}

let keySeq = 0
export function newTierKey(): string {
  keySeq += 1
  return `t${keySeq}`
}

export function tierToForm(t: Omit<TierRule, 'level'>): TierForm {
  return { key: newTierKey(), name: t.name, minGrowth: String(t.minGrowth), multiplier: percentToTimes(t.multiplierPercent), benefits: joinBenefits(t.benefits) }
}

export function settingsToForm(s: MerchantSettings): SettingsForm {
  return {
    brandName: s.brandName,
    background: s.card.background,
    textColor: s.card.textColor,
    yuanPerPoint: fenToYuanText(s.fenPerPoint),
    inviterPoints: String(s.referral.inviterPoints),
    qualifyingAction: s.referral.qualifyingAction,
    lapseDays: String(s.lapseDays),
    highSpendYuan: fenToYuanText(s.highSpendFen),
    tiers: s.tiers.map(tierToForm),
    minQualifyingYuan: fenToYuanText(s.referral.minQualifyingFen),
    referralDailyCap: String(s.referral.dailyCap),
    referralMonthlyCap: String(s.referral.monthlyCap),
    riskCheck: s.referral.riskCheck,
    approvalAboveYuan: fenToYuanText(s.cashier.approvalAboveFen),
    clerkDailyCapYuan: fenToYuanText(s.cashier.clerkDailyCapFen),
    storeDailyCapYuan: fenToYuanText(s.cashier.storeDailyCapFen),
    typedNumberCheck: s.cashier.typedNumberCheck,
    failedAttemptsPerMinute: String(s.cashier.failedAttemptsPerMinute),
  }
}

/** Yuan typed in a form → fen within [min, max] (amounts above ¥100000 allowed here: caps are totals). */
function yuanIn(raw: string, min: number, max: number): number | null {
  const m = /^(\d{1,8})(?:\.(\d{0,2}))?$/.exec(raw.trim())
  if (!m) return null
  const fen = Number(m[1]) * 100 + Number(`${m[2] ?? ''}00`.slice(0, 2))
  return fen >= min && fen <= max ? fen : null
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

function parseFraudFields(f: SettingsForm): Parsed<{ referral: Omit<EditableSettings['referral'], 'qualifyingAction' | 'inviterPoints'>; cashier: EditableSettings['cashier'] }> {
  const minQualifyingFen = yuanIn(f.minQualifyingYuan, 0, MIN_QUALIFYING_FEN_MAX)
  if (minQualifyingFen === null) return { ok: false, message: `奖励门槛应为 0 到 ${MIN_QUALIFYING_FEN_MAX / 100} 元` }
  const dailyCap = intIn(f.referralDailyCap, 0, REFERRAL_DAILY_CAP_MAX)
  if (dailyCap === null) return { ok: false, message: `每日奖励上限应为 0 到 ${REFERRAL_DAILY_CAP_MAX} 的整数` }
  const monthlyCap = intIn(f.referralMonthlyCap, 0, REFERRAL_MONTHLY_CAP_MAX)
  if (monthlyCap === null) return { ok: false, message: `每月奖励上限应为 0 到 ${REFERRAL_MONTHLY_CAP_MAX} 的整数` }
  const caps = checkReferralCaps(dailyCap, monthlyCap)
  if (caps) return { ok: false, message: caps }
  const approvalAboveFen = yuanIn(f.approvalAboveYuan, APPROVAL_ABOVE_FEN_MIN, APPROVAL_ABOVE_FEN_MAX)
  if (approvalAboveFen === null) return { ok: false, message: `审批金额应为 ${APPROVAL_ABOVE_FEN_MIN / 100} 到 ${APPROVAL_ABOVE_FEN_MAX / 100} 元` }
  const clerkDailyCapFen = yuanIn(f.clerkDailyCapYuan, DAILY_CAP_FEN_MIN, DAILY_CAP_FEN_MAX)
  if (clerkDailyCapFen === null) return { ok: false, message: `店员每日上限应为 ${DAILY_CAP_FEN_MIN / 100} 到 ${DAILY_CAP_FEN_MAX / 100} 元` }
  const storeDailyCapFen = yuanIn(f.storeDailyCapYuan, DAILY_CAP_FEN_MIN, DAILY_CAP_FEN_MAX)
  if (storeDailyCapFen === null) return { ok: false, message: `门店每日上限应为 ${DAILY_CAP_FEN_MIN / 100} 到 ${DAILY_CAP_FEN_MAX / 100} 元` }
  const cashierCaps = checkCashierCaps({ approvalAboveFen, clerkDailyCapFen, storeDailyCapFen })
  if (cashierCaps) return { ok: false, message: cashierCaps }
  const failedAttemptsPerMinute = intIn(f.failedAttemptsPerMinute, FAILED_ATTEMPTS_MIN, FAILED_ATTEMPTS_MAX)
  if (failedAttemptsPerMinute === null) return { ok: false, message: `每分钟失败次数应为 ${FAILED_ATTEMPTS_MIN} 到 ${FAILED_ATTEMPTS_MAX} 的整数` }
  if (!TYPED_NUMBER_CHECKS.some((c) => c.value === f.typedNumberCheck)) return { ok: false, message: '请选择手输会员号的核验方式' }
  return {
    ok: true,
    value: {
      referral: { minQualifyingFen, dailyCap, monthlyCap, riskCheck: f.riskCheck },
      cashier: { approvalAboveFen, clerkDailyCapFen, storeDailyCapFen, typedNumberCheck: f.typedNumberCheck, failedAttemptsPerMinute },
    },
  }
}

/** A blank tier to fill in, its threshold above the last one's. */
export function blankTier(after: readonly TierForm[]): TierForm {
  const last = after[after.length - 1]
  const lastGrowth = last && /^\d+$/.test(last.minGrowth.trim()) ? Number(last.minGrowth.trim()) : null
  return { key: newTierKey(), name: '', minGrowth: lastGrowth === null ? '' : String(lastGrowth + 1000), multiplier: last ? last.multiplier : '1', benefits: '' }
}

function intIn(raw: string, min: number, max: number): number | null {
  const s = raw.trim()
  if (!/^\d{1,12}$/.test(s)) return null
  const n = Number(s)
  return n >= min && n <= max ? n : null
}

const YUAN_CAP_MESSAGE = '单笔金额不能超过 100000 元'

function parseTier(t: TierForm, i: number): { ok: true; tier: Omit<TierRule, 'level'> } | { ok: false; message: string } {
  const at = `第 ${i + 1} 个等级：`
  const name = t.name.trim()
  if (!name) return { ok: false, message: `${at}请输入等级名称` }
  if (name.length > TIER_NAME_MAX_CHARS) return { ok: false, message: `${at}等级名称最多 ${TIER_NAME_MAX_CHARS} 个字` }
  if (!t.minGrowth.trim()) return { ok: false, message: `${at}请输入成长值门槛` }
  const minGrowth = intIn(t.minGrowth, 0, MIN_GROWTH_MAX)
  if (minGrowth === null) return { ok: false, message: `${at}成长值门槛应为 0 到 ${MIN_GROWTH_MAX} 的整数` }
  const percent = timesToPercent(t.multiplier)
  if (percent === null || percent < MULTIPLIER_MIN || percent > MULTIPLIER_MAX) return { ok: false, message: `${at}积分倍率应在 1 到 5 倍之间` }
  const benefits = splitBenefits(t.benefits)
  if (benefits.length > MAX_BENEFITS) return { ok: false, message: `${at}最多 ${MAX_BENEFITS} 条权益` }
  if (benefits.some((b) => b.length > BENEFIT_MAX_CHARS)) return { ok: false, message: `${at}每条权益最多 ${BENEFIT_MAX_CHARS} 个字` }
  return { ok: true, tier: { name, minGrowth, multiplierPercent: percent, benefits } }
}

/** The form as settings, or the first problem in the words the page shows. */
export function parseForm(f: SettingsForm): FormParse {
  const brandName = f.brandName.trim()
  if (!brandName) return { ok: false, message: '请输入品牌名称' }
  if (brandName.length > BRAND_MAX_CHARS) return { ok: false, message: `品牌名称最多 ${BRAND_MAX_CHARS} 个字` }
  const background = f.background.trim()
  const textColor = f.textColor.trim()
  if (!HEX_COLOR.test(background)) return { ok: false, message: '卡面背景色格式应为 #RRGGBB' }
  if (!HEX_COLOR.test(textColor)) return { ok: false, message: '卡面文字色格式应为 #RRGGBB' }

  const perPoint = parseYuanToFen(f.yuanPerPoint)
  if (!perPoint.ok && perPoint.message !== YUAN_CAP_MESSAGE) return { ok: false, message: `积分规则：${perPoint.message}` }
  if (!perPoint.ok || perPoint.fen < FEN_PER_POINT_MIN || perPoint.fen > FEN_PER_POINT_MAX) {
    return { ok: false, message: `积分规则应为每 0.01 到 ${FEN_PER_POINT_MAX / 100} 元得 1 积分` }
  }

  const inviterPoints = intIn(f.inviterPoints, 0, INVITER_POINTS_MAX)
  if (inviterPoints === null) return { ok: false, message: `推荐奖励积分应为 0 到 ${INVITER_POINTS_MAX} 的整数` }
  if (!QUALIFYING_ACTIONS.some((a) => a.value === f.qualifyingAction)) return { ok: false, message: '请选择推荐奖励的条件' }
  const lapseDays = intIn(f.lapseDays, LAPSE_DAYS_MIN, LAPSE_DAYS_MAX)
  if (lapseDays === null) return { ok: false, message: `沉睡天数应为 ${LAPSE_DAYS_MIN} 到 ${LAPSE_DAYS_MAX} 的整数` }

  const highSpend = parseYuanToFen(f.highSpendYuan)
  if (!highSpend.ok) {
    return { ok: false, message: highSpend.message === YUAN_CAP_MESSAGE ? '高消费门槛不能超过 100000 元' : `高消费门槛：${highSpend.message}` }
  }

  if (f.tiers.length === 0) return { ok: false, message: '至少需要一个会员等级' }
  const tiers: TierRule[] = []
  for (let i = 0; i < f.tiers.length; i += 1) {
    const t = parseTier(f.tiers[i], i)
    if (!t.ok) return t
    tiers.push({ level: i + 1, ...t.tier })
  }
  const problem = checkTiers(tiers)
  if (problem) return { ok: false, message: problem }
  const fraud = parseFraudFields(f)
  if (!fraud.ok) return fraud

  return {
    ok: true,
    value: {
      brandName,
      card: { background, textColor },
      fenPerPoint: perPoint.fen,
      tiers,
      referral: { qualifyingAction: f.qualifyingAction, inviterPoints, ...fraud.value.referral },
      cashier: fraud.value.cashier,
      lapseDays,
      highSpendFen: highSpend.fen,
    },
  }
}

function sameTiers(a: readonly Omit<TierRule, 'level'>[], b: readonly Omit<TierRule, 'level'>[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (x, i) =>
        x.name === b[i].name &&
        x.minGrowth === b[i].minGrowth &&
        x.multiplierPercent === b[i].multiplierPercent &&
        x.benefits.length === b[i].benefits.length &&
        x.benefits.every((s, j) => s === b[i].benefits[j]),
    )
  )
}

/** Only the fields that changed (tiers go whole, without levels); null when nothing did. */
export function diffSettings(before: MerchantSettings, after: EditableSettings): SettingsPatch | null {
  const patch: SettingsPatch = {}
  if (after.brandName !== before.brandName) patch.brandName = after.brandName
  if (after.card.background !== before.card.background || after.card.textColor !== before.card.textColor) {
    patch.card = { background: after.card.background, textColor: after.card.textColor }
  }
  if (after.fenPerPoint !== before.fenPerPoint) patch.fenPerPoint = after.fenPerPoint
  if (!sameTiers(after.tiers, before.tiers)) {
    patch.tiers = after.tiers.map((t) => ({ name: t.name, minGrowth: t.minGrowth, multiplierPercent: t.multiplierPercent, benefits: [...t.benefits] }))
  }
  const r = after.referral
  const r0 = before.referral
  if (
    r.qualifyingAction !== r0.qualifyingAction ||
    r.inviterPoints !== r0.inviterPoints ||
    r.minQualifyingFen !== r0.minQualifyingFen ||
    r.dailyCap !== r0.dailyCap ||
    r.monthlyCap !== r0.monthlyCap ||
    r.riskCheck !== r0.riskCheck
  ) {
    patch.referral = { ...r }
  }
  const k = after.cashier
  const k0 = before.cashier
  if (
    k.approvalAboveFen !== k0.approvalAboveFen ||
    k.clerkDailyCapFen !== k0.clerkDailyCapFen ||
    k.storeDailyCapFen !== k0.storeDailyCapFen ||
    k.typedNumberCheck !== k0.typedNumberCheck ||
    k.failedAttemptsPerMinute !== k0.failedAttemptsPerMinute
  ) {
    patch.cashier = { ...k }
  }
  if (after.lapseDays !== before.lapseDays) patch.lapseDays = after.lapseDays
  if (after.highSpendFen !== before.highSpendFen) patch.highSpendFen = after.highSpendFen
  return Object.keys(patch).length ? patch : null
}

export interface CardPreview {
  brandName: string
  tierName: string
  style: string
}

/** The member card as the form would make it; a colour still being typed keeps the saved one. */
export function cardPreview(f: SettingsForm, saved: MerchantSettings): CardPreview {
  const bg = HEX_COLOR.test(f.background.trim()) ? f.background.trim() : saved.card.background
  const fg = HEX_COLOR.test(f.textColor.trim()) ? f.textColor.trim() : saved.card.textColor
  return {
    brandName: f.brandName.trim() || saved.brandName,
    tierName: f.tiers[0]?.name.trim() || saved.tiers[0]?.name || '',
    style: `background: ${bg}; color: ${fg};`,
  }
}

export function pointsRuleText(fenPerPoint: number): string {
  return `每消费 ${fenToYuanText(fenPerPoint)} 元得 1 积分`
}

export function referralText(r: MerchantSettings['referral']): string {
  const when = QUALIFYING_ACTIONS.find((a) => a.value === r.qualifyingAction)?.label ?? ''
  return `好友${when}后，邀请人得 ${r.inviterPoints} 积分`
}

export interface ReadonlyView {
  rows: { label: string; value: string }[]
  tiers: { key: string; name: string; line: string; benefits: string }[]
}

/** What non-owners see. */
export function readonlyView(s: MerchantSettings): ReadonlyView {
  return {
    rows: [
      { label: SETTINGS_FIELD_NAMES.brandName, value: s.brandName },
      { label: SETTINGS_FIELD_NAMES.card, value: `背景 ${s.card.background} · 文字 ${s.card.textColor}` },
      { label: SETTINGS_FIELD_NAMES.fenPerPoint, value: pointsRuleText(s.fenPerPoint) },
      { label: SETTINGS_FIELD_NAMES.referral, value: referralText(s.referral) },
      { label: SETTINGS_FIELD_NAMES.lapseDays, value: `${s.lapseDays} 天未到店` },
      { label: SETTINGS_FIELD_NAMES.highSpendFen, value: `累计消费 ${formatYuan(s.highSpendFen)}` },
      {
        label: '邀请防刷',
        value: `好友消费满 ${formatYuan(s.referral.minQualifyingFen)} 才奖励 · 每人每日 ${s.referral.dailyCap} 个、每月 ${s.referral.monthlyCap} 个${s.referral.riskCheck ? ' · 微信风险检查' : ''}`,
      },
      {
        label: SETTINGS_FIELD_NAMES.cashier,
        value: `店员单笔超过 ${formatYuan(s.cashier.approvalAboveFen)} 需店长审批 · 店员每日 ${formatYuan(s.cashier.clerkDailyCapFen)} · 门店每日 ${formatYuan(s.cashier.storeDailyCapFen)} · 手输会员号${TYPED_NUMBER_CHECK_NAMES[s.cashier.typedNumberCheck]}`,
      },
    ],
    tiers: s.tiers.map((t, i) => ({
      key: `r${i}`,
      name: t.name,
      line: `成长值 ≥ ${t.minGrowth} · 积分 ${percentToTimes(t.multiplierPercent)} 倍`,
      benefits: t.benefits.length ? joinBenefits(t.benefits) : '暂无权益',
    })),
  }
}
