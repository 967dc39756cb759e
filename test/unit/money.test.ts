import { formatFen, formatYuan, MAX_AMOUNT_FEN, parseYuanToFen, sanitizeAmountInput } from '../../miniprogram/lib/money'

describe('parseYuanToFen', () => {
  it.each([
    ['1', 100],
    ['0.01', 1],
    ['0.1', 10],
    ['12.', 1200],
    ['19.90', 1990],
    ['0.29', 29], // 0.29 * 100 = 28.999999999999996 in floating point
    ['1.13', 113],
    ['4.35', 435],
    ['00012.30', 1230],
    [' 88.8 ', 8880],
    ['100000', MAX_AMOUNT_FEN],
    ['100000.00', MAX_AMOUNT_FEN],
  ])('%s 元 → %d 分', (input, fen) => {
    expect(parseYuanToFen(input)).toEqual({ ok: true, fen })
  })

  it.each([
    ['', '请输入金额'],
    ['0', '金额需大于 0'],
    ['0.00', '金额需大于 0'],
    ['12.345', '金额最多保留两位小数'],
    ['100000.01', '单笔金额不能超过 100000 元'],
    ['1000000', '单笔金额不能超过 100000 元'],
    ['-1', '请输入正确的金额'],
    ['.5', '请输入正确的金额'],
    ['1e3', '请输入正确的金额'],
    ['1.2.3', '请输入正确的金额'],
    ['abc', '请输入正确的金额'],
  ])('refuses %j: %s', (input, message) => {
    expect(parseYuanToFen(input)).toEqual({ ok: false, message })
  })

  it('matches integer arithmetic for every cent up to 10 元', () => {
    for (let fen = 1; fen <= 1000; fen += 1) {
      const text = `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
      expect(parseYuanToFen(text)).toEqual({ ok: true, fen })
    }
  })
})

describe('sanitizeAmountInput and formatting', () => {
  it('keeps digits, one dot and two decimals', () => {
    expect(sanitizeAmountInput('12.345')).toBe('12.34')
    expect(sanitizeAmountInput('1.2.3')).toBe('1.23')
    expect(sanitizeAmountInput('¥ 8a8')).toBe('88')
  })
  it('formats fen', () => {
    expect(formatFen(1990)).toBe('19.90')
    expect(formatFen(5)).toBe('0.05')
    expect(formatFen(-5)).toBe('-0.05')
    expect(formatYuan(128000)).toBe('¥1280.00')
  })
})
