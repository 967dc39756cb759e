/**
 * Formats a time the server sent (ISO string or Date) in the phone's local time, with the few
 * tokens the pages use: YYYY, MM, M, DD, D, HH, mm. Replaces dayjs here: the main package pays
 * for every byte on each cold start, and this is all of dayjs the pages used.
 */
export function isValidTime(input: string | Date | null | undefined): boolean {
  if (input === null || input === undefined || input === '') return false
  return !Number.isNaN(new Date(input).getTime())
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n))

export function formatTime(input: string | Date | null | undefined, pattern: string): string {
  if (!isValidTime(input)) return 'Invalid Date'
  const d = new Date(input as string | Date)
  const parts: Record<string, string> = {
    YYYY: String(d.getFullYear()),
    MM: pad(d.getMonth() + 1),
    M: String(d.getMonth() + 1),
    DD: pad(d.getDate()),
    D: String(d.getDate()),
    HH: pad(d.getHours()),
    mm: pad(d.getMinutes()),
  }
  return pattern.replace(/YYYY|MM|M|DD|D|HH|mm/g, (token) => parts[token] ?? token)
}
