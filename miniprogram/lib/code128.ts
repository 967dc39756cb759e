/**
 * A compact Code 128 encoder (ISO/IEC 15417) for the member barcode: code set B for text, code
 * set C for runs of digits (the 19-digit member code becomes 14 symbols instead of 22, so the
 * bars stay wide enough for counter scanners).
 */

/** Element widths (bar, space, bar, …) of symbols 0–106; 106 is the stop pattern. */
// prettier-ignore
export const CODE128_PATTERNS: readonly string[] = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
]

export const START_B = 104
export const START_C = 105
export const CODE_C = 99
export const STOP = 106

/** Symbol values: start, data, checksum, stop. Throws on characters outside printable ASCII. */
export function encodeCode128(text: string): number[] {
  if (text.length === 0) throw new Error('Code128: empty text')
  for (const ch of text) {
    const c = ch.charCodeAt(0)
    if (ch.length !== 1 || c < 32 || c > 126) throw new Error(`Code128: unsupported character ${JSON.stringify(ch)}`)
  }
  const data: number[] = []
  let start: number
  if (/^\d+$/.test(text) && text.length >= 4) {
    let rest = text
    if (text.length % 2 === 1) {
      // odd: the first digit in set B, then switch to C for the pairs
      start = START_B
      data.push(text.charCodeAt(0) - 32, CODE_C)
      rest = text.slice(1)
    } else {
      start = START_C
    }
    for (let i = 0; i < rest.length; i += 2) data.push(Number(rest.slice(i, i + 2)))
  } else {
    start = START_B
    for (const ch of text) data.push(ch.charCodeAt(0) - 32)
  }
  let sum = start
  data.forEach((v, i) => (sum += v * (i + 1)))
  return [start, ...data, sum % 103, STOP]
}

/** Bar/space widths in modules, bar first, for the whole symbol (without quiet zones). */
export function code128Widths(text: string): number[] {
  return encodeCode128(text).flatMap((v) => CODE128_PATTERNS[v].split('').map(Number))
}

/** Bars as [x, width] in modules, for drawing. */
export function code128Bars(text: string): { bars: [number, number][]; totalModules: number } {
  const widths = code128Widths(text)
  const bars: [number, number][] = []
  let x = 0
  widths.forEach((w, i) => {
    if (i % 2 === 0) bars.push([x, w])
    x += w
  })
  return { bars, totalModules: x }
}
