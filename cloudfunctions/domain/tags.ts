import type { MerchantSettings } from './merchant-settings'

/**
 * Automatic behaviour tags, recomputed from a member's facts whenever they change, and for the
 * ones that change with time alone (新会员, 活跃, 沉睡, 本月生日) once per China day: when a read
 * finds them computed on an earlier day (services/member-tags.ts), or ahead of time by the daily
 * timer where the runtime has one (member/tags-refresh.ts).
 */
export const AUTO_TAGS = {
  newMember: '新会员',
  active: '活跃',
  lapsing: '沉睡',
  highSpender: '高消费',
  birthdayThisMonth: '本月生日',
  referred: '好友推荐',
} as const

const DAY_MS = 86_400_000
const NEW_MEMBER_DAYS = 30
const ACTIVE_DAYS = 30

export interface TagFacts {
  joinedAt: Date
  lastVisitAt: Date | null
  totalSpentFen: number
  /** 'MM-DD' */
  birthday: string | null
  referrerOpenid: string | null
  storeVisits: Record<string, number>
}

/** The favourite store: most visits, ties broken by store id for a stable answer. */
export function favouriteStore(visits: Record<string, number>): string | null {
  let best: string | null = null
  for (const [store, n] of Object.entries(visits)) {
    if (best === null || n > (visits[best] ?? 0) || (n === visits[best] && store < best)) best = store
  }
  return best
}

const CHINA_OFFSET_MS = 8 * 3_600_000

/** Month in China time (UTC+8), the merchant's calendar. */
function chinaMonth(d: Date): number {
  return new Date(d.getTime() + CHINA_OFFSET_MS).getUTCMonth() + 1
}

/** The day in China time (UTC+8) as 'YYYY-MM-DD'. */
export function chinaDay(d: Date): string {
  return new Date(d.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10)
}

/**
 * What a member's autoTags were computed under: the China day and the settings they depend on.
 * Tags stamped differently (an earlier day, or before the owner changed 沉睡/高消费 thresholds)
 * are stale and recomputed when read.
 */
export function tagStamp(settings: Pick<MerchantSettings, 'lapseDays' | 'highSpendFen'>, now: Date): string {
  return `${chinaDay(now)}|${settings.lapseDays}|${settings.highSpendFen}`
}

export function computeAutoTags(facts: TagFacts, settings: Pick<MerchantSettings, 'lapseDays' | 'highSpendFen'>, now: Date): string[] {
  const tags: string[] = []
  const age = now.getTime() - facts.joinedAt.getTime()
  if (age <= NEW_MEMBER_DAYS * DAY_MS) tags.push(AUTO_TAGS.newMember)
  const sinceVisit = facts.lastVisitAt ? now.getTime() - facts.lastVisitAt.getTime() : Infinity
  if (sinceVisit <= ACTIVE_DAYS * DAY_MS) tags.push(AUTO_TAGS.active)
  if (sinceVisit > settings.lapseDays * DAY_MS) tags.push(AUTO_TAGS.lapsing)
  if (facts.totalSpentFen >= settings.highSpendFen) tags.push(AUTO_TAGS.highSpender)
  if (facts.birthday && Number(facts.birthday.slice(0, 2)) === chinaMonth(now)) tags.push(AUTO_TAGS.birthdayThisMonth)
  if (facts.referrerOpenid) tags.push(AUTO_TAGS.referred)
  return tags
}
