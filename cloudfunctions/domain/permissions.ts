/**
 * Who may do what in the admin pages. Checked on the server for every admin action (by
 * defineStaffAction, cloudfunctions/admin/staff-context.ts); the pages learn it from admin.me's
 * capabilities (domain/capabilities.ts), computed with the same decide(). The role-table test
 * walks every cell of this table against the real actions map.
 */
import { ROLE_NAMES, seesAllStores, STAFF_ROLES, type StaffRole } from '../../miniprogram/shared/staff-roles'

export { ROLE_NAMES, seesAllStores, STAFF_ROLES, type StaffRole }

/**
 * Actions whose target is one store are also checked against the staff member's store scope.
 * `changes: true` marks an action that changes something: it writes an audit line
 * (services/audit.ts) in the same transaction as the change.
 */
export const ADMIN_ACTIONS = {
  'settings.get': { roles: ['owner', 'hq', 'manager', 'clerk'], storeScoped: false, changes: false },
  'settings.update': { roles: ['owner'], storeScoped: false, changes: true },
  'stores.list': { roles: ['owner', 'hq', 'manager', 'clerk'], storeScoped: false, changes: false },
  'stores.create': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  'stores.update': { roles: ['owner', 'hq', 'manager'], storeScoped: true, changes: true },
  'staff.list': { roles: ['owner', 'hq', 'manager'], storeScoped: false, changes: false },
  'staff.invite': { roles: ['owner', 'hq', 'manager'], storeScoped: true, changes: true },
  'members.lookup': { roles: ['owner', 'hq', 'manager', 'clerk'], storeScoped: false, changes: false },
  'members.profile': { roles: ['owner', 'hq', 'manager', 'clerk'], storeScoped: false, changes: false },
  'members.tag': { roles: ['owner', 'hq', 'manager'], storeScoped: false, changes: true },
  'cashier.capture': { roles: ['owner', 'manager', 'clerk'], storeScoped: true, changes: true },
  'orders.refund': { roles: ['owner', 'hq', 'manager'], storeScoped: true, changes: true },
  // Counter fraud (issue 12): a manager approves a clerk's large or typed-number sale.
  'cashier.approvals': { roles: ['owner', 'manager'], storeScoped: false, changes: false },
  'cashier.approval': { roles: ['owner', 'manager', 'clerk'], storeScoped: false, changes: false },
  'cashier.decide': { roles: ['owner', 'manager'], storeScoped: true, changes: true },
} as const satisfies Record<string, { roles: readonly StaffRole[]; storeScoped: boolean; changes: boolean }>

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
