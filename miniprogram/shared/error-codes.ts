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

  // Counter fraud at the cashier, phone claims and content checks (issue 12, fraud).
  CASHIER_SELF: '不能为自己的会员账户记录消费',
  CASHIER_STAFF_MEMBER: '员工本人的会员消费须由店长或以上角色记录',
  CASHIER_CLERK_DAILY_CAP: '您今日的收银总额已达上限，请联系店长',
  CASHIER_STORE_DAILY_CAP: '本店今日的收银总额已达上限，请联系店长',
  PHONE_CHECK_REQUIRED: '手动输入会员号时，请核对顾客手机号后 4 位',
  PHONE_CHECK_FAILED: '手机号后 4 位与该会员不符',
  NO_PHONE_ON_FILE: '该会员未绑定手机号，请扫描会员码或请店长处理',
  TOO_MANY_ATTEMPTS: '失败次数过多，请 1 分钟后再试',
  APPROVAL_DECIDED: '该审批已处理',
  PHONE_TAKEN: '该手机号已绑定其他会员',
  CONTENT_RISKY: '内容未通过微信内容安全检查，请修改后重试',
} as const satisfies Record<string, string>

export type ErrorCode = keyof typeof ERROR_MESSAGES

/** Codes only the mini program's transport produces (no answer, or an answer of the wrong shape). */
export type TransportErrorCode = 'NETWORK' | 'BAD_RESPONSE'

/** What a page may see in a failed call's `code`. */
export type ClientErrorCode = ErrorCode | TransportErrorCode

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, v)
}
