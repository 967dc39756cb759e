/** Staff roles, shared by the admin function and the admin pages (one definition, no mirror). */
export type StaffRole = 'owner' | 'hq' | 'brand' | 'region' | 'manager' | 'clerk'

/**
 * Every role, highest first (the order staff lists are shown in, and what "below your own"
 * means): owner → HQ → sub-brand operator → region manager → store manager → clerk.
 */
export const STAFF_ROLES: readonly StaffRole[] = ['owner', 'hq', 'brand', 'region', 'manager', 'clerk']

export const ROLE_NAMES: Record<StaffRole, string> = {
  owner: '老板',
  hq: '总部运营',
  brand: '子品牌运营',
  region: '区域经理',
  manager: '店长',
  clerk: '店员',
}

export function isStaffRole(v: unknown): v is StaffRole {
  return typeof v === 'string' && (STAFF_ROLES as readonly string[]).includes(v)
}

/** True when `role` is strictly below `than` in STAFF_ROLES. */
export function isBelow(role: StaffRole, than: StaffRole): boolean {
  return STAFF_ROLES.indexOf(role) > STAFF_ROLES.indexOf(than)
}

/**
 * Owner and HQ see every store; a sub-brand operator the stores of their sub-brands, a region
 * manager those of their regions (resolved on the server from the tree), a manager or clerk
 * their own stores.
 */
export function seesAllStores(role: StaffRole): boolean {
  return role === 'owner' || role === 'hq'
}

/** An invite for a store role names the store; an HQ invite carries none (HQ sees every store). */
export function roleNeedsStore(role: string): boolean {
  return role === 'manager' || role === 'clerk'
}

/** What a role is assigned to: stores (manager, clerk), sub-brands, regions, or nothing (owner, HQ). */
export type ScopeKind = 'store' | 'subBrand' | 'region' | 'none'

export function scopeKindOf(role: StaffRole): ScopeKind {
  if (role === 'brand') return 'subBrand'
  if (role === 'region') return 'region'
  return roleNeedsStore(role) ? 'store' : 'none'
}
