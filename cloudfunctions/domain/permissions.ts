/**
 * Who may do what in the admin pages. Checked on the server for every admin action (by
 * defineStaffAction, cloudfunctions/admin/staff-context.ts); the pages learn it from admin.me's
 * capabilities (domain/capabilities.ts), computed with the same decide(). The role-table test
 * walks every cell of this table against the real actions map.
 */
import { isBelow, ROLE_NAMES, scopeKindOf, seesAllStores, STAFF_ROLES, type StaffRole } from '../../miniprogram/shared/staff-roles'

export { isBelow, ROLE_NAMES, scopeKindOf, seesAllStores, STAFF_ROLES, type StaffRole }

/**
 * Actions whose target is one store are also checked against the staff member's store scope.
 * `changes: true` marks an action that changes something: it writes an audit line
 * (services/audit.ts) in the same transaction as the change.
 */
export const ADMIN_ACTIONS = {
  'settings.get': { roles: ['owner', 'hq', 'brand', 'region', 'manager', 'clerk'], storeScoped: false, changes: false },
  'settings.update': { roles: ['owner'], storeScoped: false, changes: true },
  'stores.list': { roles: ['owner', 'hq', 'brand', 'region', 'manager', 'clerk'], storeScoped: false, changes: false },
  'stores.create': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  'stores.update': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: true },
  'staff.list': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  'staff.invite': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: true },
  'members.lookup': { roles: ['owner', 'hq', 'brand', 'region', 'manager', 'clerk'], storeScoped: false, changes: false },
  'members.profile': { roles: ['owner', 'hq', 'brand', 'region', 'manager', 'clerk'], storeScoped: false, changes: false },
  'members.tag': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: true },
  'cashier.capture': { roles: ['owner', 'manager', 'clerk'], storeScoped: true, changes: true },
  'orders.refund': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: true },
  // Chain: sub-brands, regions, staff management and the audit trail (issue 17).
  'subBrands.list': { roles: ['owner', 'hq', 'brand', 'region', 'manager', 'clerk'], storeScoped: false, changes: false },
  'subBrands.create': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  'subBrands.update': { roles: ['owner', 'hq', 'brand'], storeScoped: true, changes: true },
  'regions.create': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  'regions.update': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  'stores.assign': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  'staff.invites': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  'staff.revokeInvite': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: true },
  'staff.update': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: true },
  'staff.remove': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: true },
  'audit.list': { roles: ['owner', 'hq'], storeScoped: false, changes: false },
  // Coupons (coupons): templates by HQ (storeId null) or a store's manager; verification at the counter.
  'couponTemplates.list': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  'couponTemplates.get': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: false },
  'couponTemplates.create': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: true },
  'couponTemplates.update': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: true },
  'couponTemplates.setStatus': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: true },
  'couponTemplates.link': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: false },
  'coupons.lookup': { roles: ['owner', 'manager', 'clerk'], storeScoped: true, changes: false },
  'coupons.verify': { roles: ['owner', 'manager', 'clerk'], storeScoped: true, changes: true },
  'coupons.history': { roles: ['owner', 'hq', 'brand', 'region', 'manager', 'clerk'], storeScoped: false, changes: false },
  'coupons.undo': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: true },
  // Conveniences: the 客服 bot's keywords and replies.
  'service.get': { roles: ['owner', 'hq'], storeScoped: false, changes: false },
  'service.update': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  // Counter fraud (issue 12): a manager approves a clerk's large or typed-number sale.
  'cashier.approvals': { roles: ['owner', 'manager'], storeScoped: false, changes: false },
  'cashier.approval': { roles: ['owner', 'manager', 'clerk'], storeScoped: false, changes: false },
  'cashier.decide': { roles: ['owner', 'manager'], storeScoped: true, changes: true },
  // Segments and targeted campaigns (segments): below HQ, only members whose first or favourite store is the caller's.
  'segments.list': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  'segments.get': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  'segments.save': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: true },
  'segments.remove': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: true },
  'segments.preview': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  'segments.settings': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  'campaigns.list': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  'campaigns.get': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  'campaigns.dryRun': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  'campaigns.create': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: true },
  // Advances a job its audited campaigns.create started (as the timer does); each grant is the job's own record.
  'campaigns.run': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  'campaigns.cancel': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: true },
  'campaigns.results': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  // Rewards (issue 13, rewards): 消费有礼, 签到有礼, 生日礼, 积分商城 — merchant-wide settings.
  'rewards.get': { roles: ['owner', 'hq'], storeScoped: false, changes: false },
  'rewards.savePayRule': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  'rewards.setCheckin': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  'rewards.setBirthday': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  'rewards.saveShopItem': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  'rewards.checkinCode': { roles: ['owner', 'hq'], storeScoped: false, changes: false },
  // Touchpoints, dashboards and commission (touchpoints): 渠道码 by HQ (storeId null) or within a
  // scope; the dashboard answers the caller's scope; HQ sets the rules and settles commission.
  'touchpoints.list': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  'touchpoints.create': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: true },
  'touchpoints.update': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: true },
  'touchpoints.link': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: false },
  'touchpoints.report': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: false },
  'dashboard.get': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  'counters.reconcile': { roles: ['owner', 'hq'], storeScoped: false, changes: false },
  'commission.rules': { roles: ['owner', 'hq'], storeScoped: false, changes: false },
  'commission.setRules': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  'settlements.create': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
  'settlements.list': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: false, changes: false },
  'settlements.statement': { roles: ['owner', 'hq', 'brand', 'region', 'manager'], storeScoped: true, changes: false },
  'settlements.confirm': { roles: ['owner', 'hq'], storeScoped: false, changes: true },
} as const satisfies Record<string, { roles: readonly StaffRole[]; storeScoped: boolean; changes: boolean }>

export type AdminAction = keyof typeof ADMIN_ACTIONS

/** Which roles each role may invite or assign: strictly below itself (STAFF_ROLES order). */
export const INVITABLE_ROLES: Record<StaffRole, readonly StaffRole[]> = {
  owner: ['hq', 'brand', 'region', 'manager', 'clerk'],
  hq: ['brand', 'region', 'manager', 'clerk'],
  brand: ['region', 'manager', 'clerk'],
  region: ['manager', 'clerk'],
  manager: ['clerk'],
  clerk: [],
}

/**
 * A staff member's effective scope, resolved on the server from the tree (admin/staff-context.ts
 * loadStaff): `storeIds` are the stores they act on — a manager's or clerk's own, a sub-brand
 * operator's every store of their sub-brands, a region manager's every store of their regions.
 * Owner and HQ see every store (their lists stay empty).
 */
export interface StaffScope {
  role: StaffRole
  storeIds: string[]
  /** Sub-brands the caller acts on (a sub-brand operator's own). */
  subBrandIds?: string[]
  /** Regions the caller acts on (a region manager's own, every region of a sub-brand operator's sub-brands). */
  regionIds?: string[]
}

/** Something in the tree an action targets: a store, a sub-brand or a region. */
export type ScopeRef = { storeId: string } | { subBrandId: string } | { regionId: string }

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

/** Is one part of the tree within the caller's scope? */
export function covers(staff: StaffScope, ref: ScopeRef): boolean {
  if (seesAllStores(staff.role)) return true
  if ('storeId' in ref) return staff.storeIds.includes(ref.storeId)
  if ('subBrandId' in ref) return (staff.subBrandIds ?? []).includes(ref.subBrandId)
  return (staff.regionIds ?? []).includes(ref.regionId)
}

/**
 * decide() for a target that is several parts of the tree (e.g. a staff member's old and new
 * stores, or a sub-brand): every one must be within the caller's scope. No part at all means
 * merchant-wide: owner and HQ only.
 */
export function decideWithin(staff: StaffScope, action: AdminAction, refs: readonly ScopeRef[]): Decision {
  if (!roleMay(staff.role, action)) return { allowed: false, reason: 'ROLE' }
  if (!ADMIN_ACTIONS[action].storeScoped || seesAllStores(staff.role)) return { allowed: true }
  if (refs.length === 0 || !refs.every((r) => covers(staff, r))) return { allowed: false, reason: 'STORE' }
  return { allowed: true }
}
