/** Money on the client: the customer types yuan, everything else is integer fen (rules in shared/money). */
import { parseYuanToFen } from '../shared/money'

export { formatFen, formatYuan, MAX_AMOUNT_FEN, parseYuanToFen, sanitizeAmountInput, type AmountParse } from '../shared/money'

const nothingTyped = parseYuanToFen('')
/** What a submit says when nothing was typed (while typing, an empty field shows no error). */
export const AMOUNT_REQUIRED = nothingTyped.ok ? '' : nothingTyped.message

/**
 * amount-input's `change` event: what the field holds, its fen when valid (else null), and the
 * error to show now ('' when valid or still empty). Parsed once, here, for every page; `value`
 * is what the field keeps (sanitizeAmountInput).
 */
export interface AmountChange {
  value: string
  fen: number | null
  error: string
}

export function amountChangeOf(value: string): AmountChange {
  const parsed = parseYuanToFen(value)
  if (parsed.ok) return { value, fen: parsed.fen, error: '' }
  return { value, fen: null, error: value === '' ? '' : parsed.message }
}
