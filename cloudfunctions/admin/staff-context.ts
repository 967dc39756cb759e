import type { z } from 'zod'
import type { ActionContext, ActionSpec, AnyActionSpec } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { ADMIN_ACTIONS, decide, ROLE_NAMES, type AdminAction, type StaffScope } from '../domain/permissions'
import { getDoc } from '../services/db-util'
import type { StaffDoc } from '../services/documents'

/**
 * Who the caller is as staff: their staff document, found by the OPENID of the runtime context
 * (never by anything in the request).
 */
export async function loadStaff(ctx: ActionContext): Promise<StaffDoc | null> {
  if (!ctx.caller.openid) return null
  return getDoc<StaffDoc>(ctx.db, COLLECTIONS.staff, ctx.caller.openid)
}

export function scopeOf(staff: StaffDoc): StaffScope {
  return { role: staff.role, storeIds: staff.storeIds ?? [] }
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
 * invite): then only roles that see every store pass. Anything else found is handed to run.
 */
export type StoreTarget = { storeId: string | null }

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
      const decision = decide(scope, action, target.storeId ?? undefined)
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
