import type { ErrorCode } from './errors'

/** What every client-invoked action answers. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; code: ErrorCode; message: string }

/** The event the mini program sends to a function with action routing. */
export interface ActionEvent {
  action: string
  input?: unknown
}
