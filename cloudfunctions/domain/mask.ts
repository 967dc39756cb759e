/** Personal data shown to staff is masked: enough to confirm with the customer, not to copy. */

/** 13812345678 → 138****5678; anything shorter keeps only its last 2 characters. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return ''
  if (phone.length >= 7) return `${phone.slice(0, 3)}****${phone.slice(-4)}`
  return `${'*'.repeat(Math.max(0, phone.length - 2))}${phone.slice(-2)}`
}
