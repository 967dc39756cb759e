import { ROLE_NAMES } from '../../../shared/staff-roles'
import type { Staff } from '../../../lib/staff-session'

/**
 * 商家管理 as the caller sees it: which entries show and what they say all come from the
 * capabilities admin.me computed with the server's own rules (showing only what the server
 * allows spares a refusal after the tap; the server still decides).
 */
export type AdminEntries = Staff['capabilities']['entries']

export const NO_ENTRIES: AdminEntries = { cashier: false, members: false, staffInvite: false, stores: false, settings: false, approvals: false }

export interface AdminHomeView {
  name: string
  roleName: string
  storesText: string
  entries: AdminEntries
  inviteText: string
  settingsText: string
}

export function adminHomeView(staff: Staff): AdminHomeView {
  const caps = staff.capabilities
  const invitable = caps.invitableRoles.map((r) => ROLE_NAMES[r])
  return {
    name: staff.name || '员工',
    roleName: staff.roleName,
    storesText: caps.seesAllStores ? '全部门店' : staff.stores.map((s) => s.name).join('、') || '未分配门店',
    entries: caps.entries,
    // the 员工邀请 line names the roles this caller may invite (a manager invites clerks only)
    inviteText: invitable.length ? `生成邀请码，邀请${invitable.join('、')}加入` : '',
    settingsText: caps.canEditSettings ? '品牌、会员卡、积分与会员等级规则' : '查看品牌、积分与会员等级规则（仅老板可修改）',
  }
}
