import type { ActionContext } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { decide, ROLE_NAMES, type AdminAction, type StaffScope } from '../domain/permissions'
import { getDoc } from '../services/db-util'
import type { StaffDoc } from '../services/documents'

/**
 * Who the caller is as staff: their staff document, found by the OPENID of the runtime context
 * (never by anything in the request). Every admin action starts here.
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

/**
 * The caller's staff document if their role may run `action` at all (store scope is checked
 * separately, once the target store is known). Not staff or wrong role → FORBIDDEN.
 */
export async function requireRole(ctx: ActionContext, action: AdminAction): Promise<StaffDoc> {
  requireOpenid(ctx.caller)
  const staff = await loadStaff(ctx)
  if (!staff) throw new AppError('FORBIDDEN', NOT_STAFF_MESSAGE)
  const decision = decide(scopeOf(staff), action)
  if (!decision.allowed && decision.reason === 'ROLE') throw new AppError('FORBIDDEN', `${ROLE_NAMES[staff.role]}没有权限执行此操作`)
  return staff
}

/** For store-scoped actions: the target store must be within the caller's scope. */
export function assertStoreScope(staff: StaffDoc, action: AdminAction, storeId: string): void {
  const decision = decide(scopeOf(staff), action, storeId)
  if (!decision.allowed) {
    throw new AppError('FORBIDDEN', decision.reason === 'STORE' ? STORE_SCOPE_MESSAGE : `${ROLE_NAMES[staff.role]}没有权限执行此操作`)
  }
}

/** Role check and store scope in one, when the store is known from the input. */
export async function requireStaffFor(ctx: ActionContext, action: AdminAction, storeId: string): Promise<StaffDoc> {
  const staff = await requireRole(ctx, action)
  assertStoreScope(staff, action, storeId)
  return staff
}

/** Dates cross JSON as ISO strings; the SDK hands back Date objects (or strings from old data). */
export function iso(d: Date | string | null | undefined): string | null {
  if (!d) return null
  const date = d instanceof Date ? d : new Date(d)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
