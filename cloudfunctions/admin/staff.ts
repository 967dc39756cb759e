import { z } from 'zod'
import { textField } from '../shared/text-input'
import { defineAction } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { covers, INVITABLE_ROLES, isBelow, ROLE_NAMES, scopeKindOf, seesAllStores, STAFF_ROLES, type ScopeRef, type StaffRole } from '../domain/permissions'
import { capabilitiesOf } from '../domain/capabilities'
import { STAFF_NAME_MAX } from '../../miniprogram/shared/text-limits'
import { INVITE_TTL_MS, inviteState, newInviteCode, normalizeInviteCode } from '../domain/invite-code'
import { auditLine, writeAudit } from '../services/audit'
import { getDoc, list, runTransaction, txGet, withoutId } from '../services/db-util'
import type { StaffDoc, StaffInviteDoc } from '../services/documents'
import { setupNotice } from '../services/setup'
import { defineStaffAction, iso, loadStaff, resolveTree, scopeOf, type StaffActionContext } from './staff-context'
import type { Database } from '../shared/cloud'
import { requireStore, storeIdSchema, storesOf } from './stores'
import { requireRegion, requireSubBrand, treeNames } from './tree'

const ROLES = ['owner', 'hq', 'brand', 'region', 'manager', 'clerk'] as const satisfies readonly StaffRole[]
const MAX_STAFF = 1000
const MAX_INVITES = 1000
/** How many stores, sub-brands or regions one staff member may be assigned. */
const MAX_ASSIGNED = 50

/** Stored invite: the code is the _id (unique by construction); `code` repeats it for readability in the console. */
type StoredInvite = StaffInviteDoc & { code: string }

export const staffNameSchema = textField({ label: '姓名', max: STAFF_NAME_MAX })

/** What a role is assigned to: stores, sub-brands or regions (owner and HQ: nothing). */
export interface Assignment {
  storeIds: string[]
  subBrandIds: string[]
  regionIds: string[]
}

/** The parts of the tree an assignment (of a staff doc or an invite, as stored) names. */
export function refsOf(a: Partial<Assignment>): ScopeRef[] {
  return [
    ...(a.storeIds ?? []).map((storeId) => ({ storeId })),
    ...(a.subBrandIds ?? []).map((subBrandId) => ({ subBrandId })),
    ...(a.regionIds ?? []).map((regionId) => ({ regionId })),
  ]
}

function assignmentOf(a: Partial<Assignment>): Assignment {
  return { storeIds: [...(a.storeIds ?? [])], subBrandIds: [...(a.subBrandIds ?? [])], regionIds: [...(a.regionIds ?? [])] }
}

const KIND_NAMES = { store: '门店', subBrand: '子品牌', region: '区域' } as const

/**
 * The assignment a role gets from an input: exactly the kind the role needs (stores for a
 * manager or clerk, sub-brands for an operator, regions for a region manager), at least one,
 * each existing; owner and HQ get none.
 */
async function assignmentFor(ctx: StaffActionContext, role: StaffRole, input: Partial<Assignment>): Promise<Assignment> {
  const kind = scopeKindOf(role)
  const given = assignmentOf(input)
  const fields = { store: given.storeIds, subBrand: given.subBrandIds, region: given.regionIds }
  for (const k of ['store', 'subBrand', 'region'] as const) {
    if (k !== kind && fields[k].length > 0) throw new AppError('INVALID_INPUT', `${ROLE_NAMES[role]}不分配${KIND_NAMES[k]}`)
  }
  if (kind === 'none') return given
  const ids = [...new Set(fields[kind])]
  if (ids.length === 0) throw new AppError('INVALID_INPUT', `请为${ROLE_NAMES[role]}选择${KIND_NAMES[kind]}`)
  for (const id of ids) {
    if (kind === 'store') await requireStore(ctx.db, id)
    else if (kind === 'subBrand') await requireSubBrand(ctx.db, id)
    else await requireRegion(ctx.db, id)
  }
  return { storeIds: kind === 'store' ? ids : [], subBrandIds: kind === 'subBrand' ? ids : [], regionIds: kind === 'region' ? ids : [] }
}

/** A readable list of what an assignment names: 「徐汇店、静安店」「子品牌 拾光茶饮」. */
async function describeAssignment(ctx: StaffActionContext, a: Assignment): Promise<string> {
  const names = await treeNames(ctx.db, a)
  const parts = [
    ...a.storeIds.map((id) => names.stores.get(id) ?? '已删除的门店'),
    ...a.subBrandIds.map((id) => `子品牌「${names.subBrands.get(id) ?? '已删除'}」`),
    ...a.regionIds.map((id) => `区域「${names.regions.get(id) ?? '已删除'}」`),
  ]
  return parts.length ? parts.join('、') : '全部门店'
}

/**
 * Any caller: their staff card, or null for a consumer (the mine page shows 商家管理 only for
 * staff). `capabilities` say what the pages may offer this caller (domain/capabilities.ts).
 * `stores` are every store the caller acts on (from the tree for a sub-brand or region role).
 */
export const me = defineAction(z.object({}).strict(), async (_input, ctx) => {
  const staff = await loadStaff(ctx)
  if (!staff) return { staff: null }
  const stores = await storesOf(ctx.db, staff)
  const assigned = { storeIds: [], subBrandIds: staff.role === 'brand' ? (staff.subBrandIds ?? []) : [], regionIds: staff.role === 'region' ? (staff.regionIds ?? []) : [] }
  const names = await treeNames(ctx.db, assigned)
  return {
    staff: {
      name: staff.name,
      role: staff.role,
      roleName: ROLE_NAMES[staff.role],
      storeIds: stores.map((s) => s._id),
      stores: stores.map((s) => ({ id: s._id, name: s.name })),
      subBrands: assigned.subBrandIds.map((id) => ({ id, name: names.subBrands.get(id) ?? '已删除的子品牌' })),
      regions: assigned.regionIds.map((id) => ({ id, name: names.regions.get(id) ?? '已删除的区域' })),
      capabilities: capabilitiesOf(scopeOf(staff), stores.map((s) => s._id)),
      // deploy: the owner sees what the first-run setup still needs (services/setup.ts)
      ...(staff.role === 'owner' ? { setup: await setupNotice(ctx.db) } : {}),
    },
  }
})

/**
 * Could the issuer give this invite now? Their role must still rank above the invite's and
 * their scope (from the tree as it is now) must still cover what the invite assigns.
 */
async function issuerMayStill(db: Database, issuer: StaffDoc, invite: StaffInviteDoc): Promise<boolean> {
  if (!INVITABLE_ROLES[issuer.role].includes(invite.role)) return false
  const refs = refsOf(invite)
  if (refs.length === 0) return seesAllStores(issuer.role)
  const scope = scopeOf(await resolveTree(db, issuer))
  return refs.every((r) => covers(scope, r))
}

/** A consumer redeems an invite code and becomes staff, once per code. */
export const joinStaff = defineAction(
  z.object({ code: z.string().max(32, '邀请码格式不正确'), name: staffNameSchema.optional() }).strict(),
  async (input, ctx) => {
    const openid = requireOpenid(ctx.caller)
    const code = normalizeInviteCode(input.code)
    if (!code) throw new AppError('NOT_FOUND', '邀请码不存在，请核对后重新输入')
    const now = ctx.now()
    const joined = await runTransaction(ctx.db, async (t) => {
      const existing = await txGet<StaffDoc>(t, COLLECTIONS.staff, openid)
      if (existing) throw new AppError('ALREADY_STAFF', `您已是${ROLE_NAMES[existing.role]}，无需再次加入`)
      const invite = await txGet<StoredInvite>(t, COLLECTIONS.staffInvites, code)
      if (!invite) throw new AppError('NOT_FOUND', '邀请码不存在，请核对后重新输入')
      // A revoke and a join of one code are both transactions on this document: one of them wins.
      if (invite.revokedAt) throw new AppError('INVITE_REVOKED')
      const state = inviteState(invite, now)
      if (state === 'USED') throw new AppError('INVITE_USED')
      if (state === 'EXPIRED') throw new AppError('INVITE_EXPIRED')
      // The invite is only as good as its issuer is now: read in this transaction, so a
      // concurrent removal or demotion of the issuer conflicts with the join instead of racing it.
      const issuer = await txGet<StaffDoc>(t, COLLECTIONS.staff, invite.issuedBy)
      if (!issuer || !(await issuerMayStill(ctx.db, issuer, invite))) throw new AppError('INVITE_ISSUER_GONE')
      await t.collection(COLLECTIONS.staffInvites).doc(code).update({ data: { usedBy: openid, usedAt: now } })
      const staff: StaffDoc = {
        _id: openid,
        openid,
        name: input.name ?? `${ROLE_NAMES[invite.role]}${openid.slice(-4)}`,
        role: invite.role,
        storeIds: invite.storeIds,
        ...(invite.subBrandIds?.length ? { subBrandIds: invite.subBrandIds } : {}),
        ...(invite.regionIds?.length ? { regionIds: invite.regionIds } : {}),
        invitedBy: invite.issuedBy,
        createdAt: now,
      }
      await t.collection(COLLECTIONS.staff).doc(openid).set({ data: withoutId(staff) })
      return staff
    })
    return { role: joined.role, roleName: ROLE_NAMES[joined.role] }
  },
)

const idSchema = z.string().trim().min(1).max(64)
const inviteSchema = z.object({ role: z.enum(ROLES), storeId: storeIdSchema.optional(), subBrandId: idSchema.optional(), regionId: idSchema.optional() }).strict()

function refuseRank(staff: StaffDoc, role: StaffRole, verb: string): never {
  throw new AppError('FORBIDDEN', `${ROLE_NAMES[staff.role]}不能${verb}${ROLE_NAMES[role]}`)
}

export const staffInvite = defineStaffAction('staff.invite', inviteSchema, {
  // HQ sees every store, so an HQ invite carries none (only owner/HQ may issue it); a store
  // invite names its store, a sub-brand or region invite its sub-brand or region, which must be
  // within the issuer's scope.
  target: (input, { staff }) => {
    if (!INVITABLE_ROLES[staff.role].includes(input.role)) refuseRank(staff, input.role, '邀请')
    const kind = scopeKindOf(input.role)
    if (kind === 'none') return { storeId: null }
    if (kind === 'store') {
      if (!input.storeId) throw new AppError('INVALID_INPUT', `邀请${ROLE_NAMES[input.role]}需要选择门店`)
      return { storeId: input.storeId }
    }
    if (kind === 'subBrand') {
      if (!input.subBrandId) throw new AppError('INVALID_INPUT', `邀请${ROLE_NAMES[input.role]}需要选择子品牌`)
      return { storeId: null, within: [{ subBrandId: input.subBrandId }] }
    }
    if (!input.regionId) throw new AppError('INVALID_INPUT', `邀请${ROLE_NAMES[input.role]}需要选择区域`)
    return { storeId: null, within: [{ regionId: input.regionId }] }
  },
  run: async (input, ctx) => {
    const { staff } = ctx
    const kind = scopeKindOf(input.role)
    const assignment = await assignmentFor(ctx, input.role, {
      storeIds: kind === 'store' && input.storeId ? [input.storeId] : [],
      subBrandIds: kind === 'subBrand' && input.subBrandId ? [input.subBrandId] : [],
      regionIds: kind === 'region' && input.regionId ? [input.regionId] : [],
    })
    const where = await describeAssignment(ctx, assignment)
    const now = ctx.now()
    const expiresAt = new Date(now.getTime() + INVITE_TTL_MS)
    for (let attempt = 0; ; attempt += 1) {
      const code = newInviteCode()
      const invite: StoredInvite = {
        _id: code,
        code,
        role: input.role,
        storeIds: assignment.storeIds,
        ...(assignment.subBrandIds.length ? { subBrandIds: assignment.subBrandIds } : {}),
        ...(assignment.regionIds.length ? { regionIds: assignment.regionIds } : {}),
        issuedBy: staff.openid,
        expiresAt,
        usedBy: null,
        usedAt: null,
        createdAt: now,
      }
      const line = auditLine(ctx, 'staff.invite', { storeId: assignment.storeIds[0] ?? null, target: `invite:${code}`, summary: `邀请${ROLE_NAMES[input.role]}（${where}）` })
      const issued = await runTransaction(ctx.db, async (t) => {
        // A clash with an existing code (1 in 10^11) just draws another.
        if (await txGet<StoredInvite>(t, COLLECTIONS.staffInvites, code)) return false
        await t.collection(COLLECTIONS.staffInvites).doc(code).set({ data: withoutId(invite) })
        await writeAudit(t, line)
        return true
      })
      if (issued) return { code, expiresAt: expiresAt.toISOString(), role: input.role, roleName: ROLE_NAMES[input.role] }
      if (attempt >= 3) throw new AppError('CONFLICT', '邀请码生成失败，请重试')
    }
  },
})

/** May the caller manage (change, remove) this staff member: strictly below them and wholly within their scope? */
function manageable(ctx: StaffActionContext, other: StaffDoc): boolean {
  if (other.openid === ctx.staff.openid || !isBelow(other.role, ctx.staff.role)) return false
  const refs = refsOf(other)
  if (seesAllStores(ctx.staff.role)) return true
  return refs.length > 0 && refs.every((r) => covers(ctx.scope, r))
}

/** Sees this staff member in the list: themselves, everyone for owner/HQ, else anyone with a store/sub-brand/region in scope. */
function visible(ctx: StaffActionContext, other: StaffDoc): boolean {
  if (other.openid === ctx.staff.openid || seesAllStores(ctx.staff.role)) return true
  return refsOf(other).some((r) => covers(ctx.scope, r))
}

/** Owner and HQ see everyone; the others see the staff of their stores, sub-brands and regions. */
export const staffList = defineStaffAction('staff.list', z.object({}).strict(), async (_input, ctx) => {
  const { staff } = ctx
  const rows = (await list<StaffDoc>(ctx.db.collection(COLLECTIONS.staff).limit(MAX_STAFF))).filter((s) => visible(ctx, s))
  const names = await treeNames(ctx.db, {
    storeIds: rows.flatMap((s) => s.storeIds ?? []),
    subBrandIds: rows.flatMap((s) => s.subBrandIds ?? []),
    regionIds: rows.flatMap((s) => s.regionIds ?? []),
  })
  rows.sort((a, b) => STAFF_ROLES.indexOf(a.role) - STAFF_ROLES.indexOf(b.role) || String(a.name).localeCompare(String(b.name)))
  return {
    staff: rows.map((s) => ({
      id: s.openid,
      name: s.name,
      role: s.role,
      roleName: ROLE_NAMES[s.role],
      stores: (s.storeIds ?? []).map((id) => names.stores.get(id) ?? '已删除的门店'),
      storeIds: [...(s.storeIds ?? [])],
      subBrands: (s.subBrandIds ?? []).map((id) => ({ id, name: names.subBrands.get(id) ?? '已删除的子品牌' })),
      regions: (s.regionIds ?? []).map((id) => ({ id, name: names.regions.get(id) ?? '已删除的区域' })),
      isMe: s.openid === staff.openid,
      manageable: manageable(ctx, s),
      joinedAt: iso(s.createdAt),
    })),
  }
})

/** Unused invites the caller could have issued (role below theirs, within their scope): to see and revoke. */
export const staffInvites = defineStaffAction('staff.invites', z.object({}).strict(), async (_input, ctx) => {
  const { staff, scope } = ctx
  const now = ctx.now()
  const rows = await list<StoredInvite>(ctx.db.collection(COLLECTIONS.staffInvites).where({ usedBy: null }).limit(MAX_INVITES))
  const mine = rows.filter(
    (i) => !i.revokedAt && isBelow(i.role, staff.role) && (seesAllStores(staff.role) || (refsOf(i).length > 0 && refsOf(i).every((r) => covers(scope, r)))),
  )
  const names = await treeNames(ctx.db, {
    storeIds: mine.flatMap((i) => i.storeIds ?? []),
    subBrandIds: mine.flatMap((i) => i.subBrandIds ?? []),
    regionIds: mine.flatMap((i) => i.regionIds ?? []),
  })
  const issuers = await staffNames(ctx, mine.map((i) => i.issuedBy))
  mine.sort((a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime())
  return {
    invites: mine.map((i) => ({
      code: i.code ?? i._id,
      role: i.role,
      roleName: ROLE_NAMES[i.role],
      where: [
        ...(i.storeIds ?? []).map((id) => names.stores.get(id) ?? '已删除的门店'),
        ...(i.subBrandIds ?? []).map((id) => names.subBrands.get(id) ?? '已删除的子品牌'),
        ...(i.regionIds ?? []).map((id) => names.regions.get(id) ?? '已删除的区域'),
      ],
      issuedByName: issuers.get(i.issuedBy) ?? '已离职员工',
      expiresAt: iso(i.expiresAt),
      expired: inviteState(i, now) === 'EXPIRED',
      createdAt: iso(i.createdAt),
    })),
  }
})

async function staffNames(ctx: StaffActionContext, openids: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(openids)]
  if (wanted.length === 0) return new Map()
  const rows = await list<StaffDoc>(ctx.db.collection(COLLECTIONS.staff).where({ _id: ctx.db.command.in(wanted) }).limit(MAX_STAFF))
  return new Map(rows.map((s) => [s._id, s.name]))
}

const codeSchema = z.string().max(32, '邀请码格式不正确')

/** Revokes an unused invite: whoever could have issued it (role below, within scope). */
export const staffRevokeInvite = defineStaffAction('staff.revokeInvite', z.object({ code: codeSchema }).strict(), {
  target: async (input, ctx) => {
    const code = normalizeInviteCode(input.code)
    const invite = code ? await getDoc<StoredInvite>(ctx.db, COLLECTIONS.staffInvites, code) : null
    if (!code || !invite) throw new AppError('NOT_FOUND', '邀请码不存在')
    if (!isBelow(invite.role, ctx.staff.role)) refuseRank(ctx.staff, invite.role, '撤销邀请的')
    return { storeId: null, within: refsOf(invite), code, invite }
  },
  run: async (_input, ctx, { code, invite }) => {
    const now = ctx.now()
    const line = auditLine(ctx, 'staff.revokeInvite', { storeId: invite.storeIds?.[0] ?? null, target: `invite:${code}`, summary: `撤销${ROLE_NAMES[invite.role]}邀请码 ${code}` })
    return runTransaction(ctx.db, async (t) => {
      const current = await txGet<StoredInvite>(t, COLLECTIONS.staffInvites, code)
      if (!current) throw new AppError('NOT_FOUND', '邀请码不存在')
      if (current.usedBy) throw new AppError('INVITE_USED', '该邀请码已被使用，无法撤销；如需移除该员工，请在员工列表中操作')
      if (current.revokedAt) return { code, revoked: true, alreadyRevoked: true }
      await t.collection(COLLECTIONS.staffInvites).doc(code).update({ data: { revokedAt: now, revokedBy: ctx.staff.openid } })
      await writeAudit(t, line)
      return { code, revoked: true, alreadyRevoked: false }
    })
  },
})

const openidSchema = z.string().trim().min(1, '请选择员工').max(128)
const idList = z.array(idSchema).max(MAX_ASSIGNED, `最多分配 ${MAX_ASSIGNED} 个`)

const updateSchema = z
  .object({ staffId: openidSchema, role: z.enum(ROLES), storeIds: idList.optional(), subBrandIds: idList.optional(), regionIds: idList.optional() })
  .strict()

/** The staff member to manage: exists, is not the caller, is strictly below the caller. */
async function manageTarget(ctx: StaffActionContext, staffId: string, verb: string): Promise<StaffDoc> {
  const other = await getDoc<StaffDoc>(ctx.db, COLLECTIONS.staff, staffId)
  if (!other) throw new AppError('NOT_FOUND', '该员工不存在或已被移除')
  if (other.openid === ctx.staff.openid) throw new AppError('FORBIDDEN', `不能${verb}自己`)
  if (!isBelow(other.role, ctx.staff.role)) refuseRank(ctx.staff, other.role, verb)
  return other
}

const sameAssignment = (a: StaffDoc, b: StaffDoc) =>
  a.role === b.role && JSON.stringify(assignmentOf(a)) === JSON.stringify(assignmentOf(b))

/**
 * Changes a staff member's role and what they are assigned: only someone strictly below the
 * caller, only to a role strictly below the caller, and both the old and the new assignment
 * within the caller's scope. From the state the check saw (a concurrent change is a conflict).
 */
export const staffUpdate = defineStaffAction('staff.update', updateSchema, {
  target: async (input, ctx) => {
    const other = await manageTarget(ctx, input.staffId, '修改')
    if (!INVITABLE_ROLES[ctx.staff.role].includes(input.role)) refuseRank(ctx.staff, input.role, '把员工设为')
    const next = assignmentOf(input)
    return { storeId: null, within: [...refsOf(other), ...refsOf(next)], other }
  },
  run: async (input, ctx, { other }) => {
    const next = await assignmentFor(ctx, input.role, input)
    const [before, after] = await Promise.all([describeAssignment(ctx, assignmentOf(other)), describeAssignment(ctx, next)])
    const line = auditLine(ctx, 'staff.update', {
      storeId: next.storeIds[0] ?? other.storeIds?.[0] ?? null,
      target: `staff:${other.openid}`,
      summary: `调整员工「${other.name}」：${ROLE_NAMES[other.role]}（${before}）→ ${ROLE_NAMES[input.role]}（${after}）`,
    })
    return runTransaction(ctx.db, async (t) => {
      const current = await txGet<StaffDoc>(t, COLLECTIONS.staff, other.openid)
      if (!current) throw new AppError('NOT_FOUND', '该员工不存在或已被移除')
      if (!sameAssignment({ ...current, _id: other._id }, other)) throw new AppError('CONFLICT', '该员工刚被其他人调整过，请刷新后重试')
      await t.collection(COLLECTIONS.staff).doc(other.openid).update({
        data: { role: input.role, storeIds: next.storeIds, subBrandIds: next.subBrandIds, regionIds: next.regionIds, updatedAt: ctx.now(), updatedBy: ctx.staff.openid },
      })
      await writeAudit(t, line)
      return { staffId: other.openid, role: input.role, roleName: ROLE_NAMES[input.role], ...next }
    })
  },
})

/** Removes a staff member (strictly below the caller, within their scope); their next call is refused. */
export const staffRemove = defineStaffAction('staff.remove', z.object({ staffId: openidSchema }).strict(), {
  target: async (input, ctx) => {
    const other = await manageTarget(ctx, input.staffId, '移除')
    return { storeId: null, within: refsOf(other), other }
  },
  run: async (_input, ctx, { other }) => {
    const where = await describeAssignment(ctx, assignmentOf(other))
    const line = auditLine(ctx, 'staff.remove', { storeId: other.storeIds?.[0] ?? null, target: `staff:${other.openid}`, summary: `移除员工「${other.name}」（${ROLE_NAMES[other.role]}，${where}）` })
    return runTransaction(ctx.db, async (t) => {
      const current = await txGet<StaffDoc>(t, COLLECTIONS.staff, other.openid)
      if (!current) throw new AppError('NOT_FOUND', '该员工不存在或已被移除')
      if (!sameAssignment({ ...current, _id: other._id }, other)) throw new AppError('CONFLICT', '该员工刚被其他人调整过，请刷新后重试')
      await t.collection(COLLECTIONS.staff).doc(other.openid).remove()
      await writeAudit(t, line)
      return { staffId: other.openid, removed: true }
    })
  },
})
