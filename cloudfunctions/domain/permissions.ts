/**
 * Who may do what in the admin pages. Checked on the server for every admin action; the test
 * suite walks every cell of this table.
 */
export type StaffRole = 'owner' | 'hq' | 'manager' | 'clerk'

export const ROLE_NAMES: Record<StaffRole, string> = { owner: '老板', hq: '总部运营', manager: '店长', clerk: '店员' }

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

export function seesAllStores(role: StaffRole): boolean {
  return role === 'owner' || role === 'hq'
}

export type Decision = { allowed: true } | { allowed: false; reason: 'ROLE' | 'STORE' }

export function decide(staff: StaffScope, action: AdminAction, storeId?: string): Decision {
  const rule = ADMIN_ACTIONS[action]
  if (!(rule.roles as readonly StaffRole[]).includes(staff.role)) return { allowed: false, reason: 'ROLE' }
  if (rule.storeScoped && !seesAllStores(staff.role)) {
    if (!storeId || !staff.storeIds.includes(storeId)) return { allowed: false, reason: 'STORE' }
  }
  return { allowed: true }
}
