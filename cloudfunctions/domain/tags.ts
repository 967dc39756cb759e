import type { MerchantSettings } from './merchant-settings'

/** Automatic behaviour tags, recomputed from a member's facts whenever they change (and daily). */
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

/** Month in China time (UTC+8), the merchant's calendar. */
function chinaMonth(d: Date): number {
  return new Date(d.getTime() + 8 * 3_600_000).getUTCMonth() + 1
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
