import { formatTime } from '../../lib/date-format'
import type { ActionOutput } from '../../../cloudfunctions/shared/contract'
import { formatYuan } from '../../lib/money'

export type CardData = ActionOutput<'member', 'card'>

export interface CardView {
  brandName: string
  logoUrl: string
  cardStyle: string
  textColor: string
  isMember: boolean
  memberNoText: string
  tierName: string
  pointsText: string
  debtText: string
  progressPercent: number
  growthText: string
  benefits: string[]
  birthdayText: string
  canSetBirthday: boolean
  phoneText: string
  statsText: string
}

const DEFAULT_BACKGROUND = '#1f2d3d'
const DEFAULT_TEXT = '#ffffff'

/** A CSS colour we are willing to put into a style attribute (hex, rgb(), or a gradient of those). */
export function safeColour(value: string | null | undefined, fallback: string): string {
  const v = (value ?? '').trim()
  if (/^#[0-9a-fA-F]{3,8}$/.test(v)) return v
  if (/^(rgb|rgba|linear-gradient)\([#0-9a-zA-Z.,%\s()-]*\)$/.test(v)) return v
  return fallback
}

/** "03-08" → "3月8日" */
export function birthdayText(mmdd: string | null): string {
  if (!mmdd) return ''
  const m = /^(\d{2})-(\d{2})$/.exec(mmdd)
  return m ? `${Number(m[1])}月${Number(m[2])}日` : ''
}

/** "12345678" → "1234 5678" */
export function memberNoText(no: string): string {
  return no.replace(/(\d{4})(?=\d)/g, '$1 ')
}

export function cardViewModel(data: CardData): CardView {
  const background = safeColour(data.brand.cardBackground, DEFAULT_BACKGROUND)
  const textColor = safeColour(data.brand.cardTextColor, DEFAULT_TEXT)
  const base = {
    brandName: data.brand.name || '会员中心',
    logoUrl: data.brand.logoUrl || '',
    cardStyle: `background: ${background}; color: ${textColor};`,
    textColor,
  }
  const m = data.member
  if (!m) {
    return {
      ...base,
      isMember: false,
      memberNoText: '',
      tierName: '',
      pointsText: '',
      debtText: '',
      progressPercent: 0,
      growthText: '',
      benefits: [],
      birthdayText: '',
      canSetBirthday: false,
      phoneText: '',
      statsText: '',
    }
  }
  const percent = Math.max(0, Math.min(100, Math.round(m.progressPercent)))
  return {
    ...base,
    isMember: true,
    memberNoText: memberNoText(m.memberNo),
    tierName: m.tierName,
    pointsText: String(m.points),
    debtText: m.pointsDebt > 0 ? `待抵扣 ${m.pointsDebt} 积分` : '',
    progressPercent: m.nextTierName ? percent : 100,
    growthText: m.nextTierName ? `再获得 ${m.growthToNext} 成长值升级为「${m.nextTierName}」` : '已是最高等级，感谢您的支持',
    benefits: m.benefits,
    birthdayText: birthdayText(m.birthday),
    canSetBirthday: !m.birthday,
    phoneText: m.phoneMasked ?? '',
    statsText: `累计消费 ${formatYuan(m.totalSpentFen)} · 到店 ${m.visitCount} 次 · ${formatTime(m.joinedAt, 'YYYY年M月D日')}加入`,
  }
}

/** Month and day columns for the birthday picker. */
export const MONTH_OPTIONS = Array.from({ length: 12 }, (_, i) => ({ label: `${i + 1}月`, value: String(i + 1).padStart(2, '0') }))
export const DAY_OPTIONS = Array.from({ length: 31 }, (_, i) => ({ label: `${i + 1}日`, value: String(i + 1).padStart(2, '0') }))
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** ['02', '30'] → null (no such day); ['02', '29'] → '02-29' */
export function monthDayOf(month: string, day: string): string | null {
  const m = Number(month)
  const d = Number(day)
  if (!Number.isInteger(m) || !Number.isInteger(d) || m < 1 || m > 12 || d < 1 || d > DAYS_IN_MONTH[m - 1]) return null
  return `${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

