import { formatTime, isValidTime } from '../../miniprogram/lib/date-format'

describe('formatTime', () => {
  // Local-time formatting, like the pages' former dayjs calls: built from local parts here too.
  const at = new Date(2026, 0, 5, 7, 3)
  it.each([
    ['YYYY-MM-DD HH:mm', '2026-01-05 07:03'],
    ['MM-DD HH:mm', '01-05 07:03'],
    ['YYYY年M月D日', '2026年1月5日'],
    ['YYYY-MM-DD', '2026-01-05'],
  ])('%s', (pattern, expected) => {
    expect(formatTime(at.toISOString(), pattern)).toBe(expected)
    expect(formatTime(at, pattern)).toBe(expected)
  })
  it('says Invalid Date for what is not a time, as dayjs did', () => {
    expect(formatTime('not a time', 'YYYY')).toBe('Invalid Date')
    expect(isValidTime(null)).toBe(false)
    expect(isValidTime('')).toBe(false)
    expect(isValidTime('2026-12-02T00:00:00.000Z')).toBe(true)
  })
})
