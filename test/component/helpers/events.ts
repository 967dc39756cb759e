import { amountChangeOf } from '../../../miniprogram/lib/money'

/** What amount-input emits after the person typed `value` (already sanitised by the field). */
export function amountEvent(value: string): { detail: ReturnType<typeof amountChangeOf> } {
  return { detail: amountChangeOf(value) }
}
