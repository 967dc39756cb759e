import { z } from 'zod'
import { defineAction } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { tierProgress } from '../domain/loyalty'
import { issueMemberCode } from '../domain/member-code'
import { getDoc, list, updatedCount } from '../services/db-util'
import { memberIdOf, type LedgerDoc, type MemberDoc } from '../services/documents'
import { withFreshTags } from '../services/member-tags'
import { loadSettings, memberCodeSecret } from '../services/settings'
import { cardBrandFor } from '../services/sub-brand'
import { inviteTokenOf } from '../services/invite-token'

const empty = z.object({}).strict()

export const card = defineAction(empty, async (_input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const [settings, read] = await Promise.all([loadSettings(ctx.db), getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, memberIdOf(openid))])
  // The card is the one read every member makes: it keeps their time-based tags current without a timer.
  const member = read && (await withFreshTags(ctx.db, settings, read, ctx.now()))
  // A member sees the look of the sub-brand where they joined (services/sub-brand.ts); a visitor the group's.
  const brand = await cardBrandFor(ctx.db, settings, member?.firstStoreId)
  if (!member) return { brand, member: null }
  const progress = tierProgress(settings.tiers, member.growth)
  // What the card's share carries instead of the member number (services/invite-token.ts).
  const invite: { inviteToken?: string } = { inviteToken: await inviteTokenOf(ctx.db, openid, ctx.now()) }
  return {
    ...invite,
    brand,
    member: {
      memberNo: member.memberNo,
      tierName: progress.current.name,
      tierLevel: progress.current.level,
      points: member.points,
      pointsDebt: member.pointsDebt,
      growth: member.growth,
      nextTierName: progress.next?.name ?? null,
      growthToNext: progress.remaining,
      progressPercent: progress.percent,
      benefits: progress.current.benefits,
      birthday: member.birthday,
      phoneMasked: member.phone ? `${member.phone.slice(0, 3)}****${member.phone.slice(7)}` : null,
      joinedAt: new Date(member.createdAt).toISOString(),
      totalSpentFen: member.totalSpentFen,
      visitCount: member.visitCount,
      // 头像昵称 (optional; absent when not set).
      ...(member.nickname ? { nickname: member.nickname } : {}),
      ...(member.avatarFileId ? { avatarFileId: member.avatarFileId } : {}),
    },
  }
})

async function requireMember(ctx: Parameters<typeof card.run>[1]): Promise<MemberDoc> {
  const member = await getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, memberIdOf(requireOpenid(ctx.caller)))
  if (!member) throw new AppError('NOT_FOUND', '您还不是会员，完成首次支付即可成为会员')
  return member
}

export const code = defineAction(empty, async (_input, ctx) => {
  const member = await requireMember(ctx)
  const secret = await memberCodeSecret(ctx.db)
  return issueMemberCode(secret, member.memberNo, ctx.now().getTime())
})

export const pointsHistory = defineAction(
  z.object({ page: z.number().int().min(1).max(1000), pageSize: z.number().int().min(1).max(50) }).strict(),
  async (input, ctx) => {
    const member = await requireMember(ctx)
    const rows = await list<LedgerDoc>(
      ctx.db
        .collection(COLLECTIONS.pointsLedger)
        .where({ memberId: member._id })
        .orderBy('createdAt', 'desc')
        .skip((input.page - 1) * input.pageSize)
        .limit(input.pageSize + 1),
    )
    return {
      items: rows.slice(0, input.pageSize).map((r) => ({ id: r._id, delta: r.delta, title: r.title, createdAt: new Date(r.createdAt).toISOString() })),
      hasMore: rows.length > input.pageSize,
    }
  },
)

export const setBirthday = defineAction(
  z.object({ birthday: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '生日格式应为 MM-DD') }).strict(),
  async (input, ctx) => {
    const [month, day] = input.birthday.split('-').map(Number) as [number, number]
    const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    if (day > daysInMonth) throw new AppError('INVALID_INPUT', '日期不存在')
    const member = await requireMember(ctx)
    // Conditional update: only a member without a birthday gets one, so it is set once even under races.
    const updated = await updatedCount(
      ctx.db
        .collection(COLLECTIONS.members)
        .where({ _id: member._id, birthday: null })
        // The stamp is cleared so the next read recomputes 本月生日 with the new birthday;
        // birthdaySetAt (rewards): a birthday set in its own month grants that year's gift only if the merchant allows.
        .update({ data: { birthday: input.birthday, birthdaySetAt: ctx.now(), autoTagsStamp: '', updatedAt: ctx.now() } }),
    )
    if (updated !== 1) throw new AppError('CONFLICT', '生日设置后不可修改')
    return { birthday: input.birthday }
  },
)
