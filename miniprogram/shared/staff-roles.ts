/** Staff roles, shared by the admin function and the admin pages (one definition, no mirror). */
export type StaffRole = 'owner' | 'hq' | 'manager' | 'clerk'

/** Every role, highest first (the order staff lists are shown in). */
export const STAFF_ROLES: readonly StaffRole[] = ['owner', 'hq', 'manager', 'clerk']

export const ROLE_NAMES: Record<StaffRole, string> = { owner: '老板', hq: '总部运营', manager: '店长', clerk: '店员' }

export function isStaffRole(v: unknown): v is StaffRole {
  return typeof v === 'string' && (STAFF_ROLES as readonly string[]).includes(v)
}

/** Owner and HQ see every store; a manager or clerk works in their own stores only. */
export function seesAllStores(role: StaffRole): boolean {
  return role === 'owner' || role === 'hq'
}

/** An invite for a store role names the store; an HQ invite carries none (HQ sees every store). */
export function roleNeedsStore(role: string): boolean {
  return role === 'manager' || role === 'clerk'
}
