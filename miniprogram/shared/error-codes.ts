/**
 * Every error code a cloud function answers (`{ ok: false, code, message }`), with the Chinese
 * message a person sees by default. A page reacts to `code` (typed here); it shows `message`,
 * which the server may make more precise than the default.
 */
export const ERROR_MESSAGES = {
  INVALID_INPUT: '输入有误，请检查后重试',
  UNKNOWN_ACTION: '不支持的操作',
  UNAUTHENTICATED: '无法识别当前用户，请重新进入小程序',
  FORBIDDEN: '没有权限执行此操作',
  NOT_FOUND: '记录不存在',
  CONFLICT: '操作冲突，请稍后重试',
  INTERNAL: '系统繁忙，请稍后重试',

  // Staff invites and owner setup (admin.joinStaff, admin.bootstrapOwner).
  INVITE_USED: '该邀请码已被使用，请向邀请人重新获取',
  INVITE_EXPIRED: '该邀请码已过期（有效期 48 小时），请向邀请人重新获取',
  ALREADY_STAFF: '您已是商家员工，无需再次加入',
  OWNER_BOUND: '店主已绑定，其他员工请通过邀请码加入',

  // Members (member.bindInviter).
  ALREADY_MEMBER: '您已是会员，无法再接受好友邀请',

  // Coupons and games: claimed, redeemed or played within a stock, a per-member limit and a time window.
  SOLD_OUT: '已经被领完了',
  LIMIT_REACHED: '已达到领取上限',
  ALREADY_USED: '已经使用过了',
  EXPIRED: '已过期',
  NOT_STARTED: '活动尚未开始',

  // Chain: staff management (admin.staff.revokeInvite, joinStaff).
  INVITE_REVOKED: '该邀请码已被撤销，请向邀请人重新获取',
} as const satisfies Record<string, string>

export type ErrorCode = keyof typeof ERROR_MESSAGES

/** Codes only the mini program's transport produces (no answer, or an answer of the wrong shape). */
export type TransportErrorCode = 'NETWORK' | 'BAD_RESPONSE'

/** What a page may see in a failed call's `code`. */
export type ClientErrorCode = ErrorCode | TransportErrorCode

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, v)
}
