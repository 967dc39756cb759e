/**
 * A focused parser for the 7-field cron of WeChat cloud-function timers
 * (`second minute hour day month week year`), written here because common cron libraries take 5
 * or 6 fields and differ on day/week semantics. Supported per field: `*`, numbers, `a-b`, lists
 * `a,b`, steps `*\/n`, `a/n`, `a-b/n`; month names JAN–DEC and week names SUN–SAT (week 0 =
 * Sunday; 7 is also accepted as Sunday). When both day and week are restricted a time matches
 * either of them (classic cron, as the Tencent SCF docs describe). Times are evaluated in
 * China Standard Time (UTC+8), the time zone of the cloud's timers.
 */
export interface CronSchedule {
  source: string
  seconds: boolean[]
  minutes: boolean[]
  hours: boolean[]
  days: boolean[]
  months: boolean[]
  weekdays: boolean[]
  years: boolean[]
  dayRestricted: boolean
  weekRestricted: boolean
}

const MIN_YEAR = 1970
const MAX_YEAR = 2099
export const CRON_UTC_OFFSET_MS = 8 * 3600_000

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

export function parseCron(source: string): CronSchedule {
  const parts = source.trim().split(/\s+/)
  if (parts.length !== 7) {
    throw new Error(`cron "${source}": expected 7 fields (second minute hour day month week year), got ${parts.length}`)
  }
  const [s, mi, h, d, mo, w, y] = parts
  const weekdays = field(w, 0, 7, WEEKDAYS, 0, 'week')
  if (weekdays[7]) weekdays[0] = true
  return {
    source,
    seconds: field(s, 0, 59, null, 0, 'second'),
    minutes: field(mi, 0, 59, null, 0, 'minute'),
    hours: field(h, 0, 23, null, 0, 'hour'),
    days: field(d, 1, 31, null, 0, 'day'),
    months: field(mo, 1, 12, MONTHS, 1, 'month'),
    weekdays: weekdays.slice(0, 7),
    years: field(y, MIN_YEAR, MAX_YEAR, null, 0, 'year'),
    dayRestricted: !isWildcard(d),
    weekRestricted: !isWildcard(w),
  }
}

function isWildcard(text: string): boolean {
  return text === '*' || text === '?'
}

/** Allowed values of one field as a lookup table indexed by value. */
function field(text: string, min: number, max: number, names: string[] | null, nameBase: number, label: string): boolean[] {
  const allowed = new Array<boolean>(max + 1).fill(false)
  const value = (token: string): number => {
    const upper = token.toUpperCase()
    const named = names ? names.indexOf(upper) : -1
    const n = named >= 0 ? named + nameBase : /^\d+$/.test(token) ? Number(token) : NaN
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`cron ${label} field: invalid value "${token}"`)
    return n
  }
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/')
    const step = stepText === undefined ? 1 : Number(stepText)
    if (!Number.isInteger(step) || step < 1 || item.split('/').length > 2) {
      throw new Error(`cron ${label} field: invalid step in "${item}"`)
    }
    let lo: number
    let hi: number
    if (isWildcard(range)) {
      lo = min
      hi = max
    } else if (range.includes('-')) {
      const [a, b] = range.split('-')
      lo = value(a)
      hi = value(b)
      if (lo > hi) throw new Error(`cron ${label} field: empty range "${range}"`)
    } else {
      lo = value(range)
      hi = stepText === undefined ? lo : max
    }
    for (let v = lo; v <= hi; v += step) allowed[v] = true
  }
  return allowed
}

/** The first time strictly after `after` (ms epoch) that matches, or null if none before 2100. */
export function nextFire(schedule: CronSchedule, after: number): number | null {
  // Work on a clock shifted to UTC+8 and read it with getUTC*.
  let t = Math.floor((after + CRON_UTC_OFFSET_MS) / 1000) * 1000 + 1000
  for (let guard = 0; guard < 500_000; guard++) {
    const d = new Date(t)
    const year = d.getUTCFullYear()
    if (year > MAX_YEAR) return null
    if (!schedule.years[year]) {
      t = Date.UTC(year + 1, 0, 1)
      continue
    }
    if (!schedule.months[d.getUTCMonth() + 1]) {
      t = Date.UTC(year, d.getUTCMonth() + 1, 1)
      continue
    }
    if (!dayMatches(schedule, d.getUTCDate(), d.getUTCDay())) {
      t = Date.UTC(year, d.getUTCMonth(), d.getUTCDate() + 1)
      continue
    }
    if (!schedule.hours[d.getUTCHours()]) {
      t = Date.UTC(year, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1)
      continue
    }
    if (!schedule.minutes[d.getUTCMinutes()]) {
      t = Date.UTC(year, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes() + 1)
      continue
    }
    if (!schedule.seconds[d.getUTCSeconds()]) {
      t += 1000
      continue
    }
    return t - CRON_UTC_OFFSET_MS
  }
  return null
}

function dayMatches(s: CronSchedule, day: number, weekday: number): boolean {
  if (s.dayRestricted && s.weekRestricted) return s.days[day] || s.weekdays[weekday]
  return s.days[day] && s.weekdays[weekday]
}
