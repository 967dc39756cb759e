import { createMain } from '../shared/handler'
import type { AdminActionsMap } from './staff-context'
import { bootstrapOwner } from './bootstrap'
import { cashierApproval, cashierApprovals, cashierCapture, cashierDecide } from './cashier'
import { membersLookup, membersProfile, membersTag } from './members'
import { ordersRefund } from './orders'
import { settingsGet, settingsUpdate } from './settings'
import { joinStaff, me, staffInvite, staffList } from './staff'
import { storesCreate, storesList, storesUpdate } from './stores'

/**
 * The staff/admin function. Identity is the caller's OPENID only; every action except `me`,
 * `joinStaff` and `bootstrapOwner` is a defineStaffAction (staff-context.ts), checked with
 * decide() (domain/permissions.ts) against the caller's staff document and, for store-scoped
 * actions, the target store. `satisfies AdminActionsMap` makes an action without its row of
 * ADMIN_ACTIONS (or a row without its action) a type error.
 */
export const actions = {
  me,
  joinStaff,
  bootstrapOwner,
  'stores.list': storesList,
  'stores.create': storesCreate,
  'stores.update': storesUpdate,
  'staff.invite': staffInvite,
  'staff.list': staffList,
  'settings.get': settingsGet,
  'settings.update': settingsUpdate,
  'members.lookup': membersLookup,
  'members.profile': membersProfile,
  'members.tag': membersTag,
  'cashier.capture': cashierCapture,
  'orders.refund': ordersRefund,
  // Counter fraud (issue 12).
  'cashier.approvals': cashierApprovals,
  'cashier.approval': cashierApproval,
  'cashier.decide': cashierDecide,
} satisfies AdminActionsMap

export const main = createMain({ actions })
