import type { AdminAction } from '../domain/permissions'
import { COLLECTIONS } from '../shared/collections'
import type { StaffActionContext } from '../admin/staff-context'
import type { Transaction } from './db-util'

/** One line of the audit trail: who did what to what, in the caller's words. */
export interface AuditDoc {
  _id: string
  action: AdminAction
  actorOpenid: string
  actorRole: string
  actorName: string
  /** The store the change concerns (null: merchant-wide). */
  storeId: string | null
  /** What was changed, e.g. 'order:abc', 'coupon-template:t1', 'staff:o-123'. */
  target: string
  /** A short Chinese summary a person reads in the audit list, e.g. 「退款 ¥12.00」. */
  summary: string
  createdAt: Date
}

export interface AuditEntry {
  storeId: string | null
  target: string
  summary: string
}

/**
 * Builds the audit line for a change. Build it BEFORE runTransaction and write it with
 * writeAudit inside the body: the body may be re-run after a conflict, and the same id makes the
 * re-run replace, not add, its line. The change and its line commit together or not at all, so a
 * refused action leaves no line.
 */
export function auditLine(ctx: StaffActionContext, action: AdminAction, entry: AuditEntry): AuditDoc {
  const now = ctx.now()
  const suffix = Math.random().toString(36).slice(2, 10)
  return {
    _id: `${now.getTime().toString(36)}-${suffix}`,
    action,
    actorOpenid: ctx.staff._id,
    actorRole: ctx.staff.role,
    actorName: ctx.staff.name,
    storeId: entry.storeId,
    target: entry.target,
    summary: entry.summary,
    createdAt: now,
  }
}

/** Writes `line` (from auditLine) in transaction `t`. Call it once per changing action. */
export async function writeAudit(t: Transaction, line: AuditDoc): Promise<void> {
  const { _id, ...data } = line
  await t.collection(COLLECTIONS.audit).doc(_id).set({ data })
}
