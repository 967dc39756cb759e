import { createMain } from '../shared/handler'
import type { AdminActionsMap } from './staff-context'
import { bootstrapOwner } from './bootstrap'
import { cashierApproval, cashierApprovals, cashierCapture, cashierDecide } from './cashier'
import { membersLookup, membersProfile, membersTag } from './members'
import { ordersRefund } from './orders'
import { settingsGet, settingsUpdate } from './settings'
import { joinStaff, me, staffInvite, staffInvites, staffList, staffRemove, staffRevokeInvite, staffUpdate } from './staff'
import { regionsCreate, regionsUpdate, storesAssign, subBrandsCreate, subBrandsList, subBrandsUpdate } from './tree'
import { auditList } from './audit'
import { storesCreate, storesList, storesUpdate } from './stores'
import { couponTemplatesCreate, couponTemplatesGet, couponTemplatesLink, couponTemplatesList, couponTemplatesSetStatus, couponTemplatesUpdate } from './coupon-templates'
import { couponsHistory, couponsLookup, couponsUndo, couponsVerify } from './coupon-verify'
import { serviceGet, serviceUpdate } from './service'
// Segments and targeted campaigns (segments).
import { segmentsGet, segmentsList, segmentsPreview, segmentsRemove, segmentsSave, segmentsSettings } from './segments'
import { campaignsCancel, campaignsCreate, campaignsDryRun, campaignsGet, campaignsList, campaignsResults, campaignsRun } from './campaigns'
import { runDueCampaigns } from '../services/campaigns'
import { rewardsCheckinCode, rewardsGet, rewardsSaveShopItem, rewardsSavePayRule, rewardsSetBirthday, rewardsSetCheckin } from './rewards'
// Touchpoints, dashboards and commission (touchpoints).
import { touchpointsCreate, touchpointsLink, touchpointsList, touchpointsReport, touchpointsUpdate } from './touchpoints'
import { countersReconcile, dashboardGet } from './dashboard'
import { commissionRules, commissionSetRules, settlementsConfirm, settlementsCreate, settlementsList, settlementsStatement } from './settlements'

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
  // Chain: sub-brands, regions, staff management and the audit trail (issue 17).
  'subBrands.list': subBrandsList,
  'subBrands.create': subBrandsCreate,
  'subBrands.update': subBrandsUpdate,
  'regions.create': regionsCreate,
  'regions.update': regionsUpdate,
  'stores.assign': storesAssign,
  'staff.invites': staffInvites,
  'staff.revokeInvite': staffRevokeInvite,
  'staff.update': staffUpdate,
  'staff.remove': staffRemove,
  'audit.list': auditList,
  // Coupons (coupons).
  'couponTemplates.list': couponTemplatesList,
  'couponTemplates.get': couponTemplatesGet,
  'couponTemplates.create': couponTemplatesCreate,
  'couponTemplates.update': couponTemplatesUpdate,
  'couponTemplates.setStatus': couponTemplatesSetStatus,
  'couponTemplates.link': couponTemplatesLink,
  'coupons.lookup': couponsLookup,
  'coupons.verify': couponsVerify,
  'coupons.history': couponsHistory,
  'coupons.undo': couponsUndo,
  // Conveniences: 客服自动回复.
  'service.get': serviceGet,
  'service.update': serviceUpdate,
  // Counter fraud (issue 12).
  'cashier.approvals': cashierApprovals,
  'cashier.approval': cashierApproval,
  'cashier.decide': cashierDecide,
  // Segments and targeted campaigns (segments).
  'segments.list': segmentsList,
  'segments.get': segmentsGet,
  'segments.save': segmentsSave,
  'segments.remove': segmentsRemove,
  'segments.preview': segmentsPreview,
  'segments.settings': segmentsSettings,
  'campaigns.list': campaignsList,
  'campaigns.get': campaignsGet,
  'campaigns.dryRun': campaignsDryRun,
  'campaigns.create': campaignsCreate,
  'campaigns.run': campaignsRun,
  'campaigns.cancel': campaignsCancel,
  'campaigns.results': campaignsResults,
  // Rewards (issue 13, rewards).
  'rewards.get': rewardsGet,
  'rewards.savePayRule': rewardsSavePayRule,
  'rewards.setCheckin': rewardsSetCheckin,
  'rewards.setBirthday': rewardsSetBirthday,
  'rewards.saveShopItem': rewardsSaveShopItem,
  'rewards.checkinCode': rewardsCheckinCode,
  // Touchpoints, dashboards and commission (touchpoints).
  'touchpoints.list': touchpointsList,
  'touchpoints.create': touchpointsCreate,
  'touchpoints.update': touchpointsUpdate,
  'touchpoints.link': touchpointsLink,
  'touchpoints.report': touchpointsReport,
  'dashboard.get': dashboardGet,
  'counters.reconcile': countersReconcile,
  'commission.rules': commissionRules,
  'commission.setRules': commissionSetRules,
  'settlements.create': settlementsCreate,
  'settlements.list': settlementsList,
  'settlements.statement': settlementsStatement,
  'settlements.confirm': settlementsConfirm,
} satisfies AdminActionsMap

/** Timer triggers of the admin function (config.json): campaigns due or running advance here. */
const CAMPAIGN_TIMER_BUDGET_MS = 12_000

export const main = createMain({
  actions,
  onTimer: (event, ctx) => (event.TriggerName === 'runCampaigns' ? runDueCampaigns(ctx, CAMPAIGN_TIMER_BUDGET_MS) : Promise.resolve({ ignored: `no timer ${event.TriggerName ?? ''}` })),
})
