import { z } from 'zod'
import { deleteAvatarFile } from '../services/avatar-files'
import type { OpenApi } from 'wx-server-sdk'
import { defineAction, type ActionContext } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { textField } from '../shared/text-input'
import { tierForGrowth } from '../domain/loyalty'
import { getDoc, list, updatedCount } from '../services/db-util'
import { memberIdOf, type LedgerDoc, type MemberDoc, type OrderDoc, type ReferralDoc } from '../services/documents'
import { eraseMember } from '../services/erasure'
import { loadSettings } from '../services/settings'
import { NICKNAME_MAX } from '../../miniprogram/shared/text-limits'

/**
 * 我的 → 头像昵称 and 个人信息: the member's own profile, everything the merchant holds about
 * them, and deleting the membership (services/erasure.ts).
 */

/** Avatars the page uploaded to cloud storage under avatars/ (wx.cloud.uploadFile's fileID). */
export const AVATAR_FILE_ID = /^cloud:\/\/[\w.-]+\/avatars\/[\w.-]{1,80}$/

async function requireMember(ctx: ActionContext): Promise<MemberDoc> {
  const member = await getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, memberIdOf(requireOpenid(ctx.caller)))
  if (!member) throw new AppError('NOT_FOUND', '您还不是会员，完成首次支付即可成为会员')
  return member
}

/** WeChat's content check on a nickname before anyone else reads it (v2; v1 and the local cloud refuse with 87014). */
async function checkNickname(ctx: ActionContext, openid: string, nickname: string): Promise<void> {
  let suggest: string | undefined
  try {
    const res = await (ctx.cloud.openapi as OpenApi).security.msgSecCheck({ openid, scene: 1, version: 2, content: nickname, nickname })
    suggest = res.result?.suggest ?? 'pass'
  } catch (e) {
    if ((e as { errCode?: unknown }).errCode === 87014) suggest = 'risky'
    else {
      console.error('[setProfile] msgSecCheck', e)
      throw new AppError('INTERNAL', '昵称检查暂时不可用，请稍后重试')
    }
  }
  if (suggest !== 'pass') throw new AppError('INVALID_INPUT', '昵称含有不适宜的内容，请修改后重试')
}

export const setProfile = defineAction(
  z
    .object({
      nickname: textField({ label: '昵称', max: NICKNAME_MAX }).optional(),
      avatarFileId: z.string().max(200).regex(AVATAR_FILE_ID, '头像上传失败，请重新选择').optional(),
      /** Both optional: clearing either is allowed. */
      clear: z.array(z.enum(['nickname', 'avatar'])).max(2).optional(),
    })
    .strict()
    .refine((v) => v.nickname !== undefined || v.avatarFileId !== undefined || (v.clear?.length ?? 0) > 0, { message: '没有需要修改的内容' }),
  async (input, ctx) => {
    const openid = requireOpenid(ctx.caller)
    const member = await requireMember(ctx)
    if (input.nickname !== undefined) await checkNickname(ctx, openid, input.nickname)
    const patch: { nickname?: string | null; avatarFileId?: string | null; updatedAt: Date } = { updatedAt: ctx.now() }
    if (input.clear?.includes('nickname')) patch.nickname = null
    if (input.clear?.includes('avatar')) patch.avatarFileId = null
    if (input.nickname !== undefined) patch.nickname = input.nickname
    if (input.avatarFileId !== undefined) patch.avatarFileId = input.avatarFileId
    // Conditional on the membership being the one read (a deletion in between leaves nothing to update).
    const updated = await updatedCount(ctx.db.collection(COLLECTIONS.members).where({ _id: member._id, memberNo: member.memberNo }).update({ data: patch }))
    if (updated !== 1) throw new AppError('NOT_FOUND', '会员已注销')
    // chain-gaps: a replaced or cleared avatar's file goes too (unless another member names it).
    const oldAvatar = member.avatarFileId ?? null
    if (oldAvatar && patch.avatarFileId !== undefined && patch.avatarFileId !== oldAvatar) {
      await deleteAvatarFile(ctx.db, ctx.cloud, member._id, oldAvatar).catch((e: unknown) => console.error('[setProfile] old avatar kept', e))
    }
    return { nickname: patch.nickname !== undefined ? patch.nickname : (member.nickname ?? null), avatarFileId: patch.avatarFileId !== undefined ? patch.avatarFileId : (member.avatarFileId ?? null) }
  },
)

/** How much of each history the 个人信息 page lists (and the download carries); counts cover everything. */
export const MY_DATA_ROWS = 200

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null)

/**
 * 个人信息: everything the merchant holds about the caller, unmasked (it is theirs). Coupons and
 * prizes are listed by the features that keep them (their collections add their section here).
 */
export const myData = defineAction(z.object({}).strict(), async (_input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const member = await requireMember(ctx)
  const ledgerQuery = ctx.db.collection(COLLECTIONS.pointsLedger).where({ memberId: member._id })
  const orderQuery = ctx.db.collection(COLLECTIONS.orders).where({ memberId: member._id, status: ctx.db.command.in(['paid', 'refunded']) })
  const [settings, ledger, ledgerCount, orders, orderCount, invitedBy, friends] = await Promise.all([
    loadSettings(ctx.db),
    list<LedgerDoc>(ledgerQuery.orderBy('createdAt', 'desc').limit(MY_DATA_ROWS)),
    ledgerQuery.count() as Promise<{ total: number }>,
    list<OrderDoc>(orderQuery.orderBy('createdAt', 'desc').limit(MY_DATA_ROWS)),
    orderQuery.count() as Promise<{ total: number }>,
    getDoc<ReferralDoc>(ctx.db, COLLECTIONS.referrals, openid),
    ctx.db.collection(COLLECTIONS.referrals).where({ inviterOpenid: openid }).count() as Promise<{ total: number }>,
  ])
  const storeIds = [...new Set(orders.map((o) => o.storeId))]
  const stores = storeIds.length
    ? await list<{ _id: string; name: string }>(ctx.db.collection(COLLECTIONS.stores).where({ _id: ctx.db.command.in(storeIds) }).limit(storeIds.length))
    : []
  const storeName = new Map(stores.map((s) => [s._id, s.name]))
  return {
    profile: {
      memberNo: member.memberNo,
      nickname: member.nickname ?? null,
      avatarFileId: member.avatarFileId ?? null,
      phone: member.phone,
      birthday: member.birthday,
      tierName: tierForGrowth(settings.tiers, member.growth).name,
      points: member.points,
      pointsDebt: member.pointsDebt,
      growth: member.growth,
      totalSpentFen: member.totalSpentFen,
      visitCount: member.visitCount,
      joinedAt: iso(member.createdAt),
      lastVisitAt: iso(member.lastVisitAt),
    },
    tags: [...(member.autoTags ?? []), ...(member.manualTags ?? [])],
    points: { total: ledgerCount.total, items: ledger.map((l) => ({ delta: l.delta, title: l.title, createdAt: iso(l.createdAt) })) },
    orders: {
      total: orderCount.total,
      items: orders.map((o) => ({ outTradeNo: o.outTradeNo, amountFen: o.amountFen, status: o.status, storeName: storeName.get(o.storeId) ?? '', createdAt: iso(o.createdAt) })),
    },
    referral: { invited: invitedBy?.inviterOpenid ? true : false, friendsInvited: friends.total },
  }
})

/** Deleting is for good: the page asks twice and sends this literal. */
export const DELETE_CONFIRMATION = '确认注销'

export const deleteMembership = defineAction(z.object({ confirm: z.literal(DELETE_CONFIRMATION, { errorMap: () => ({ message: '请先确认注销' }) }) }).strict(), async (_input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const outcome = await eraseMember(ctx.db, openid, ctx.now(), ctx.cloud)
  return { deleted: true, pointsForfeited: outcome.pointsForfeited }
})
