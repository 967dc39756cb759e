/** Money on both sides: people type yuan, everything stored or sent is integer fen. */

/** The largest single amount accepted (100 000 元): cashier capture and the pay page. */
export const MAX_AMOUNT_FEN = 10_000_000
export const MAX_AMOUNT_MESSAGE = '单笔金额不能超过 100000 元'

export type AmountParse = { ok: true; fen: number } | { ok: false; message: string }

/**
 * Parses what was typed in yuan ("12", "12.3", "12.34", "0.01") into integer fen without going
 * through floating point: the integer and decimal parts are read as digit strings.
 */
export function parseYuanToFen(raw: string): AmountParse {
  const s = raw.trim()
  if (s === '') return { ok: false, message: '请输入金额' }
  if (/^\d+\.\d{3,}$/.test(s)) return { ok: false, message: '金额最多保留两位小数' }
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(s)
  if (!m) return { ok: false, message: '请输入正确的金额' }
  const intDigits = (m[1] ?? '').replace(/^0+(?=\d)/, '')
  if (intDigits.length > 6) return { ok: false, message: MAX_AMOUNT_MESSAGE }
  const fen = Number(intDigits) * 100 + Number(`${m[2] ?? ''}00`.slice(0, 2))
  if (fen <= 0) return { ok: false, message: '金额需大于 0' }
  if (fen > MAX_AMOUNT_FEN) return { ok: false, message: MAX_AMOUNT_MESSAGE }
  return { ok: true, fen }
}

/** Keeps only what an amount field may hold while typing: digits and one dot, two decimals. */
export function sanitizeAmountInput(raw: string): string {
  const cleaned = raw.replace(/[^\d.]/g, '')
  const dot = cleaned.indexOf('.')
  if (dot < 0) return cleaned
  return `${cleaned.slice(0, dot)}.${cleaned.slice(dot + 1).replace(/\./g, '').slice(0, 2)}`
}

/** 1234 → "12.34", -5 → "-0.05" */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(Math.round(fen))
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** 1234 → "¥12.34" */
export function formatYuan(fen: number): string {
  return `¥${formatFen(fen)}`
}
