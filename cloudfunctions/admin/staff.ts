import { z } from 'zod'
import { textField } from '../shared/text-input'
import { defineAction } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { INVITABLE_ROLES, ROLE_NAMES, seesAllStores, STAFF_ROLES, type StaffRole } from '../domain/permissions'
import { capabilitiesOf } from '../domain/capabilities'
import { roleNeedsStore } from '../../miniprogram/shared/staff-roles'
import { STAFF_NAME_MAX } from '../../miniprogram/shared/text-limits'
import { INVITE_TTL_MS, inviteState, newInviteCode, normalizeInviteCode } from '../domain/invite-code'
import { list, runTransaction, txGet, withoutId } from '../services/db-util'
import type { StaffDoc, StaffInviteDoc } from '../services/documents'
import { defineStaffAction, iso, loadStaff, scopeOf } from './staff-context'
import { requireStore, storeIdSchema, storeNames, storesOf } from './stores'

const ROLES = ['owner', 'hq', 'manager', 'clerk'] as const satisfies readonly StaffRole[]
const MAX_STAFF = 1000

/** Stored invite: the code is the _id (unique by construction); `code` repeats it for readability in the console. */
type StoredInvite = StaffInviteDoc & { code: string }

export const staffNameSchema = textField({ label: '姓名', max: STAFF_NAME_MAX })

/**
 * Any caller: their staff card, or null for a consumer (the mine page shows 商家管理 only for
 * staff). `capabilities` say what the pages may offer this caller (domain/capabilities.ts).
 */
export const me = defineAction(z.object({}).strict(), async (_input, ctx) => {
  const staff = await loadStaff(ctx)
  if (!staff) return { staff: null }
  const stores = await storesOf(ctx.db, staff)
  return {
    staff: {
      name: staff.name,
      role: staff.role,
      roleName: ROLE_NAMES[staff.role],
      storeIds: stores.map((s) => s._id),
      stores: stores.map((s) => ({ id: s._id, name: s.name })),
      capabilities: capabilitiesOf(scopeOf(staff), stores.map((s) => s._id)),
    },
  }
})

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
      const state = inviteState(invite, now)
      if (state === 'USED') throw new AppError('INVITE_USED')
      if (state === 'EXPIRED') throw new AppError('INVITE_EXPIRED')
      await t.collection(COLLECTIONS.staffInvites).doc(code).update({ data: { usedBy: openid, usedAt: now } })
      const staff: StaffDoc = {
        _id: openid,
        openid,
        name: input.name ?? `${ROLE_NAMES[invite.role]}${openid.slice(-4)}`,
        role: invite.role,
        storeIds: invite.storeIds,
        invitedBy: invite.issuedBy,
        createdAt: now,
      }
      await t.collection(COLLECTIONS.staff).doc(openid).set({ data: withoutId(staff) })
      return staff
    })
    return { role: joined.role, roleName: ROLE_NAMES[joined.role] }
  },
)

const inviteSchema = z.object({ role: z.enum(ROLES), storeId: storeIdSchema.optional() }).strict()

export const staffInvite = defineStaffAction('staff.invite', inviteSchema, {
  // HQ sees every store, so an HQ invite carries none (only owner/HQ may issue it); a store
  // invite names its store, which must be within the issuer's scope.
  target: (input, { staff }) => {
    if (!INVITABLE_ROLES[staff.role].includes(input.role)) {
      throw new AppError('FORBIDDEN', `${ROLE_NAMES[staff.role]}不能邀请${ROLE_NAMES[input.role]}`)
    }
    if (!roleNeedsStore(input.role)) return { storeId: null }
    if (!input.storeId) throw new AppError('INVALID_INPUT', `邀请${ROLE_NAMES[input.role]}需要选择门店`)
    return { storeId: input.storeId }
  },
  run: async (input, ctx, target) => {
    const { staff } = ctx
    let storeIds: string[] = []
    if (target.storeId !== null) {
      await requireStore(ctx.db, target.storeId)
      storeIds = [target.storeId]
    }
    const now = ctx.now()
    const expiresAt = new Date(now.getTime() + INVITE_TTL_MS)
    for (let attempt = 0; ; attempt += 1) {
      const code = newInviteCode()
      const invite: StoredInvite = {
        _id: code,
        code,
        role: input.role,
        storeIds,
        issuedBy: staff.openid,
        expiresAt,
        usedBy: null,
        usedAt: null,
        createdAt: now,
      }
      try {
        await ctx.db.collection(COLLECTIONS.staffInvites).add({ data: invite })
        return { code, expiresAt: expiresAt.toISOString(), role: input.role, roleName: ROLE_NAMES[input.role] }
      } catch (e) {
        // A clash with an existing code (1 in 10^11) just draws another.
        if (attempt < 3 && e instanceof Error && /E11000|duplicate/i.test(e.message)) continue
        throw e
      }
    }
  },
})

/** Owner and HQ see everyone; a manager sees the staff of their own stores. */
export const staffList = defineStaffAction('staff.list', z.object({}).strict(), async (_input, ctx) => {
  const { staff } = ctx
  const _ = ctx.db.command
  const query = seesAllStores(staff.role)
    ? ctx.db.collection(COLLECTIONS.staff)
    : ctx.db.collection(COLLECTIONS.staff).where({ storeIds: _.in(staff.storeIds.length ? staff.storeIds : ['-']) })
  const rows = await list<StaffDoc>(query.limit(MAX_STAFF))
  const names = await storeNames(ctx.db, rows.flatMap((s) => s.storeIds))
  rows.sort((a, b) => STAFF_ROLES.indexOf(a.role) - STAFF_ROLES.indexOf(b.role) || String(a.name).localeCompare(String(b.name)))
  return {
    staff: rows.map((s) => ({
      name: s.name,
      role: s.role,
      roleName: ROLE_NAMES[s.role],
      stores: s.storeIds.map((id) => names.get(id) ?? '已删除的门店'),
      isMe: s.openid === staff.openid,
      joinedAt: iso(s.createdAt),
    })),
  }
})
