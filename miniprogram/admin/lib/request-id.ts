/** A v4-style UUID for idempotent submits (the server dedupes on it). */
export function newClientRequestId(random: () => number = Math.random): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('')
  const variant = (8 + Math.floor(random() * 4)).toString(16)
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`
}

/**
 * One id per submit attempt: the same payload submitted again (a retry after a dropped
 * network) keeps its id, so the server records it once; a different payload, or the next
 * submit after a success, gets a fresh one.
 */
export class SubmitIds {
  private pending: { key: string; id: string } | null = null
  constructor(private readonly make: () => string = () => newClientRequestId()) {}

  idFor(payload: unknown): string {
    const key = JSON.stringify(payload)
    if (!this.pending || this.pending.key !== key) this.pending = { key, id: this.make() }
    return this.pending.id
  }

  /** After a success (or when the form is reset) the next submit is a new one. */
  done(): void {
    this.pending = null
  }
}
