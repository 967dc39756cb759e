/**
 * Every error code a cloud function can answer, in one place, with the Chinese message a
 * consumer or clerk sees by default. The mini program shows `message`; code is for logic.
 */
export const ERROR_MESSAGES = {
  INVALID_INPUT: '输入有误，请检查后重试',
  UNKNOWN_ACTION: '不支持的操作',
  UNAUTHENTICATED: '无法识别当前用户，请重新进入小程序',
  FORBIDDEN: '没有权限执行此操作',
  NOT_FOUND: '记录不存在',
  CONFLICT: '操作冲突，请稍后重试',
  INTERNAL: '系统繁忙，请稍后重试',
} as const satisfies Record<string, string>

export type ErrorCode = keyof typeof ERROR_MESSAGES

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
