import { ROLE_NAMES } from '../../../shared/staff-roles'
import type { Staff } from '../../../lib/staff-session'

/**
 * 商家管理 as the caller sees it: which entries show and what they say all come from the
 * capabilities admin.me computed with the server's own rules (showing only what the server
 * allows spares a refusal after the tap; the server still decides).
 */
export type AdminEntries = Staff['capabilities']['entries']

export const NO_ENTRIES: AdminEntries = { cashier: false, members: false, staffInvite: false, stores: false, settings: false, staff: false, audit: false, subBrands: false, approvals: false, segments: false }

/** The coupon entries (coupons-ui): 核销, 核销记录, 优惠券管理, from admin.me's coupon capabilities. */
export interface CouponEntries {
  verify: boolean
  history: boolean
  templates: boolean
}
export const NO_COUPON_ENTRIES: CouponEntries = { verify: false, history: false, templates: false }

/** The data entries (touchpoints): 数据看板, 渠道码, from admin.me's per-action capabilities. */
export interface DataEntries {
  dashboard: boolean
  touchpoints: boolean
}
export const NO_DATA_ENTRIES: DataEntries = { dashboard: false, touchpoints: false }

export interface AdminHomeView {
  dataEntries: DataEntries
  couponEntries: CouponEntries
  name: string
  roleName: string
  storesText: string
  entries: AdminEntries
  inviteText: string
  settingsText: string
  /** Rewards (issue 13): 奖励设置 for those who may read the reward settings. */
  rewardsEntry: boolean
}

/** Where a staff member works: their sub-brands or regions (with how many stores), or their stores. */
export function scopeText(staff: Staff): string {
  const units = [...staff.subBrands.map((b) => b.name), ...staff.regions.map((r) => r.name)]
  if (units.length) return `${units.join('、')}（${staff.stores.length} 家门店）`
  return staff.stores.map((s) => s.name).join('、') || '未分配门店'
}

export function adminHomeView(staff: Staff): AdminHomeView {
  const caps = staff.capabilities
  const invitable = caps.invitableRoles.map((r) => ROLE_NAMES[r])
  return {
    dataEntries: { dashboard: caps.actions['dashboard.get'] !== false, touchpoints: caps.actions['touchpoints.list'] !== false },
    couponEntries: { verify: caps.coupons.verify, history: caps.coupons.history, templates: caps.coupons.templates },
    name: staff.name || '员工',
    roleName: staff.roleName,
    storesText: caps.seesAllStores ? '全部门店' : scopeText(staff),
    entries: caps.entries,
    // the 员工邀请 line names the roles this caller may invite (a manager invites clerks only)
    inviteText: invitable.length ? `生成邀请码，邀请${invitable.join('、')}加入` : '',
    settingsText: caps.canEditSettings ? '品牌、会员卡、积分与会员等级规则' : '查看品牌、积分与会员等级规则（仅老板可修改）',
    rewardsEntry: caps.actions['rewards.get'] === 'all',
  }
}
