import { ADMIN_ACTIONS, decide, INVITABLE_ROLES, roleMay, seesAllStores, type AdminAction, type StaffRole, type StaffScope } from './permissions'

/** The entries of 商家管理 (miniprogram/admin/pages/index). */
export type AdminEntry = 'cashier' | 'members' | 'staffInvite' | 'stores' | 'settings' | 'staff' | 'audit' | 'subBrands' | 'approvals' | 'segments'

/** The action that decides whether an entry is shown. */
export const ENTRY_ACTIONS: Record<AdminEntry, AdminAction> = {
  cashier: 'cashier.capture',
  members: 'members.lookup',
  staffInvite: 'staff.invite',
  stores: 'stores.list',
  settings: 'settings.get',
  // Chain (issue 17): 员工管理, 操作记录, 子品牌与区域.
  staff: 'staff.list',
  audit: 'audit.list',
  subBrands: 'subBrands.list',
  // Counter fraud (issue 12): 收银审批 for those who approve clerks' sales.
  approvals: 'cashier.approvals',
  // Segments and targeted campaigns (segments): 人群与定向发券.
  segments: 'segments.list',
}

export interface StaffCapabilities {
  /**
   * Per admin action: 'all' (any store, or the action is not store-scoped), the store ids where
   * the caller may act (store-scoped actions for store staff), or false (the role may not).
   */
  actions: Record<AdminAction, 'all' | string[] | false>
  /** Which entries of 商家管理 to show. */
  entries: Record<AdminEntry, boolean>
  invitableRoles: StaffRole[]
  canEditSettings: boolean
  canTagMembers: boolean
  seesAllStores: boolean
  /** Chain (issue 17): may manage staff (change role or stores, remove) somewhere; may edit the tree. */
  canManageStaff: boolean
  canEditTree: boolean
  /** Coupon pages (coupons): 优惠券模板, 核销, 核销记录. */
  coupons: { templates: boolean; createForAllStores: boolean; verify: boolean; history: boolean; undo: boolean }
}

/**
 * What this staff member may do, for the pages to show only that. Every answer comes from
 * decide(), the function defineStaffAction enforces, so what is shown and what is allowed
 * cannot differ. `storeIds` are the caller's stores that exist (admin.me lists them).
 */
export function capabilitiesOf(scope: StaffScope, storeIds: readonly string[] = scope.storeIds): StaffCapabilities {
  const actions = {} as Record<AdminAction, 'all' | string[] | false>
  for (const action of Object.keys(ADMIN_ACTIONS) as AdminAction[]) {
    if (!roleMay(scope.role, action)) actions[action] = false
    else if (!ADMIN_ACTIONS[action].storeScoped || seesAllStores(scope.role)) actions[action] = 'all'
    else actions[action] = storeIds.filter((id) => decide(scope, action, id).allowed)
  }
  // A store-scoped action with no store left to act in is not offered (every use would be refused).
  const allowed = (a: AdminAction) => {
    const where = actions[a]
    return where === 'all' || (Array.isArray(where) && where.length > 0)
  }
  const invitableRoles = allowed('staff.invite') ? [...INVITABLE_ROLES[scope.role]] : []
  const entries = {} as Record<AdminEntry, boolean>
  for (const entry of Object.keys(ENTRY_ACTIONS) as AdminEntry[]) entries[entry] = allowed(ENTRY_ACTIONS[entry])
  entries.staffInvite = entries.staffInvite && invitableRoles.length > 0
  return {
    actions,
    entries,
    invitableRoles,
    canEditSettings: allowed('settings.update'),
    canTagMembers: allowed('members.tag'),
    seesAllStores: seesAllStores(scope.role),
    canManageStaff: INVITABLE_ROLES[scope.role].length > 0 && (allowed('staff.update') || allowed('staff.remove')),
    canEditTree: allowed('subBrands.create') || allowed('stores.assign'),
    coupons: {
      templates: allowed('couponTemplates.list'),
      // A template for every store has no store: decide() without one passes only for roles that see all.
      createForAllStores: decide(scope, 'couponTemplates.create').allowed,
      verify: allowed('coupons.verify'),
      history: allowed('coupons.history'),
      undo: allowed('coupons.undo'),
    },
  }
}
