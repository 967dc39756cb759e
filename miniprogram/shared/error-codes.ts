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
  // Coupons: templates, claims, paying, forwarding and verification (coupons).
  TEMPLATE_NOT_ACTIVE: '该优惠券暂未开放领取',
  TEMPLATE_LOCKED: '已有人领取：只能增加库存、暂停、结束或修改使用说明',
  INVALID_TRANSITION: '当前状态不能执行此操作',
  NOT_ELIGIBLE: '该优惠券仅限指定会员领取',
  DAILY_LIMIT_REACHED: '今日领取已达上限，明天再来吧',
  COUPON_CODE_INVALID: '券码无效或已过期，请让顾客刷新券码后重试',
  COUPON_WRONG_STORE: '该券不适用于本门店',
  COUPON_IN_TRANSIT: '该券正在转赠中，暂不可使用',
  COUPON_GIVEN: '该券已转赠给好友，原券码已失效',
  COUPON_THRESHOLD: '未达到该券的使用门槛',
  COUPON_LOCKED: '该券正在另一笔订单中使用',
  COUPON_EXCEEDS_ORDER: '券面额不能大于或等于订单金额',
  COUPON_NOT_MONEY: '兑换券请到店出示券码核销，不能抵扣付款',
  COUPON_NOT_FORWARDABLE: '该券不支持转赠',
  GIFT_TAKEN: '来晚了，这张券已被其他好友领走',
  GIFT_CLOSED: '该赠送已被收回或已退回',
  GIFT_OWN: '不能领取自己赠送的券',
  UNDO_WINDOW_PASSED: '核销已超过 10 分钟，不能撤销',
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
  // Chain gaps: an invite whose issuer was removed or can no longer give that role (admin.joinStaff).
  INVITE_ISSUER_GONE: '邀请人已离职或权限已变更，该邀请码已失效，请向商家重新获取',
  // Stacking several coupons on one order (coupon-gaps).
  COUPON_NOT_STACKABLE: '该券不能与其他优惠券同时使用',
  // Segments and targeted campaigns (segments).
  SEGMENTS_FULL: '人群数量已达上限，请先删除不用的人群',
  SEGMENT_IN_USE: '该人群有未完成的定向发券活动，不能删除',
  SCHEDULE_INVALID: '开始时间须在现在之后 60 天以内',
  CAMPAIGN_DONE: '活动已结束',
  // Rewards (issue 13, rewards): post-payment rules, check-in, birthday, points shop.
  GAME_NOT_FOUND: '该游戏不存在或尚未创建，请先在游戏管理中创建',
  TEMPLATE_NOT_USABLE: '该优惠券未在发放中，请先开始发放后再用作奖励',
  TOO_MANY_RULES: '奖励规则已达上限',
  CHECKIN_CLOSED: '本店暂未开启签到有礼',
  ALREADY_CHECKED_IN: '今天已在本店签到过，明天再来吧',
  TOO_FAR: '距离门店太远，请到店后再签到',
  LOCATION_REQUIRED: '请允许获取位置后再签到',
  NOT_MEMBER: '您还不是会员，完成首次支付即可成为会员',
  POINTS_SHORT: '积分不足',
  ITEM_UNAVAILABLE: '该商品已下架',
} as const satisfies Record<string, string>

export type ErrorCode = keyof typeof ERROR_MESSAGES

/** Codes only the mini program's transport produces (no answer, or an answer of the wrong shape). */
export type TransportErrorCode = 'NETWORK' | 'BAD_RESPONSE'

/** What a page may see in a failed call's `code`. */
export type ClientErrorCode = ErrorCode | TransportErrorCode

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, v)
}
