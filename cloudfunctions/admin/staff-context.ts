import type { z } from 'zod'
import type { ActionContext, ActionSpec, AnyActionSpec } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { ADMIN_ACTIONS, decide, decideWithin, ROLE_NAMES, type AdminAction, type ScopeRef, type StaffScope } from '../domain/permissions'
import type { Database } from '../shared/cloud'
import { getDoc, list } from '../services/db-util'
import type { RegionDoc, StaffDoc, StoreDoc } from '../services/documents'

/**
 * Who the caller is as staff: their staff document, found by the OPENID of the runtime context
 * (never by anything in the request).
 */
export async function loadStaff(ctx: ActionContext): Promise<StaffDoc | null> {
  if (!ctx.caller.openid) return null
  // Read on every call, never cached: a removed or re-scoped staff member's next call sees it.
  const doc = await getDoc<StaffDoc>(ctx.db, COLLECTIONS.staff, ctx.caller.openid)
  return doc ? resolveTree(ctx.db, doc) : null
}

/** Enough for a chain's tree: sub-brands, regions and stores are each a few hundred at most. */
const MAX_TREE_ROWS = 1000

/**
 * The stores (and regions) a staff member acts on, from the tree as it is now: a sub-brand
 * operator's `storeIds` become every store of their sub-brands and `regionIds` every region of
 * them, a region manager's `storeIds` every store of their regions. So every store-scoped check
 * (decide() against `storeIds`, and code filtering by `staff.storeIds`) follows the tree without
 * knowing about it. The answer is for checking only: never write it back to the staff document.
 */
export async function resolveTree(db: Database, doc: StaffDoc): Promise<StaffDoc> {
  const _ = db.command
  if (doc.role === 'brand') {
    const subBrandIds = doc.subBrandIds ?? []
    if (subBrandIds.length === 0) return { ...doc, storeIds: [], subBrandIds, regionIds: [] }
    const [stores, regions] = await Promise.all([
      list<StoreDoc>(db.collection(COLLECTIONS.stores).where({ subBrandId: _.in(subBrandIds) }).field({ _id: true }).limit(MAX_TREE_ROWS)),
      list<RegionDoc>(db.collection(COLLECTIONS.regions).where({ subBrandId: _.in(subBrandIds) }).field({ _id: true }).limit(MAX_TREE_ROWS)),
    ])
    return { ...doc, storeIds: stores.map((s) => s._id), subBrandIds, regionIds: regions.map((r) => r._id) }
  }
  if (doc.role === 'region') {
    const regionIds = doc.regionIds ?? []
    if (regionIds.length === 0) return { ...doc, storeIds: [], subBrandIds: [], regionIds }
    const stores = await list<StoreDoc>(db.collection(COLLECTIONS.stores).where({ regionId: _.in(regionIds) }).field({ _id: true }).limit(MAX_TREE_ROWS))
    return { ...doc, storeIds: stores.map((s) => s._id), subBrandIds: [], regionIds }
  }
  return { ...doc, storeIds: doc.storeIds ?? [], subBrandIds: [], regionIds: [] }
}

/** The scope decide() checks, from a staff member loaded by loadStaff (tree already resolved). */
export function scopeOf(staff: StaffDoc): StaffScope {
  return { role: staff.role, storeIds: staff.storeIds ?? [], subBrandIds: staff.subBrandIds ?? [], regionIds: staff.regionIds ?? [] }
}

export const NOT_STAFF_MESSAGE = '仅限商家员工使用，请先通过邀请码加入'
export const STORE_SCOPE_MESSAGE = '您只能操作自己所在门店的数据'

/** What a staff action's run gets besides its input: the checked caller. */
export interface StaffActionContext extends ActionContext {
  staff: StaffDoc
  scope: StaffScope
}

type ScopedAction = { [A in AdminAction]: (typeof ADMIN_ACTIONS)[A]['storeScoped'] extends true ? A : never }[AdminAction]
type UnscopedAction = Exclude<AdminAction, ScopedAction>

/**
 * Which store a store-scoped action acts on, found after the role check (it may load the target,
 * e.g. the order to refund, and refuse with NOT_FOUND). `storeId: null` = no store (an HQ
 * invite): then only roles that see every store pass — unless `within` names the parts of the
 * tree the action touches (a sub-brand, a region, a staff member's old and new stores): then
 * every one of them (and `storeId`, if any) must be in the caller's scope. Anything else found
 * is handed to run.
 */
export type StoreTarget = { storeId: string | null; within?: readonly ScopeRef[] }

type StaffRun<S extends z.ZodTypeAny, O> = (input: z.output<S>, ctx: StaffActionContext) => Promise<O>

export interface StoreActionBody<S extends z.ZodTypeAny, O, T extends StoreTarget> {
  target: (input: z.output<S>, ctx: StaffActionContext) => T | Promise<T>
  run: (input: z.output<S>, ctx: StaffActionContext, target: T) => Promise<O>
}

/** An admin action bound to its row of the role table: `staffAction` names the row. */
export type StaffActionSpec<A extends AdminAction, S extends z.ZodTypeAny, O> = ActionSpec<S, O> & { readonly staffAction: A }

function forbiddenFor(staff: StaffDoc, reason: 'ROLE' | 'STORE'): AppError {
  return new AppError('FORBIDDEN', reason === 'STORE' ? STORE_SCOPE_MESSAGE : `${ROLE_NAMES[staff.role]}没有权限执行此操作`)
}

/**
 * The one way to declare an admin action that only staff may run. Before `run`, the wrapper
 * checks, in this order: an OPENID (UNAUTHENTICATED), a staff document for it and a role that
 * the action's row of ADMIN_ACTIONS allows (FORBIDDEN), and for a store-scoped action the target
 * store (FORBIDDEN) — the same decide() that admin.me's capabilities are computed with.
 * `action` must be a row of the table (a type error otherwise), and a store-scoped row must say
 * how to find its store (`{ target, run }`), so no action can skip its check.
 */
export function defineStaffAction<A extends UnscopedAction, S extends z.ZodTypeAny, O>(action: A, input: S, run: StaffRun<S, O>): StaffActionSpec<A, S, O>
export function defineStaffAction<A extends ScopedAction, S extends z.ZodTypeAny, O, T extends StoreTarget>(
  action: A,
  input: S,
  body: StoreActionBody<S, O, T>,
): StaffActionSpec<A, S, O>
export function defineStaffAction<A extends AdminAction, S extends z.ZodTypeAny, O, T extends StoreTarget>(
  action: A,
  input: S,
  body: StaffRun<S, O> | StoreActionBody<S, O, T>,
): StaffActionSpec<A, S, O> {
  const scoped: boolean = ADMIN_ACTIONS[action].storeScoped
  if (scoped !== (typeof body !== 'function')) throw new Error(`${action}: store-scoped actions need { target, run }, others a run function`)
  return {
    staffAction: action,
    input,
    run: async (parsed, base) => {
      requireOpenid(base.caller)
      const staff = await loadStaff(base)
      if (!staff) throw new AppError('FORBIDDEN', NOT_STAFF_MESSAGE)
      const scope = scopeOf(staff)
      const role = decide(scope, action)
      if (!role.allowed && role.reason === 'ROLE') throw forbiddenFor(staff, 'ROLE')
      const ctx: StaffActionContext = { ...base, staff, scope }
      if (typeof body === 'function') return body(parsed, ctx)
      const target = await body.target(parsed, ctx)
      const decision = target.within
        ? decideWithin(scope, action, [...(target.storeId !== null ? [{ storeId: target.storeId }] : []), ...target.within])
        : decide(scope, action, target.storeId ?? undefined)
      if (!decision.allowed) throw forbiddenFor(staff, decision.reason)
      return body.run(parsed, ctx, target)
    },
  }
}

/** Actions any caller may run (they check who the caller is themselves). */
export const PUBLIC_ADMIN_ACTIONS = ['me', 'joinStaff', 'bootstrapOwner'] as const

/**
 * The shape of the admin function's actions map: exactly one staff action per row of
 * ADMIN_ACTIONS, under its own name, plus the public ones. Checked with `satisfies`, so an
 * action without a row, a row without an action, or a staff action under another name is a
 * type error.
 */
export type AdminActionsMap = { readonly [A in AdminAction]: StaffActionSpec<A, z.ZodTypeAny, unknown> } & {
  readonly [P in (typeof PUBLIC_ADMIN_ACTIONS)[number]]: AnyActionSpec
}

/** Dates cross JSON as ISO strings; the SDK hands back Date objects (or strings from old data). */
export function iso(d: Date | string | null | undefined): string | null {
  if (!d) return null
  const date = d instanceof Date ? d : new Date(d)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
