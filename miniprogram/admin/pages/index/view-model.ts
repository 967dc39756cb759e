import type { AdminAction, StaffRole } from '../../../../cloudfunctions/domain/permissions'
import { invitableRoles, ROLE_NAMES } from '../../../lib/staff'

/**
 * The entries of 商家管理 and which roles see them: a copy of the server's ADMIN_ACTIONS for the
 * action behind each entry (test/unit/admin-entries.test.ts keeps the two equal). Showing only
 * what the server allows spares a refusal after the tap; the server still decides.
 */
export type AdminEntry = 'cashier' | 'members' | 'staffInvite' | 'stores' | 'settings'

export const ENTRY_ACTIONS: Record<AdminEntry, AdminAction> = {
  cashier: 'cashier.capture',
  members: 'members.lookup',
  staffInvite: 'staff.invite',
  stores: 'stores.list',
  settings: 'settings.get',
}

export const ENTRY_ROLES: Record<AdminEntry, readonly StaffRole[]> = {
  cashier: ['owner', 'manager', 'clerk'],
  members: ['owner', 'hq', 'manager', 'clerk'],
  staffInvite: ['owner', 'hq', 'manager'],
  stores: ['owner', 'hq', 'manager', 'clerk'],
  settings: ['owner', 'hq', 'manager', 'clerk'],
}

export type AdminEntries = Record<AdminEntry, boolean>

export function adminEntries(role: string): AdminEntries {
  const may = (e: AdminEntry): boolean => (ENTRY_ROLES[e] as readonly string[]).includes(role)
  return { cashier: may('cashier'), members: may('members'), staffInvite: may('staffInvite'), stores: may('stores'), settings: may('settings') }
}

/** The 员工邀请 line names the roles this caller may invite (a manager invites clerks only). */
export function inviteDescription(role: string): string {
  const names = invitableRoles(role).map((r) => ROLE_NAMES[r])
  return names.length ? `生成邀请码，邀请${names.join('、')}加入` : ''
}

/** Everyone may read 商家设置; only the owner may change it (settings.update). */
export function settingsDescription(role: string): string {
  return role === 'owner' ? '品牌、会员卡、积分与会员等级规则' : '查看品牌、积分与会员等级规则（仅老板可修改）'
}
