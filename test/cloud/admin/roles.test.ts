import { ADMIN_ACTIONS, decide, decideWithin, type AdminAction, type ScopeRef, type StaffRole, type StaffScope } from '../../../cloudfunctions/domain/permissions'
import { actions } from '../../../cloudfunctions/admin/index'
import { PUBLIC_ADMIN_ACTIONS } from '../../../cloudfunctions/admin/staff-context'
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { all, insertMember, memberCode, seedChain, seedCodeSecret, snapshot, startAdminCloud, STORE_INPUT, type AdminCloud, type Chain } from './helpers'

/**
 * THE ROLE TABLE: every admin action × every kind of caller, and for store-scoped actions three
 * places in the chain's tree (test/cloud/admin/helpers.ts seedChain):
 *   own    徐汇店: the manager's and clerk's store, in region R1 (the region manager's) of
 *          sub-brand B1 (the sub-brand operator's)
 *   brand  闵行店: in B1 but in no region — the operator's, not the region manager's
 *   other  静安店: in sub-brand B2 — only owner and HQ
 * (an action on a sub-brand targets B1 at own/brand, B2 at other).
 * Each cell is invoked for real as that identity: ✓ must answer ok and, for a row with
 * `changes: true`, leave exactly one audit line naming the action and the caller (none for a
 * reading row); ✗ must answer FORBIDDEN and change nothing in the database (so no audit line).
 * Written out by hand, then also checked against decide() and against the admin function's
 * real actions map (every action but the public ones has its rows). A row added to
 * ADMIN_ACTIONS needs its rows here and its fixture in inputFor (a type error without it), so
 * its audit line is checked from the day it is merged.
 */
type Who = StaffRole | 'consumer'
type Target = 'own' | 'brand' | 'other' | '-' | SubBrandTarget
/** Coupon gaps: a sub-brand's coupon template — of B1 (the operator's) or of B2 (not theirs). */
type SubBrandTarget = 'b1' | 'b2'
const isSubBrandTarget = (t: Target): t is SubBrandTarget => t === 'b1' || t === 'b2'
const WHO: Who[] = ['owner', 'hq', 'brand', 'region', 'manager', 'clerk', 'consumer']
const Y = true
const N = false

//                                                      owner  hq  brand region manager clerk consumer
const TABLE: Array<[AdminAction, Target, boolean, boolean, boolean, boolean, boolean, boolean, boolean]> = [
  ['settings.get',       '-',                           Y,     Y,  Y,    Y,     Y,      Y,    N],
  ['settings.update',    '-',                           Y,     N,  N,    N,     N,      N,    N],
  ['stores.list',        '-',                           Y,     Y,  Y,    Y,     Y,      Y,    N],
  ['stores.create',      '-',                           Y,     Y,  N,    N,     N,      N,    N],
  ['stores.update',      'own',                         Y,     Y,  Y,    Y,     Y,      N,    N],
  ['stores.update',      'brand',                       Y,     Y,  Y,    N,     N,      N,    N],
  ['stores.update',      'other',                       Y,     Y,  N,    N,     N,      N,    N],
  ['staff.list',         '-',                           Y,     Y,  Y,    Y,     Y,      N,    N],
  ['staff.invite',       'own',                         Y,     Y,  Y,    Y,     Y,      N,    N],
  ['staff.invite',       'brand',                       Y,     Y,  Y,    N,     N,      N,    N],
  ['staff.invite',       'other',                       Y,     Y,  N,    N,     N,      N,    N],
  ['members.lookup',     '-',                           Y,     Y,  Y,    Y,     Y,      Y,    N],
  ['members.profile',    '-',                           Y,     Y,  Y,    Y,     Y,      Y,    N],
  ['members.tag',        '-',                           Y,     Y,  Y,    Y,     Y,      N,    N],
  ['cashier.capture',    'own',                         Y,     N,  N,    N,     Y,      Y,    N],
  ['cashier.capture',    'brand',                       Y,     N,  N,    N,     N,      N,    N],
  ['cashier.capture',    'other',                       Y,     N,  N,    N,     N,      N,    N],
  ['orders.refund',      'own',                         Y,     Y,  Y,    Y,     Y,      N,    N],
  ['orders.refund',      'brand',                       Y,     Y,  Y,    N,     N,      N,    N],
  ['orders.refund',      'other',                       Y,     Y,  N,    N,     N,      N,    N],
  // Chain (issue 17): the tree, staff management, the audit trail.
  ['subBrands.list',     '-',                           Y,     Y,  Y,    Y,     Y,      Y,    N],
  ['subBrands.create',   '-',                           Y,     Y,  N,    N,     N,      N,    N],
  ['subBrands.update',   'own',                         Y,     Y,  Y,    N,     N,      N,    N],
  ['subBrands.update',   'brand',                       Y,     Y,  Y,    N,     N,      N,    N],
  ['subBrands.update',   'other',                       Y,     Y,  N,    N,     N,      N,    N],
  ['regions.create',     '-',                           Y,     Y,  N,    N,     N,      N,    N],
  ['regions.update',     '-',                           Y,     Y,  N,    N,     N,      N,    N],
  ['stores.assign',      '-',                           Y,     Y,  N,    N,     N,      N,    N],
  ['staff.invites',      '-',                           Y,     Y,  Y,    Y,     Y,      N,    N],
  ['staff.revokeInvite', 'own',                         Y,     Y,  Y,    Y,     Y,      N,    N],
  ['staff.revokeInvite', 'brand',                       Y,     Y,  Y,    N,     N,      N,    N],
  ['staff.revokeInvite', 'other',                       Y,     Y,  N,    N,     N,      N,    N],
  ['staff.update',       'own',                         Y,     Y,  Y,    Y,     Y,      N,    N],
  ['staff.update',       'brand',                       Y,     Y,  Y,    N,     N,      N,    N],
  ['staff.update',       'other',                       Y,     Y,  N,    N,     N,      N,    N],
  ['staff.remove',       'own',                         Y,     Y,  Y,    Y,     Y,      N,    N],
  ['staff.remove',       'brand',                       Y,     Y,  Y,    N,     N,      N,    N],
  ['staff.remove',       'other',                       Y,     Y,  N,    N,     N,      N,    N],
  ['audit.list',         '-',                           Y,     Y,  N,    N,     N,      N,    N],
  // Coupons (issue 11): templates by HQ (storeId null) or within a scope; verification at the counter.
  ['couponTemplates.list',      '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['couponTemplates.get',       'own',                  Y,     Y,  Y,    Y,     Y,      N,    N],
  ['couponTemplates.get',       'brand',                Y,     Y,  Y,    N,     N,      N,    N],
  ['couponTemplates.get',       'other',                Y,     Y,  N,    N,     N,      N,    N],
  ['couponTemplates.create',    'own',                  Y,     Y,  Y,    Y,     Y,      N,    N],
  ['couponTemplates.create',    'brand',                Y,     Y,  Y,    N,     N,      N,    N],
  ['couponTemplates.create',    'other',                Y,     Y,  N,    N,     N,      N,    N],
  ['couponTemplates.update',    'own',                  Y,     Y,  Y,    Y,     Y,      N,    N],
  ['couponTemplates.update',    'brand',                Y,     Y,  Y,    N,     N,      N,    N],
  ['couponTemplates.update',    'other',                Y,     Y,  N,    N,     N,      N,    N],
  ['couponTemplates.setStatus', 'own',                  Y,     Y,  Y,    Y,     Y,      N,    N],
  ['couponTemplates.setStatus', 'brand',                Y,     Y,  Y,    N,     N,      N,    N],
  ['couponTemplates.setStatus', 'other',                Y,     Y,  N,    N,     N,      N,    N],
  ['couponTemplates.link',      'own',                  Y,     Y,  Y,    Y,     Y,      N,    N],
  ['couponTemplates.link',      'brand',                Y,     Y,  Y,    N,     N,      N,    N],
  ['couponTemplates.link',      'other',                Y,     Y,  N,    N,     N,      N,    N],
  ['coupons.lookup',            'own',                  Y,     N,  N,    N,     Y,      Y,    N],
  ['coupons.lookup',            'brand',                Y,     N,  N,    N,     N,      N,    N],
  ['coupons.lookup',            'other',                Y,     N,  N,    N,     N,      N,    N],
  ['coupons.verify',            'own',                  Y,     N,  N,    N,     Y,      Y,    N],
  ['coupons.verify',            'brand',                Y,     N,  N,    N,     N,      N,    N],
  ['coupons.verify',            'other',                Y,     N,  N,    N,     N,      N,    N],
  ['coupons.history',           '-',                    Y,     Y,  Y,    Y,     Y,      Y,    N],
  ['coupons.undo',              'own',                  Y,     Y,  Y,    Y,     Y,      N,    N],
  ['coupons.undo',              'brand',                Y,     Y,  Y,    N,     N,      N,    N],
  ['coupons.undo',              'other',                Y,     Y,  N,    N,     N,      N,    N],
  // Conveniences (issue 17): 客服自动回复 is for owner and HQ.
  ['service.get',               '-',                    Y,     Y,  N,    N,     N,      N,    N],
  ['service.update',            '-',                    Y,     Y,  N,    N,     N,      N,    N],
  // Counter fraud (issue 12): the approvals of clerks' large or typed-number sales.
  ['cashier.approvals',         '-',                    Y,     N,  N,    N,     Y,      N,    N],
  ['cashier.approval',          '-',                    Y,     N,  N,    N,     Y,      Y,    N],
  ['cashier.decide',            'own',                  Y,     N,  N,    N,     Y,      N,    N],
  ['cashier.decide',            'brand',                Y,     N,  N,    N,     N,      N,    N],
  ['cashier.decide',            'other',                Y,     N,  N,    N,     N,      N,    N],
  // Coupon gaps (issue 17): sub-brand coupon templates — the sub-brand's operator and HQ, nobody below.
  ['couponTemplates.create',    'b1',                   Y,     Y,  Y,    N,     N,      N,    N],
  ['couponTemplates.create',    'b2',                   Y,     Y,  N,    N,     N,      N,    N],
  ['couponTemplates.get',       'b1',                   Y,     Y,  Y,    N,     N,      N,    N],
  ['couponTemplates.get',       'b2',                   Y,     Y,  N,    N,     N,      N,    N],
  ['couponTemplates.update',    'b1',                   Y,     Y,  Y,    N,     N,      N,    N],
  ['couponTemplates.update',    'b2',                   Y,     Y,  N,    N,     N,      N,    N],
  ['couponTemplates.setStatus', 'b1',                   Y,     Y,  Y,    N,     N,      N,    N],
  ['couponTemplates.setStatus', 'b2',                   Y,     Y,  N,    N,     N,      N,    N],
  ['couponTemplates.link',      'b1',                   Y,     Y,  Y,    N,     N,      N,    N],
  ['couponTemplates.link',      'b2',                   Y,     Y,  N,    N,     N,      N,    N],
  // Segments and targeted campaigns (segments): HQ and store staff above clerks; scope is inside the action.
  ['segments.list',             '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['segments.get',              '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['segments.save',             '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['segments.remove',           '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['segments.preview',          '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['segments.settings',         '-',                    Y,     Y,  N,    N,     N,      N,    N],
  ['campaigns.list',            '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['campaigns.get',             '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['campaigns.dryRun',          '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['campaigns.create',          '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['campaigns.run',             '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['campaigns.cancel',          '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['campaigns.results',         '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  // Rewards (issue 13): merchant-wide reward settings are for owner and HQ.
  ['rewards.get',               '-',                    Y,     Y,  N,    N,     N,      N,    N],
  ['rewards.savePayRule',       '-',                    Y,     Y,  N,    N,     N,      N,    N],
  ['rewards.setCheckin',        '-',                    Y,     Y,  N,    N,     N,      N,    N],
  ['rewards.setBirthday',       '-',                    Y,     Y,  N,    N,     N,      N,    N],
  ['rewards.saveShopItem',      '-',                    Y,     Y,  N,    N,     N,      N,    N],
  ['rewards.checkinCode',       '-',                    Y,     Y,  N,    N,     N,      N,    N],
  // Touchpoints, dashboards and commission (touchpoints).
  ['touchpoints.list',          '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['touchpoints.create',        'own',                  Y,     Y,  Y,    Y,     Y,      N,    N],
  ['touchpoints.create',        'brand',                Y,     Y,  Y,    N,     N,      N,    N],
  ['touchpoints.create',        'other',                Y,     Y,  N,    N,     N,      N,    N],
  ['touchpoints.update',        'own',                  Y,     Y,  Y,    Y,     Y,      N,    N],
  ['touchpoints.update',        'brand',                Y,     Y,  Y,    N,     N,      N,    N],
  ['touchpoints.update',        'other',                Y,     Y,  N,    N,     N,      N,    N],
  ['touchpoints.link',          'own',                  Y,     Y,  Y,    Y,     Y,      N,    N],
  ['touchpoints.link',          'brand',                Y,     Y,  Y,    N,     N,      N,    N],
  ['touchpoints.link',          'other',                Y,     Y,  N,    N,     N,      N,    N],
  ['touchpoints.report',        'own',                  Y,     Y,  Y,    Y,     Y,      N,    N],
  ['touchpoints.report',        'brand',                Y,     Y,  Y,    N,     N,      N,    N],
  ['touchpoints.report',        'other',                Y,     Y,  N,    N,     N,      N,    N],
  ['dashboard.get',             '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['counters.reconcile',        '-',                    Y,     Y,  N,    N,     N,      N,    N],
  ['commission.rules',          '-',                    Y,     Y,  N,    N,     N,      N,    N],
  ['commission.setRules',       '-',                    Y,     Y,  N,    N,     N,      N,    N],
  ['settlements.create',        '-',                    Y,     Y,  N,    N,     N,      N,    N],
  ['settlements.list',          '-',                    Y,     Y,  Y,    Y,     Y,      N,    N],
  ['settlements.statement',     'own',                  Y,     Y,  Y,    Y,     Y,      N,    N],
  ['settlements.statement',     'brand',                Y,     Y,  Y,    N,     N,      N,    N],
  ['settlements.statement',     'other',                Y,     Y,  N,    N,     N,      N,    N],
  ['settlements.confirm',       '-',                    Y,     Y,  N,    N,     N,      N,    N],
]

/** The actions the admin function really registers, less those any caller may run. */
const REGISTERED = Object.keys(actions).filter((a) => !(PUBLIC_ADMIN_ACTIONS as readonly string[]).includes(a)) as AdminAction[]

const CELLS = TABLE.flatMap(([action, target, ...allowed]) =>
  WHO.map((who, i) => ({ action, target, who, allowed: allowed[i] })),
)

let c: AdminCloud
let org: Chain
const MEMBER_NO = '40400001'
const ROLE_MEMBER = 'o-role-table-member'

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedChain(c)
  await seedCodeSecret(c.db)
  await insertMember(c.db, ROLE_MEMBER, MEMBER_NO, { firstStoreId: '', phone: '13900004040' })
  await seedCouponPool()
  await seedMarketing()
}, 240_000)
afterAll(async () => {
  await c?.stop()
})

const openidOf = (who: Who): string => (who === 'consumer' ? 'o-just-a-consumer' : org[who])
const storeOf = (target: Target): string => (target === 'other' ? org.storeB : target === 'brand' ? org.storeC : org.storeA)
const subBrandOf = (target: Target): string => (target === 'other' || target === 'b2' ? org.b2 : org.b1)

let n = 0
/** A clerk of `storeId` who joined through a real invite (a target for staff.update / staff.remove). */
async function freshClerk(storeId: string): Promise<string> {
  const inv = await c.ok(org.owner, 'staff.invite', { role: 'clerk', storeId })
  const openid = `o-cell-clerk-${n}`
  await c.ok(openid, 'joinStaff', { code: inv.code, name: `店员${n}` })
  return openid
}

/**
 * A fresh, valid input for one cell (setting up what the action needs, e.g. a paid order to
 * refund). Every row of ADMIN_ACTIONS needs its case: without one this function does not
 * type-check (and answers undefined, which the audit walk below refuses).
 */
async function inputFor(action: AdminAction, target: Target, who: Who = 'owner'): Promise<Record<string, unknown>> {
  n += 1
  const storeId = storeOf(target)
  switch (action) {
    case 'settings.get':
    case 'stores.list':
    case 'staff.list':
    case 'subBrands.list':
    case 'staff.invites':
    case 'audit.list':
      return {}
    case 'settings.update':
      return { brandName: `拾光咖啡${n}` }
    case 'stores.create':
      return { name: `新店${n}`, ...STORE_INPUT }
    case 'stores.update':
      return { storeId, hours: `08:${String(n % 60).padStart(2, '0')}-22:00` }
    case 'staff.invite':
      return { role: 'clerk', storeId }
    case 'members.lookup':
      return { memberNo: MEMBER_NO }
    case 'members.profile':
      return { memberNo: MEMBER_NO, page: 1 }
    case 'members.tag':
      return { memberNo: MEMBER_NO, tag: `标签${n}` }
    case 'cashier.capture':
      return { storeId, amountFen: 1000 + n, memberNo: MEMBER_NO, phoneLast4: '4040', clientRequestId: `role-table-${n}-capture` }
    case 'orders.refund': {
      const paid = await c.ok(org.owner, 'cashier.capture', { storeId, amountFen: 500 + n, memberNo: MEMBER_NO, clientRequestId: `role-table-${n}-refund` })
      return { outTradeNo: paid.outTradeNo }
    }
    case 'subBrands.create':
      return { name: `子品牌${n}` }
    case 'subBrands.update':
      return { subBrandId: subBrandOf(target), brandName: `品牌${n}` }
    case 'regions.create':
      return { subBrandId: org.b2, name: `新区${n}` }
    case 'regions.update':
      return { regionId: org.r2, name: `浦东区${n}` }
    case 'stores.assign': {
      const fresh = await c.ok(org.owner, 'stores.create', { name: `待划归${n}`, ...STORE_INPUT })
      return { storeId: fresh.store.id, subBrandId: org.b2, regionId: org.r3 }
    }
    case 'staff.revokeInvite':
      return { code: (await c.ok(org.owner, 'staff.invite', { role: 'clerk', storeId })).code }
    case 'staff.update':
      return { staffId: await freshClerk(storeId), role: 'clerk', storeIds: [storeId] }
    case 'staff.remove':
      return { staffId: await freshClerk(storeId) }
    case 'couponTemplates.list':
    case 'coupons.history':
      return {}
    case 'couponTemplates.create':
      return isSubBrandTarget(target) ? { ...couponTemplateInput(n), storeId: null, subBrandId: subBrandOf(target) } : { ...couponTemplateInput(n), storeId }
    case 'couponTemplates.get':
    case 'couponTemplates.link':
      return { templateId: templateAt(target) }
    case 'couponTemplates.update':
      return { templateId: templateAt(target), rulesText: `说明${n}` }
    case 'couponTemplates.setStatus': {
      // Toggles the store's template between active and paused (read only, so the setup writes nothing).
      const templateId = templateAt(target)
      const current = (await c.db.collection(COLLECTIONS.couponTemplates).doc(templateId).get()).data
      return { templateId, to: current.status === 'active' ? 'paused' : 'active' }
    }
    case 'coupons.lookup':
      return { storeId, code: memberCode(MEMBER_NO) }
    case 'coupons.verify':
      return { storeId, ticket: await roleTicket(storeId, who), requestId: `role-table-${n}-verify` }
    case 'coupons.undo':
      return { verificationId: await freshVerification(storeId) }
    case 'service.get':
      return {}
    case 'service.update':
      return { enabled: true, greeting: `欢迎${n}`, replies: [{ keywords: ['营业时间'], kind: 'hours', text: '营业时间：' }] }
    case 'cashier.approvals':
      return {}
    case 'cashier.approval':
      return { approvalId: await pendingApproval(org.storeA, n) }
    case 'cashier.decide':
      return { approvalId: await pendingApproval(storeId, n), approve: true }
    // Segments and targeted campaigns (segments): fixtures made by store A's manager, so every allowed role sees them.
    case 'segments.list':
    case 'campaigns.list':
      return {}
    case 'segments.get':
      return { segmentId: marketing.segmentId }
    case 'segments.save':
      return { name: `人群${n}`, root: { op: 'and', items: [{ kind: 'tier', levels: [1] }] } }
    case 'segments.remove':
      return { segmentId: await managerSegment(n) }
    case 'segments.preview':
      return { root: { op: 'and', items: [{ kind: 'recency', op: 'gte', days: 30 }] } }
    case 'segments.settings':
      return { noticeCapDays: 7 + (n % 5) }
    case 'campaigns.get':
    case 'campaigns.run':
    case 'campaigns.results':
      return { campaignId: marketing.campaignId }
    case 'campaigns.dryRun':
      return { preset: 'sleeping', templateId: marketing.templateId, holdoutPercent: 10 }
    case 'campaigns.create':
      return { name: `活动${n}`, preset: 'sleeping', templateId: marketing.templateId, startAt: new Date(Date.now() + 86_400_000).toISOString() }
    case 'campaigns.cancel':
      return { campaignId: await managerCampaign(n) }
    case 'rewards.get':
      return {}
    case 'rewards.savePayRule':
      return { name: `满额送积分${n}`, minSpendFen: 1000 + n, firstPaymentOnly: false, storeId: null, gift: { kind: 'points', points: 10 }, active: true }
    case 'rewards.setCheckin':
      return { enabled: true, gift: { kind: 'points', points: n }, radiusM: null, requireLocation: false }
    case 'rewards.setBirthday':
      return { templateId: pool.activeTemplate, grantWhenSetInMonth: n % 2 === 0 }
    case 'rewards.saveShopItem':
      return { templateId: pool.activeTemplate, pricePoints: 100 + n, stock: 10, perMemberLimit: 1, active: true }
    case 'rewards.checkinCode':
      return { storeId: org.storeA }
    // Touchpoints, dashboards and commission (touchpoints).
    case 'touchpoints.list':
    case 'dashboard.get':
      return action === 'dashboard.get' ? { period: 7 } : {}
    case 'touchpoints.create':
      return { storeId, name: `角色表渠道${n}`, kind: 'poster', costFen: 1000, target: { kind: 'pay' } }
    case 'touchpoints.update':
      return { touchpointId: pool.touchpoints[sideOf(target)], costFen: 1000 + n }
    case 'touchpoints.link':
      return { touchpointId: pool.touchpoints[sideOf(target)] }
    case 'touchpoints.report':
      return { touchpointId: pool.touchpoints[sideOf(target)], fromDate: '2026-01-01', toDate: '2026-01-31' }
    case 'counters.reconcile':
      return { date: '2026-01-01' }
    case 'commission.rules':
    case 'settlements.list':
      return {}
    case 'commission.setRules':
      return { storeBp: 100 + n, couponFeeFen: 50, clerkBp: 50, includeBroughtIn: false, attributionDays: 30 }
    case 'settlements.create': {
      // A fresh past day per cell: periods never overlap.
      const day = new Date(Date.UTC(2019, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)
      return { fromDate: day, toDate: day }
    }
    case 'settlements.statement':
      return { settlementId: pool.settlement, storeId, key: `store:${storeId}` }
    case 'settlements.confirm': {
      const day = new Date(Date.UTC(2014, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)
      const made = await c.ok(org.owner, 'settlements.create', { fromDate: day, toDate: day })
      return { settlementId: made.settlement.id }
    }
  }
}

/** Segments and campaigns (segments): a store-A template, a segment and a finished campaign of store A's manager. */
const marketing = { templateId: '', segmentId: '', campaignId: '' }

async function seedMarketing(): Promise<void> {
  const made = await c.ok(org.owner, 'couponTemplates.create', { ...couponTemplateInput(0), storeId: org.storeA })
  await c.ok(org.owner, 'couponTemplates.setStatus', { templateId: made.template.id, to: 'active' })
  marketing.templateId = made.template.id
  marketing.segmentId = await managerSegment(0)
  marketing.campaignId = (await c.ok(org.manager, 'campaigns.create', { name: '角色表活动', segmentId: marketing.segmentId, templateId: marketing.templateId })).campaign.id
  await c.ok(org.manager, 'campaigns.run', { campaignId: marketing.campaignId })
}

async function managerSegment(i: number): Promise<string> {
  return (await c.ok(org.manager, 'segments.save', { name: `本店人群${i}`, root: { op: 'and', items: [{ kind: 'tier', levels: [1, 2, 3] }] } })).segment.id
}

/** A scheduled campaign of the manager's (nothing issued), for a cell to cancel. */
async function managerCampaign(i: number): Promise<string> {
  return (await c.ok(org.manager, 'campaigns.create', { name: `待取消${i}`, preset: 'sleeping', templateId: marketing.templateId, startAt: new Date(Date.now() + 86_400_000).toISOString() })).campaign.id
}

/** A clerk's pending sale in `storeId`, as cashier.capture leaves one (inserted: store B has no clerk). */
async function pendingApproval(storeId: string, i: number): Promise<string> {
  const id = 'A' + String(i).padStart(30, '0')
  await c.db.collection('cashier_approvals').add({
    data: {
      _id: id, storeId, clerkOpenid: org.clerk, clerkName: '店员小赵', memberId: 'm_o-role-table-member', memberNo: MEMBER_NO, amountFen: 60_000 + i,
      clientRequestId: `role-table-${i}-approval`, reason: 'amount', status: 'pending', createdAt: new Date(), decidedAt: null, decidedBy: null, decidedByName: null, outTradeNo: null, pointsEarned: 0,
    },
  })
  return id
}

type Side = 'own' | 'brand' | 'other'
const sideOf = (target: Target): Side => (target === '-' || isSubBrandTarget(target) ? 'own' : target)
/** The pool template a cell acts on: a store's, or a sub-brand's (coupon gaps). */
const templateAt = (target: Target): string => (isSubBrandTarget(target) ? pool.subBrandTemplates[target] : pool.templates[sideOf(target)])

function couponTemplateInput(i: number) {
  return { title: `角色表券${i}`, value: { type: 'cash', valueFen: 500 }, validity: { kind: 'relative', days: 30 }, stock: 100 }
}

/**
 * Made once before the table: a template per target store and coupons of the role-table member
 * usable everywhere (for the cells' verifications and the verifications they undo).
 */
const pool = {
  templates: { own: '', brand: '', other: '' },
  subBrandTemplates: { b1: '', b2: '' },
  coupons: [] as string[],
  /** An issuing HQ template (rewards: a birthday gift or a shop item names one). */
  activeTemplate: '',
  // Touchpoints (touchpoints): one per target store, and a settlement with a statement per store.
  touchpoints: { own: '', brand: '', other: '' },
  settlement: '',
}

/**
 * A verification in `storeId` made just now by the owner, for an undo cell: made when the cell
 * runs, not before the table, since an undo is allowed only within 10 minutes of it and the
 * table can take longer than that on a loaded machine.
 */
async function freshVerification(storeId: string): Promise<string> {
  const ticket = await roleTicket(storeId, 'owner')
  const done = await c.ok(org.owner, 'coupons.verify', { storeId, ticket, requestId: `role-table-${n}-undo` })
  return done.verification.id as string
}

async function seedCouponPool(): Promise<void> {
  for (const side of ['own', 'brand', 'other'] as const) {
    pool.templates[side] = (await c.ok(org.owner, 'couponTemplates.create', { ...couponTemplateInput(0), storeId: storeOf(side) })).template.id
  }
  for (const side of ['b1', 'b2'] as const) {
    pool.subBrandTemplates[side] = (await c.ok(org.owner, 'couponTemplates.create', { ...couponTemplateInput(0), storeId: null, subBrandId: subBrandOf(side) })).template.id
  }
  // Every cell builds its input (refused ones too): 7 verify and 7 undo inputs per store (each
  // undo input verifies one first), plus the audit-failure and no-OPENID walks.
  for (let batch = 0; batch < 4; batch += 1) {
    const made = await c.ok(org.owner, 'couponTemplates.create', { ...couponTemplateInput(0), storeId: null, perMemberLimit: 15 })
    await c.ok(org.owner, 'couponTemplates.setStatus', { templateId: made.template.id, to: 'active' })
    pool.activeTemplate = made.template.id
    for (let i = 0; i < 15; i += 1) {
      const claimed = await c.invoke('member', 'claimCoupon', { templateId: made.template.id }, ROLE_MEMBER)
      if (!claimed.ok) throw new Error(`claim: ${claimed.code}`)
      pool.coupons.push(claimed.data.coupon.id)
    }
  }
  await seedTouchpointPool()
}

/** A touchpoint per target store, and a settlement of a past day whose statements cover all three stores. */
async function seedTouchpointPool(): Promise<void> {
  for (const side of ['own', 'brand', 'other'] as const) {
    pool.touchpoints[side] = (await c.ok(org.owner, 'touchpoints.create', { storeId: storeOf(side), name: `角色表渠道${side}`, kind: 'poster', costFen: 500, target: { kind: 'pay' } })).touchpoint.id
  }
  await c.ok(org.owner, 'commission.setRules', { storeBp: 500, couponFeeFen: 0, clerkBp: 0, includeBroughtIn: false, attributionDays: 30 })
  const paidAt = new Date('2013-06-01T04:00:00.000Z')
  for (const side of ['own', 'brand', 'other'] as const) {
    // An order fact of that day (as a capture would have left it) in each store.
    await c.db.collection(COLLECTIONS.orderFacts).add({
      data: {
        _id: `role-fact-${side}`, memberId: 'm_o-role-table-member', openid: ROLE_MEMBER, storeId: storeOf(side), brandId: null, channel: 'cashier', amountFen: 10_000, paidAt, paidDay: '20130601',
        nth: 1, joined: false, referral: false, touchpointId: '', badgeClerkOpenid: null, memberFirstStoreId: '', state: 'paid', refundedAt: null, refundDay: null, updatedAt: paidAt,
      },
    })
  }
  pool.settlement = (await c.ok(org.owner, 'settlements.create', { fromDate: '2013-06-01', toDate: '2013-06-01' })).settlement.id
}

/**
 * A ticket for the next unused pool coupon from a lookup by `who` (lookups write nothing), or by
 * the owner when `who` may not look up: a well-formed ticket that is not theirs, for the cells
 * that must be refused before it is read.
 */
async function roleTicket(storeId: string, who: Who): Promise<string> {
  const couponId = pool.coupons.shift()
  const looker = who !== 'consumer' && decide(scopeOfWho(who), 'coupons.lookup', storeId).allowed ? openidOf(who) : org.owner
  const found = await c.ok(looker, 'coupons.lookup', { storeId, code: memberCode(MEMBER_NO) })
  const mine = found.coupons.find((x: any) => x.id === couponId)
  return mine.ticket
}

/** The parts of the tree a cell's target is, for the pure decide() check. */
function refsAt(action: AdminAction, target: Target): ScopeRef[] {
  if (target === '-') return []
  return action === 'subBrands.update' || isSubBrandTarget(target) ? [{ subBrandId: subBrandOf(target) }] : [{ storeId: storeOf(target) }]
}

/** Each role's scope as loadStaff resolves it from the seeded tree. */
function scopeOfWho(who: StaffRole): StaffScope {
  if (who === 'brand') return { role: who, storeIds: [org.storeA, org.storeC], subBrandIds: [org.b1], regionIds: [org.r1, org.r2] }
  if (who === 'region') return { role: who, storeIds: [org.storeA], subBrandIds: [], regionIds: [org.r1] }
  if (who === 'manager' || who === 'clerk') return { role: who, storeIds: [org.storeA] }
  return { role: who, storeIds: [] }
}

describe('the role table', () => {
  it('covers every action the admin function registers and agrees with decide()', () => {
    expect(new Set(TABLE.map(([a]) => a))).toEqual(new Set(REGISTERED))
    for (const action of REGISTERED) expect([action, actions[action].staffAction, action in ADMIN_ACTIONS]).toEqual([action, action, true])
    for (const [action, target] of TABLE) {
      if (ADMIN_ACTIONS[action].storeScoped) expect(target).not.toBe('-')
      else expect(target).toBe('-')
    }
    for (const action of REGISTERED) {
      if (ADMIN_ACTIONS[action].storeScoped) expect([action, TABLE.filter(([a, t]) => a === action && !isSubBrandTarget(t)).map(([, t]) => t).sort()]).toEqual([action, ['brand', 'other', 'own']])
    }
    for (const cell of CELLS) {
      if (cell.who === 'consumer') continue
      const decided = decideWithin(scopeOfWho(cell.who), cell.action, refsAt(cell.action, cell.target)).allowed
      expect([cell.action, cell.target, cell.who, decided]).toEqual([cell.action, cell.target, cell.who, cell.allowed])
    }
  })

  it('has, for every row that changes something, a cell where it runs (so its audit line is checked)', () => {
    for (const action of REGISTERED.filter((a) => ADMIN_ACTIONS[a].changes)) {
      expect([action, CELLS.some((cell) => cell.action === action && cell.allowed)]).toEqual([action, true])
    }
  })

  it.each(CELLS.map((cell) => [`${cell.action}${cell.target === '-' ? '' : ` @${cell.target} store`} as ${cell.who} → ${cell.allowed ? 'allowed' : 'FORBIDDEN'}`, cell] as const))(
    '%s',
    async (_name, cell) => {
      const input = await inputFor(cell.action, cell.target, cell.who)
      expect(input).toEqual(expect.any(Object))
      const before = await snapshot(c.db)
      const linesBefore = new Set((await all(c.db, COLLECTIONS.audit)).map((l) => l._id))
      const res = await c.admin(openidOf(cell.who), cell.action, input)
      if (cell.allowed) {
        expect(res).toMatchObject({ ok: true })
        const added = (await all(c.db, COLLECTIONS.audit)).filter((l) => !linesBefore.has(l._id))
        if (ADMIN_ACTIONS[cell.action].changes) {
          expect(added).toEqual([expect.objectContaining({ action: cell.action, actorOpenid: openidOf(cell.who), actorRole: cell.who, summary: expect.stringMatching(/\S/), target: expect.stringMatching(/\S/) })])
        } else {
          expect(added).toEqual([])
        }
      } else {
        expect(res).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/\S/) })
        expect(await snapshot(c.db)).toBe(before)
      }
    },
  )

  it('makes no change when its audit line cannot be written: every changing row, the audit write failing inside its transaction', async () => {
    const changing = REGISTERED.filter((a) => ADMIN_ACTIONS[a].changes)
    for (const action of changing) {
      const cell = CELLS.find((x) => x.action === action && x.allowed && x.who !== 'consumer')
      if (!cell || cell.who === 'consumer') throw new Error(`${action}: no allowed cell`)
      const input = await inputFor(action, cell.target)
      const spec = actions[action] as unknown as { input: { parse(v: unknown): unknown }; run(input: unknown, ctx: unknown): Promise<unknown> }
      const parsed = spec.input.parse(input)
      const before = await snapshot(c.db)
      const ctx = {
        caller: { openid: openidOf(cell.who), appid: 'wx-test', unionid: '', source: 'wx_client' },
        db: auditFailingDb(c.db),
        // WeChat's content check answers 'pass' (this walk is about the audit write, run in-process
        // where the local cloud's open API, scoped to function invocations, is not reachable).
        cloud: { openapi: { security: { msgSecCheck: () => Promise.resolve({ errCode: 0, result: { suggest: 'pass' } }) } } } as never,
        now: () => new Date(),
      }
      await expect(spec.run(parsed, ctx)).rejects.toThrow(/injected: audit write failed/)
      expect([action, await snapshot(c.db) === before]).toEqual([action, true])
    }
  })

  it('answers UNAUTHENTICATED to a caller without an OPENID, for every action, changing nothing', async () => {
    // Inputs first: preparing some of them (a store to assign, a clerk to remove) changes the database.
    const inputs = new Map<AdminAction, unknown>()
    for (const action of REGISTERED) inputs.set(action, action === 'orders.refund' ? { outTradeNo: 'C0' } : await inputFor(action, 'own'))
    const before = await snapshot(c.db)
    for (const action of REGISTERED) {
      const res = await c.admin('', action, inputs.get(action))
      expect([action, res]).toEqual([action, expect.objectContaining({ ok: false, code: 'UNAUTHENTICATED' })])
    }
    expect(await snapshot(c.db)).toBe(before)
  })

  it('lets anyone ask `me`, and scopes store lists to the caller', async () => {
    expect(await c.ok('o-just-a-consumer', 'me')).toEqual({ staff: null })
    expect(await c.ok('', 'me')).toEqual({ staff: null })
    const managerStores = await c.ok(org.manager, 'stores.list')
    expect(managerStores.stores.map((s: any) => s.id)).toEqual([org.storeA])
    const ownerStores = await c.ok(org.owner, 'stores.list')
    expect(ownerStores.stores.map((s: any) => s.id)).toEqual(expect.arrayContaining([org.storeA, org.storeB]))
  })

  it('only lets owner/HQ open or close a store, and validates store fields', async () => {
    const before = await snapshot(c.db)
    expect(await c.admin(org.manager, 'stores.update', { storeId: org.storeA, status: 'closed' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    for (const bad of [
      { storeId: org.storeA, latitude: 91 },
      { storeId: org.storeA, longitude: -181 },
      { storeId: org.storeA, name: '' },
      { storeId: org.storeA, name: '名'.repeat(31) },
      { storeId: org.storeA, address: '址'.repeat(101) },
      { storeId: org.storeA, phone: 'call me' },
      { storeId: org.storeA, hours: 'h'.repeat(51) },
      { storeId: org.storeA },
      { storeId: org.storeA, latitude: '31' },
    ]) {
      expect(await c.admin(org.owner, 'stores.update', bad)).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    }
    expect(await c.admin(org.owner, 'stores.create', { name: '缺坐标', address: '某路 1 号' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await c.admin(org.owner, 'stores.update', { storeId: 'no-such-store', hours: '9-5' })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await snapshot(c.db)).toBe(before)
    const updated = await c.ok(org.manager, 'stores.update', { storeId: org.storeA, phone: '021-87654321', latitude: 31.2, longitude: 121.5 })
    expect(updated.store).toMatchObject({ id: org.storeA, phone: '021-87654321', latitude: 31.2, longitude: 121.5, name: '徐汇店' })
  })

  it('validates settings: ascending tiers, multipliers 100..500, fenPerPoint 1..100000, brand 1..20 chars', async () => {
    const tiers = (await c.ok(org.clerk, 'settings.get')).settings.tiers
    const before = await snapshot(c.db)
    const bad = [
      { brandName: '' },
      { brandName: '品'.repeat(21) },
      { fenPerPoint: 0 },
      { fenPerPoint: 100_001 },
      { fenPerPoint: 1.5 },
      { tiers: [] },
      { tiers: [{ ...tiers[0], minGrowth: 10 }] },
      { tiers: [tiers[0], { ...tiers[1], minGrowth: 0 }] },
      { tiers: [tiers[1], tiers[0]] },
      { tiers: [tiers[0], { ...tiers[1], multiplierPercent: 99 }] },
      { tiers: [tiers[0], { ...tiers[1], multiplierPercent: 501 }] },
      { card: { background: 'red', textColor: '#ffffff' } },
      { logoUrl: 'javascript:alert(1)' },
      {},
      { unknown: 1 },
    ]
    for (const input of bad) expect([input, await c.admin(org.owner, 'settings.update', input)]).toEqual([input, expect.objectContaining({ ok: false, code: 'INVALID_INPUT' })])
    expect(await snapshot(c.db)).toBe(before)
    const next = [tiers[0], { ...tiers[1], minGrowth: 800, multiplierPercent: 500 }, { name: '钻石会员', minGrowth: 5000, multiplierPercent: 200, benefits: [] }]
    const res = await c.ok(org.owner, 'settings.update', { tiers: next, fenPerPoint: 50, brandName: '拾光' })
    expect(res.settings.tiers.map((t: any) => [t.level, t.minGrowth])).toEqual([[1, 0], [2, 800], [3, 5000]])
    expect((await c.ok(org.clerk, 'settings.get')).settings).toMatchObject({ brandName: '拾光', fenPerPoint: 50 })
  })
})

/**
 * The database as the functions see it, except that inside a transaction every write to the
 * audit collection fails (as a failed write would on the cloud): a change that records its line
 * in its own transaction then cannot happen; one that records it elsewhere, or not at all, does.
 */
function auditFailingDb(db: any): any {
  const failing = () => Promise.reject(new Error('injected: audit write failed'))
  const wrapT = (t: any) => ({
    collection(name: string) {
      if (name !== COLLECTIONS.audit) return t.collection(name)
      return { doc: () => ({ set: failing, update: failing, remove: failing, get: () => t.collection(name).doc('-').get() }), add: failing }
    },
  })
  // The functions' SDK runs with throwOnNotFound: false (cloudfunctions/shared/cloud.ts); the test's does not.
  const collection = (name: string) => {
    const col = db.collection(name)
    return new Proxy(col, {
      get(target, prop) {
        if (prop === 'doc') {
          return (id: string) => {
            const ref = target.doc(id)
            return new Proxy(ref, {
              get(r, p) {
                if (p === 'get') return () => r.get().catch((e: Error) => (/does not exist/.test(e.message) ? { data: null } : Promise.reject(e)))
                const v = r[p]
                return typeof v === 'function' ? v.bind(r) : v
              },
            })
          }
        }
        const v = target[prop]
        return typeof v === 'function' ? v.bind(target) : v
      },
    })
  }
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'collection') return collection
      if (prop === 'runTransaction') return (body: (t: any) => Promise<unknown>, retries?: number) => target.runTransaction((t: any) => body(wrapT(t)), retries)
      const v = target[prop]
      return typeof v === 'function' ? v.bind(target) : v
    },
  })
}
