import { CODE128_PATTERNS, code128Bars, code128Widths, encodeCode128, START_B, START_C, STOP } from '../../miniprogram/lib/code128'

/** Decodes widths back to symbol values using the table (the reader's side). */
function decode(widths: number[]): number[] {
  const out: number[] = []
  let i = 0
  while (i < widths.length) {
    const six = widths.slice(i, i + 6).join('')
    const seven = widths.slice(i, i + 7).join('')
    if (seven === CODE128_PATTERNS[STOP]) {
      out.push(STOP)
      i += 7
    } else {
      const v = CODE128_PATTERNS.indexOf(six)
      if (v < 0) throw new Error(`no symbol ${six}`)
      out.push(v)
      i += 6
    }
  }
  return out
}

describe('Code 128 table', () => {
  it('has 107 distinct patterns of 11 modules (stop: 13) with an even bar sum', () => {
    expect(CODE128_PATTERNS).toHaveLength(107)
    expect(new Set(CODE128_PATTERNS).size).toBe(107)
    CODE128_PATTERNS.forEach((p, v) => {
      const w = p.split('').map(Number)
      expect(w.reduce((a, b) => a + b, 0)).toBe(v === STOP ? 13 : 11)
      // ISO/IEC 15417: the bars of every symbol character add up to an even number of modules
      if (v !== STOP) expect((w[0] + w[2] + w[4]) % 2).toBe(0)
    })
  })
})

describe('encodeCode128', () => {
  it('encodes text in code set B with the weighted modulo-103 checksum', () => {
    // "PJJ123C": 104 + 48·1 + 42·2 + 42·3 + 17·4 + 18·5 + 19·6 + 35·7 = 879, 879 mod 103 = 55
    expect(encodeCode128('PJJ123C')).toEqual([START_B, 48, 42, 42, 17, 18, 19, 35, 55, STOP])
  })
  it('encodes an even run of digits in code set C', () => {
    // 105 + 12·1 + 34·2 + 56·3 = 353, 353 mod 103 = 44
    expect(encodeCode128('123456')).toEqual([START_C, 12, 34, 56, 44, STOP])
  })
  it('encodes the 19-digit member code as B + CODE C + nine pairs', () => {
    const symbols = encodeCode128('1000002312345654321')
    expect(symbols.slice(0, 3)).toEqual([START_B, 17, 99])
    expect(symbols.slice(3, 12)).toEqual([0, 0, 2, 31, 23, 45, 65, 43, 21])
    const data = symbols.slice(1, -2)
    const check = data.reduce((sum, v, i) => sum + v * (i + 1), START_B) % 103
    expect(symbols[symbols.length - 2]).toBe(check)
    expect(symbols).toHaveLength(14)
  })
  it('round-trips through the table and starts and ends with a bar', () => {
    for (const text of ['1000002312345654321', 'Hello, 会员'.replace(/[^\x20-\x7e]/g, '?'), '12', 'A']) {
      const widths = code128Widths(text)
      expect(decode(widths)).toEqual(encodeCode128(text))
      expect(widths.length % 2).toBe(1)
    }
    const { bars, totalModules } = code128Bars('1000002312345654321')
    expect(totalModules).toBe(14 * 11 + 2)
    expect(bars[0]).toEqual([0, 2])
  })
  it('refuses what Code 128 B cannot carry', () => {
    expect(() => encodeCode128('')).toThrow()
    expect(() => encodeCode128('会员')).toThrow()
  })
})
