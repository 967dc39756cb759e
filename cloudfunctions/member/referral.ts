import { createHash } from 'node:crypto'
import { z } from 'zod'
import { defineAction } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { BIND_REFUSAL_MESSAGES, checkBind } from '../domain/referral'
import { getDoc, list } from '../services/db-util'
import { memberIdOf, type MemberDoc, type ReferralDoc } from '../services/documents'
import { loadSettings } from '../services/settings'
import { INVITE_TOKEN, inviteTokenOf, openidOfInviteToken } from '../services/invite-token'

const MAX_CHAIN = 20

async function memberByNo(db: Parameters<typeof getDoc>[0], memberNo: string): Promise<MemberDoc | null> {
  const rows = await list<MemberDoc>(db.collection(COLLECTIONS.members).where({ memberNo }).limit(1))
  return rows[0] ?? null
}

/** The inviter's referrers, nearest first, to refuse cycles. */
async function ancestorsOf(db: Parameters<typeof getDoc>[0], openid: string): Promise<string[]> {
  const chain: string[] = []
  let current = openid
  for (let i = 0; i < MAX_CHAIN; i += 1) {
    const ref = await getDoc<ReferralDoc>(db, COLLECTIONS.referrals, current)
    if (!ref?.inviterOpenid || chain.includes(ref.inviterOpenid)) break
    chain.push(ref.inviterOpenid)
    current = ref.inviterOpenid
  }
  return chain
}

const bindSchema = z
  .object({
    /** An invite token (services/invite-token.ts), what links carry since issue 12. */
    invite: z.string({ invalid_type_error: '邀请链接无效' }).regex(INVITE_TOKEN, '邀请链接无效').optional(),
    /**
     * A member number, what older links carry (`?inviter=<memberNo>`). Still accepted: binding
     * only ever gives a non-member an inviter, the reward is under the referral caps, and a member
     * number is no longer enough to record a sale (cashier.capture asks for a phone check).
     */
    inviter: z.string({ invalid_type_error: '邀请码无效' }).regex(/^\d{8}$/, '邀请码无效').optional(),
  })
  .strict()
  .refine((v) => (v.invite === undefined) !== (v.inviter === undefined), { message: '邀请链接无效' })

async function inviterOf(db: Parameters<typeof getDoc>[0], input: z.output<typeof bindSchema>): Promise<MemberDoc | null> {
  if (input.inviter !== undefined) return memberByNo(db, input.inviter)
  const openid = await openidOfInviteToken(db, input.invite ?? '')
  return openid ? getDoc<MemberDoc>(db, COLLECTIONS.members, memberIdOf(openid)) : null
}

/** A friend opened a shared card: bind them to the inviter (first touch wins). Sharing itself earns nothing. */
export const bindInviter = defineAction(bindSchema, async (input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const inviter = await inviterOf(ctx.db, input)
  const [self, existing] = await Promise.all([
    getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, memberIdOf(openid)),
    getDoc<ReferralDoc>(ctx.db, COLLECTIONS.referrals, openid),
  ])
  const refusal = checkBind({
    inviteeOpenid: openid,
    inviterOpenid: inviter?.openid ?? null,
    // A 'none' marker means the friend joined without an inviter (possibly a moment ago).
    inviteeIsMember: self !== null || existing?.status === 'none',
    inviteeAlreadyBound: existing !== null && existing.status !== 'none',
    inviterAncestors: inviter ? await ancestorsOf(ctx.db, inviter.openid) : [],
  })
  if (refusal) throw new AppError(refusal === 'ALREADY_MEMBER' ? 'ALREADY_MEMBER' : 'CONFLICT', BIND_REFUSAL_MESSAGES[refusal])
  const doc: ReferralDoc = { _id: openid, inviteeOpenid: openid, inviterOpenid: inviter!.openid, status: 'bound', boundAt: ctx.now(), rewardedAt: null, points: 0 }
  try {
    await ctx.db.collection(COLLECTIONS.referrals).add({ data: doc })
  } catch (e) {
    // The invitee key is taken: another shared card opened at the same moment (first touch wins),
    // or the friend's first payment just made them a member without an inviter.
    if (e instanceof Error && /E11000/.test(e.message)) {
      const now = await getDoc<ReferralDoc>(ctx.db, COLLECTIONS.referrals, openid)
      const refusal = now?.status === 'none' ? 'ALREADY_MEMBER' : 'ALREADY_BOUND'
      throw new AppError(refusal === 'ALREADY_MEMBER' ? 'ALREADY_MEMBER' : 'CONFLICT', BIND_REFUSAL_MESSAGES[refusal])
    }
    throw e
  }
  return { bound: true, message: '已接受好友邀请，完成首次消费即可成为会员' }
})

/** Net referral points from the ledger (rewards minus those taken back by refunds). */
async function referralPointsOf(db: Parameters<typeof getDoc>[0], memberId: string): Promise<number> {
  const $ = db.command.aggregate
  const res = (await db
    .collection(COLLECTIONS.pointsLedger)
    .aggregate()
    .match({ memberId, kind: 'referral' })
    .group({ _id: null, points: $.sum('$delta') })
    .end()) as { list: { points: number }[] }
  return res.list[0]?.points ?? 0
}

/** A friend is shown by a short stable tag derived from the openid, never the openid itself. */
function maskedName(openid: string): string {
  return `微信好友 #${createHash('sha256').update(openid).digest('hex').slice(0, 4).toUpperCase()}`
}

export const inviteSummary = defineAction(z.object({}).strict(), async (_input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const member = await getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, memberIdOf(openid))
  if (!member) throw new AppError('NOT_FOUND', '您还不是会员，完成首次支付即可邀请好友')
  const referrals = ctx.db.collection(COLLECTIONS.referrals)
  const [settings, refs, invited, rewarded, earned] = await Promise.all([
    loadSettings(ctx.db),
    // The list shows the latest 100; the counts and the points cover every friend.
    list<ReferralDoc>(referrals.where({ inviterOpenid: openid }).orderBy('boundAt', 'desc').limit(100)),
    referrals.where({ inviterOpenid: openid }).count() as Promise<{ total: number }>,
    referrals.where({ inviterOpenid: openid, status: 'rewarded' }).count() as Promise<{ total: number }>,
    referralPointsOf(ctx.db, member._id),
  ])
  return {
    inviter: member.memberNo,
    /** What invite links carry (not the member number). */
    inviteToken: await inviteTokenOf(ctx.db, openid, ctx.now()),
    minQualifyingFen: settings.referral.minQualifyingFen,
    rewardPoints: settings.referral.inviterPoints,
    qualifyingAction: settings.referral.qualifyingAction,
    invitedCount: invited.total,
    rewardedCount: rewarded.total,
    pointsEarned: earned,
    friends: refs.map((r) => ({
      name: maskedName(r.inviteeOpenid),
      status: r.status === 'rewarded' ? ('rewarded' as const) : r.status === 'rejected' ? ('rejected' as const) : ('bound' as const),
      boundAt: new Date(r.boundAt).toISOString(),
      /** Why the friend's payment earned nothing (「未达到奖励条件」), '' otherwise. */
      ...(r.status === 'rejected' ? { reason: r.rejectReason ?? '' } : {}),
    })),
  }
})
