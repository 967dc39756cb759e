import { z } from 'zod'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { ADMIN_ACTIONS, ROLE_NAMES, type AdminAction } from '../domain/permissions'
import { isStaffRole } from '../../miniprogram/shared/staff-roles'
import { list } from '../services/db-util'
import type { AuditDoc } from '../services/audit'
import type { StaffDoc } from '../services/documents'
import { auditActionLabel, chinaDayStart } from '../../miniprogram/shared/audit-labels'
import { defineStaffAction, iso } from './staff-context'
import { allStores, storeIdSchema } from './stores'

export const AUDIT_PAGE_SIZE = 20
const DAY_MS = 86_400_000
const MAX_STAFF = 1000

const CHANGING = (Object.keys(ADMIN_ACTIONS) as AdminAction[]).filter((a) => ADMIN_ACTIONS[a].changes)
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine((d) => !Number.isNaN(chinaDayStart(d).getTime()), '日期不存在')

const listSchema = z
  .object({
    action: z.string().max(64).optional(),
    storeId: storeIdSchema.optional(),
    // OPENIDs are letters, digits, '-' and '_' (28 characters on WeChat; test ids are longer).
    actorOpenid: z.string({ invalid_type_error: '员工标识格式不正确' }).trim().regex(/^[A-Za-z0-9_-]{1,128}$/, '员工标识格式不正确').optional(),
    /** China dates, both inclusive. */
    from: day.optional(),
    to: day.optional(),
    page: z.number().int().min(1).max(500).default(1),
  })
  .strict()

/**
 * The audit trail, newest first, for the owner and HQ: filtered by action, store, actor and a
 * range of China dates; pages of 20.
 */
export const auditList = defineStaffAction('audit.list', listSchema, async (input, ctx) => {
  if (input.action !== undefined && !(CHANGING as string[]).includes(input.action)) throw new AppError('INVALID_INPUT', '没有这种操作记录')
  const from = input.from ? chinaDayStart(input.from) : null
  const until = input.to ? new Date(chinaDayStart(input.to).getTime() + DAY_MS) : null
  if (from && until && from.getTime() >= until.getTime()) throw new AppError('INVALID_INPUT', '开始日期不能晚于结束日期')
  const _ = ctx.db.command
  const where: Record<string, unknown> = {}
  if (input.action) where.action = input.action
  if (input.storeId) where.storeId = input.storeId
  if (input.actorOpenid) where.actorOpenid = input.actorOpenid
  if (from && until) where.createdAt = _.and(_.gte(from), _.lt(until))
  else if (from) where.createdAt = _.gte(from)
  else if (until) where.createdAt = _.lt(until)
  const [rows, stores, staff] = await Promise.all([
    list<AuditDoc>(
      ctx.db
        .collection(COLLECTIONS.audit)
        .where(where)
        .orderBy('createdAt', 'desc')
        .skip((input.page - 1) * AUDIT_PAGE_SIZE)
        .limit(AUDIT_PAGE_SIZE + 1),
    ),
    allStores(ctx.db),
    list<StaffDoc>(ctx.db.collection(COLLECTIONS.staff).limit(MAX_STAFF)),
  ])
  const storeName = new Map(stores.map((s) => [s._id, s.name]))
  return {
    lines: rows.slice(0, AUDIT_PAGE_SIZE).map((l) => ({
      id: l._id,
      action: l.action,
      actionLabel: auditActionLabel(l.action),
      actorName: l.actorName,
      actorRole: l.actorRole,
      actorRoleName: isStaffRole(l.actorRole) ? ROLE_NAMES[l.actorRole] : l.actorRole,
      storeId: l.storeId,
      storeName: l.storeId ? (storeName.get(l.storeId) ?? '已删除的门店') : '',
      target: l.target,
      summary: l.summary,
      createdAt: iso(l.createdAt),
    })),
    page: input.page,
    hasMore: rows.length > AUDIT_PAGE_SIZE,
    /** What the page's filters offer. */
    filters: {
      actions: CHANGING.map((a) => ({ value: a, label: auditActionLabel(a) })),
      stores: stores.map((s) => ({ value: s._id, label: s.name })),
      actors: staff.map((s) => ({ value: s.openid, label: `${s.name}（${ROLE_NAMES[s.role]}）` })),
    },
  }
})
