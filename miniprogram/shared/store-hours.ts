/**
 * A store's 营业中 / 已打烊 from its opening hours, in China time (UTC+8, no daylight saving), the
 * same for the 门店 page, the pay page and the functions (the 客服 bot's 营业时间 answer).
 *
 * Stores keep hours as the text staff type (stores.create/update: up to STORE_HOURS_MAX
 * characters), e.g. 「07:30-22:00」, 「08:00-14:00, 17:00-22:00」, 「22:00-02:00」 (past midnight)
 * or 「24小时」. Text this rule cannot read is shown as typed, with no open/closed state:
 * better no badge than a wrong one. A store switched off (status 'closed', what createOrder
 * refuses) is never listed to consumers; these hours only say whether it is open right now.
 */

export type OpenState = 'open' | 'closed' | 'unknown'

export interface HoursRange {
  /** Minutes after midnight, China time. */
  start: number
  /** Minutes after midnight; ≤ start means the range runs past midnight. */
  end: number
}

export const OPEN_STATE_TEXT: Record<OpenState, string> = { open: '营业中', closed: '已打烊', unknown: '' }

const CHINA_OFFSET_MS = 8 * 3_600_000
const ALL_DAY = /^(全天|24\s*小时|24h|00:00\s*-\s*24:00)(营业)?$/i
const RANGE = /^(\d{1,2})[:：](\d{2})\s*(?:-|–|—|~|～|至|到)\s*(\d{1,2})[:：](\d{2})$/

/** Minutes after midnight in China time at `at`. */
export function chinaMinutes(at: Date): number {
  const t = new Date(at.getTime() + CHINA_OFFSET_MS)
  return t.getUTCHours() * 60 + t.getUTCMinutes()
}

/** The ranges the text names, or null when it is not in a form this rule reads. */
export function parseHours(text: string): HoursRange[] | null {
  const trimmed = text.trim()
  if (!trimmed) return null
  if (ALL_DAY.test(trimmed)) return [{ start: 0, end: 24 * 60 }]
  const parts = trimmed.split(/\s*[,，、;；/]\s*|\s+(?=\d{1,2}[:：]\d{2}\s*(?:-|–|—|~|～|至|到))/).filter(Boolean)
  const ranges: HoursRange[] = []
  for (const part of parts) {
    const m = RANGE.exec(part)
    if (!m) return null
    const [sh, sm, eh, em] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number]
    if (sh > 24 || eh > 24 || sm > 59 || em > 59 || (sh === 24 && sm > 0) || (eh === 24 && em > 0)) return null
    const start = sh * 60 + sm
    const end = eh * 60 + em
    if (start === end) return null
    ranges.push({ start: start === 24 * 60 ? 0 : start, end })
  }
  return ranges.length ? ranges : null
}

function inRange(r: HoursRange, minute: number): boolean {
  if (r.end > r.start) return minute >= r.start && minute < r.end
  // Past midnight: open from start to 24:00 and from 0:00 to end.
  return minute >= r.start || minute < r.end
}

/** Whether a store with these hours is open at `at` ('unknown' when the hours cannot be read). */
export function openStateAt(hours: string, at: Date): OpenState {
  const ranges = parseHours(hours)
  if (!ranges) return 'unknown'
  const minute = chinaMinutes(at)
  return ranges.some((r) => inRange(r, minute)) ? 'open' : 'closed'
}
