/**
 * What the audit list calls each changing admin action (shared by the admin function's audit.list
 * and the audit page). Every changing action has one (test/unit/audit-labels.test.ts).
 */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'settings.update': '修改商家设置',
  'stores.create': '新建门店',
  'stores.update': '修改门店',
  'staff.invite': '邀请员工',
  'members.tag': '会员标签',
  'cashier.capture': '收银',
  'orders.refund': '退款',
  'subBrands.create': '新建子品牌',
  'subBrands.update': '修改子品牌',
  'regions.create': '新建区域',
  'regions.update': '修改区域',
  'stores.assign': '门店划归',
  'staff.revokeInvite': '撤销邀请',
  'staff.update': '调整员工',
  'staff.remove': '移除员工',
  'couponTemplates.create': '新建优惠券',
  'couponTemplates.update': '修改优惠券',
  'couponTemplates.setStatus': '优惠券上下架',
  'coupons.verify': '核销优惠券',
  'coupons.undo': '撤销核销',
  'service.update': '修改客服自动回复',
  'cashier.decide': '收银审批',
  // Segments and targeted campaigns (segments).
  'segments.save': '保存人群',
  'segments.remove': '删除人群',
  'segments.settings': '修改人群设置',
  'campaigns.create': '定向发券',
  'campaigns.cancel': '取消定向发券',
  // Rewards (issue 13, rewards).
  'rewards.savePayRule': '消费有礼规则',
  'rewards.setCheckin': '签到有礼设置',
  'rewards.setBirthday': '生日礼设置',
  'rewards.saveShopItem': '积分商城商品',
  // Touchpoints and commission (touchpoints).
  'touchpoints.create': '新建渠道码',
  'touchpoints.update': '修改渠道码',
  'commission.setRules': '修改佣金规则',
  'settlements.create': '生成佣金结算',
  'settlements.confirm': '确认佣金结算',
}

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action
}

/** A China date (YYYY-MM-DD) → the instant it starts (UTC+8, no daylight saving). */
export function chinaDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`)
}
