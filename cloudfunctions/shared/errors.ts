import { ERROR_MESSAGES, type ErrorCode } from '../../miniprogram/shared/error-codes'

/** The codes and their messages live in miniprogram/shared/error-codes.ts, which the pages compile too. */
export { ERROR_MESSAGES, type ErrorCode }

/** A failure the caller should see as `{ ok: false, code, message }`; anything else is INTERNAL. */
export class AppError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message?: string) {
    super(message ?? ERROR_MESSAGES[code])
    this.name = 'AppError'
    this.code = code
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}
