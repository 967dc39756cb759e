/**
 * Who may do what in the admin pages. Checked on the server for every admin action (by
 * defineStaffAction, cloudfunctions/admin/staff-context.ts); the pages learn it from admin.me's
 * capabilities (domain/capabilities.ts), computed with the same decide(). The role-table test
 * walks every cell of this table against the real actions map.
 */
import { ROLE_NAMES, seesAllStores, STAFF_ROLES, type StaffRole } from '../../miniprogram/shared/staff-roles'

export { ROLE_NAMES, seesAllStores, STAFF_ROLES, type StaffRole }

/** Actions whose target is one store are also checked against the staff member's store scope. */
export const ADMIN_ACTIONS = {
  'settings.get': { roles: ['owner', 'hq', 'manager', 'clerk'], storeScoped: false },
  'settings.update': { roles: ['owner'], storeScoped: false },
  'stores.list': { roles: ['owner', 'hq', 'manager', 'clerk'], storeScoped: false },
  'stores.create': { roles: ['owner', 'hq'], storeScoped: false },
  'stores.update': { roles: ['owner', 'hq', 'manager'], storeScoped: true },
  'staff.list': { roles: ['owner', 'hq', 'manager'], storeScoped: false },
  'staff.invite': { roles: ['owner', 'hq', 'manager'], storeScoped: true },
  'members.lookup': { roles: ['owner', 'hq', 'manager', 'clerk'], storeScoped: false },
  'members.profile': { roles: ['owner', 'hq', 'manager', 'clerk'], storeScoped: false },
  'members.tag': { roles: ['owner', 'hq', 'manager'], storeScoped: false },
  'cashier.capture': { roles: ['owner', 'manager', 'clerk'], storeScoped: true },
  'orders.refund': { roles: ['owner', 'hq', 'manager'], storeScoped: true },
} as const satisfies Record<string, { roles: readonly StaffRole[]; storeScoped: boolean }>

export type AdminAction = keyof typeof ADMIN_ACTIONS

/** Which roles each role may invite: strictly below itself (owner → hq/manager → clerk). */
export const INVITABLE_ROLES: Record<StaffRole, readonly StaffRole[]> = {
  owner: ['hq', 'manager', 'clerk'],
  hq: ['manager', 'clerk'],
  manager: ['clerk'],
  clerk: [],
}

export interface StaffScope {
  role: StaffRole
  /** Stores a manager or clerk works in; owner and HQ see every store. */
  storeIds: string[]
}

export type Decision = { allowed: true } | { allowed: false; reason: 'ROLE' | 'STORE' }

/** The role part of decide(): may this role run the action at all (in some store)? */
export function roleMay(role: StaffRole, action: AdminAction): boolean {
  return (ADMIN_ACTIONS[action].roles as readonly StaffRole[]).includes(role)
}

export function decide(staff: StaffScope, action: AdminAction, storeId?: string): Decision {
  const rule = ADMIN_ACTIONS[action]
  if (!roleMay(staff.role, action)) return { allowed: false, reason: 'ROLE' }
  if (rule.storeScoped && !seesAllStores(staff.role)) {
    if (!storeId || !staff.storeIds.includes(storeId)) return { allowed: false, reason: 'STORE' }
  }
  return { allowed: true }
}
