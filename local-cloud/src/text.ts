/**
 * A wire value as text for a message or a key: strings as they are, other primitives by
 * String(), objects as JSON (or their tag when they cannot be serialised), nothing as ''.
 */
export function textOf(v: unknown): string {
  if (v === undefined || v === null) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (typeof v === 'symbol') return v.toString()
  try {
    return JSON.stringify(v) ?? Object.prototype.toString.call(v)
  } catch {
    return Object.prototype.toString.call(v)
  }
}
