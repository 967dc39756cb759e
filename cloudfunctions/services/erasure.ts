import { randomBytes } from 'node:crypto'
import { deleteAvatarFile, type FileStore } from './avatar-files'
import type { Database } from '../shared/cloud'
import { COLLECTIONS, type CollectionName } from '../shared/collections'
import { AppError } from '../shared/errors'
import { getDoc, list, runTransaction, txGet } from './db-util'
import { ERASED_PREFIX, memberIdOf, type LedgerDoc, type MemberDoc, type OrderDoc, type ReferralDoc } from './documents'

/**
 * 注销会员 (member.deleteMembership): what deleting a membership does to each collection, declared
 * once per collection. ERASURE_RULES is typed Record<CollectionName, ErasureRule>, so a
 * collection added to shared/collections.ts does not compile until its rule is written here.
 *
 * What it keeps and why: orders and the points ledger stay for the merchant's accounts (sales,
 * refunds, the points liability) with the person's identifiers replaced by a pseudonym that
 * nothing links back to them; a closing ledger line forfeits the remaining points, so the
 * pseudonymised lines still add up (Σ delta = 0, Σ debtDelta = 0). Friends' referral rewards
 * stay credited. The person's own referral document becomes a bare marker (the openid alone,
 * no inviter, status 'none'): without it, deleting and joining again would let a friend earn a
 * second invitation reward.
 */
export interface ErasureSubject {
  openid: string
  memberId: string
  memberNo: string
  /** Replaces openid where a record must stay; `erased-<random>`. */
  pseudonym: string
  /** Replaces memberId where a record must stay. */
  pseudonymMemberId: string
  /** When the member document was removed (records paid up to then belonged to this membership). */
  removedAt: Date
}

export interface ErasureRule {
  /** What the collection holds about a member, and what deletion does with it (for the README and the test). */
  what: string
  /** Set when the rule keeps the bare openid somewhere, with the reason. */
  keepsOpenid?: string
  erase: (db: Database, s: ErasureSubject) => Promise<void>
}

const PAGE = 100
const nothing = async (): Promise<void> => undefined

/** Every document of `where` (paged; the cloud answers at most 1000 a get, 100 by default). */
async function each<T extends { _id: string }>(db: Database, collection: string, where: Record<string, unknown>, visit: (doc: T) => Promise<void>): Promise<void> {
  for (;;) {
    // Re-query from the start: the visit changes the documents so they no longer match.
    const rows = await list<T>(db.collection(collection).where(where).limit(PAGE))
    if (rows.length === 0) return
    for (const row of rows) await visit(row)
    if (rows.length < PAGE) return
  }
}

/** Removes every document of `where` (documents whose ids or contents name the person). */
async function removeAll(db: Database, collection: string, where: Record<string, unknown>): Promise<void> {
  await each<{ _id: string }>(db, collection, where, async (d) => {
    await db.collection(collection).doc(d._id).remove()
  })
}

/** A ledger line whose _id names the person (a referral cause): moved to the pseudonym's id. */
async function rekeyLedgerLine(db: Database, oldId: string, newId: string): Promise<void> {
  await runTransaction(db, async (t) => {
    const line = await txGet<LedgerDoc>(t, COLLECTIONS.pointsLedger, oldId)
    if (!line) return
    const { _id, ...data } = line
    void _id
    await t.collection(COLLECTIONS.pointsLedger).doc(newId).set({ data })
    await t.collection(COLLECTIONS.pointsLedger).doc(oldId).remove()
  })
}

export const ERASURE_RULES: Record<CollectionName, ErasureRule> = {
  [COLLECTIONS.merchant]: { what: '商家设置，不含会员个人信息', erase: nothing },
  [COLLECTIONS.stores]: { what: '门店资料，不含会员个人信息', erase: nothing },
  [COLLECTIONS.staff]: {
    what: '员工档案（员工本人的雇佣信息，由员工管理移除，注销会员不影响）',
    keepsOpenid: 'a member who is also staff keeps their staff document; staff management removes it',
    erase: nothing,
  },
  [COLLECTIONS.staffInvites]: { what: '员工邀请码，不含会员个人信息', erase: nothing },
  [COLLECTIONS.secrets]: { what: '服务端密钥，不含会员个人信息', erase: nothing },
  [COLLECTIONS.members]: {
    what: '会员档案（手机号、生日、昵称、头像、地址、标签、积分、消费统计）：整条删除（第一步）；被其邀请的会员记录里的邀请人改为匿名标识',
    erase: async (db, s) => {
      await each<MemberDoc>(db, COLLECTIONS.members, { referrerOpenid: s.openid }, async (m) => {
        await db.collection(COLLECTIONS.members).doc(m._id).update({ data: { referrerOpenid: s.pseudonym } })
      })
    },
  },
  [COLLECTIONS.orders]: {
    what: '订单：保留用于对账，付款人标识改为匿名标识',
    erase: async (db, s) => {
      const _ = db.command
      // Orders paid by this membership (up to its removal). An order paid after the removal
      // belongs to the new membership that payment started; an unpaid one keeps its payer so
      // WeChat Pay's callback can still be matched.
      await each<OrderDoc>(db, COLLECTIONS.orders, { memberId: s.memberId, status: _.in(['paid', 'refunded']), paidAt: _.lte(s.removedAt) }, async (o) => {
        await db.collection(COLLECTIONS.orders).doc(o._id).update({ data: { openid: s.pseudonym, memberId: s.pseudonymMemberId } })
      })
    },
  },
  [COLLECTIONS.pointsLedger]: {
    what: '积分流水：保留用于对账，会员标识改为匿名标识，剩余积分作废（记一笔清零流水）；好友奖励流水的编号里的标识也改为匿名标识',
    erase: async (db, s) => {
      await each<LedgerDoc>(db, COLLECTIONS.pointsLedger, { memberId: s.memberId, createdAt: db.command.lte(s.removedAt) }, async (l) => {
        await db.collection(COLLECTIONS.pointsLedger).doc(l._id).update({ data: { memberId: s.pseudonymMemberId } })
      })
      // Inviters' reward lines are keyed by the invitee's openid and the order (services/capture.ts, refund.ts).
      const orders = await list<OrderDoc>(db.collection(COLLECTIONS.orders).where({ memberId: s.pseudonymMemberId }).field({ _id: true }).limit(1000))
      for (const o of orders) {
        await rekeyLedgerLine(db, `referral:${s.openid}:${o._id}`, `referral:${s.pseudonym}:${o._id}`)
        await rekeyLedgerLine(db, `referral-refund:${s.openid}:${o._id}`, `referral-refund:${s.pseudonym}:${o._id}`)
      }
    },
  },
  [COLLECTIONS.referrals]: {
    what: '邀请关系：好友已获得的奖励保留，双方标识改为匿名标识；本人只留一个不含任何关系的标记，防止注销后重新被邀请重复领奖',
    keepsOpenid: 'a bare marker (status none, no inviter) under the openid, so deleting and re-joining cannot earn a friend a second reward',
    // The person's own document moved to the pseudonym in the first step (eraseMember).
    erase: async (db, s) => {
      await each<ReferralDoc>(db, COLLECTIONS.referrals, { inviterOpenid: s.openid }, async (r) => {
        await db.collection(COLLECTIONS.referrals).doc(r._id).update({ data: { inviterOpenid: s.pseudonym } })
      })
    },
  },
  [COLLECTIONS.serviceMessages]: {
    what: '客服消息记录（发送人与时间，不含内容）：删除',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.serviceMessages, { openid: s.openid }, async (m) => {
        await db.collection(COLLECTIONS.serviceMessages).doc(m._id).remove()
      })
    },
  },
  [COLLECTIONS.systemStatus]: { what: '部署自检结果，不含会员个人信息', erase: nothing },
  [COLLECTIONS.subBrands]: { what: '子品牌资料，不含会员个人信息', erase: nothing },
  [COLLECTIONS.regions]: { what: '区域资料，不含会员个人信息', erase: nothing },
  [COLLECTIONS.couponTemplates]: { what: '优惠券模板，不含会员个人信息', erase: nothing },
  [COLLECTIONS.coupons]: {
    what: '优惠券：本人持有的券全部作废（有效期截止到注销时），持有人标识改为匿名标识；已核销、已用于付款的券保留用于对账',
    erase: async (db, s) => {
      for (const field of ['openid', 'claimedBy'] as const) {
        await each<{ _id: string; validUntil: Date }>(db, COLLECTIONS.coupons, { [field]: s.openid }, async (c) => {
          const ends = new Date(Math.min(new Date(c.validUntil).getTime(), s.removedAt.getTime()))
          await db.collection(COLLECTIONS.coupons).doc(c._id).update({ data: field === 'openid' ? { openid: s.pseudonym, validUntil: ends, updatedAt: s.removedAt } : { claimedBy: s.pseudonym } })
        })
      }
    },
  },
  [COLLECTIONS.couponClaims]: {
    what: '领券记录（编号含本人标识）：删除；注销后重新入会视为新会员',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.couponClaims, { openid: s.openid }, async (c) => {
        await db.collection(COLLECTIONS.couponClaims).doc(c._id).remove()
      })
    },
  },
  [COLLECTIONS.couponGifts]: {
    what: '转赠记录：保留，赠送人与领取人标识改为匿名标识；尚未被领取的转赠一并关闭',
    erase: async (db, s) => {
      await each<{ _id: string; status: string }>(db, COLLECTIONS.couponGifts, { fromOpenid: s.openid }, async (g) => {
        const close = g.status === 'pending' ? { status: 'takenBack', closedAt: s.removedAt } : {}
        await db.collection(COLLECTIONS.couponGifts).doc(g._id).update({ data: { fromOpenid: s.pseudonym, ...close } })
      })
      await each<{ _id: string }>(db, COLLECTIONS.couponGifts, { toOpenid: s.openid }, async (g) => {
        await db.collection(COLLECTIONS.couponGifts).doc(g._id).update({ data: { toOpenid: s.pseudonym } })
      })
    },
  },
  [COLLECTIONS.couponVerifications]: {
    what: '核销记录：保留用于对账，持券人标识和会员号改为匿名',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.couponVerifications, { ownerOpenid: s.openid }, async (v) => {
        await db.collection(COLLECTIONS.couponVerifications).doc(v._id).update({ data: { ownerOpenid: s.pseudonym, memberNo: '' } })
      })
    },
  },
  [COLLECTIONS.couponEvents]: { what: '券的状态变化记录（券号与订单号），不含会员个人信息', erase: nothing },
  [COLLECTIONS.cashierApprovals]: {
    what: '收银审批：保留用于对账，会员标识和会员号改为匿名',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.cashierApprovals, { memberId: s.memberId }, async (a) => {
        await db.collection(COLLECTIONS.cashierApprovals).doc(a._id).update({ data: { memberId: s.pseudonymMemberId, memberNo: '' } })
      })
    },
  },
  [COLLECTIONS.cashierAttempts]: {
    what: '被拒绝的收银记录：保留员工的尝试，会员标识和会员号改为匿名',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.cashierAttempts, { memberId: s.memberId }, async (a) => {
        await db.collection(COLLECTIONS.cashierAttempts).doc(a._id).update({ data: { memberId: s.pseudonymMemberId, memberNo: '' } })
      })
    },
  },
  [COLLECTIONS.cashierTotals]: { what: '店员和门店的每日收银合计，不含会员个人信息', erase: nothing },
  [COLLECTIONS.attemptSlots]: { what: '员工查询失败次数，不含会员个人信息', erase: nothing },
  [COLLECTIONS.phoneClaims]: {
    what: '手机号归属（编号即手机号）：删除',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.phoneClaims, { openid: s.openid }, async (c) => {
        await db.collection(COLLECTIONS.phoneClaims).doc(c._id).remove()
      })
    },
  },
  [COLLECTIONS.inviteTokens]: {
    what: '邀请链接的标识：删除（旧的分享链接不再绑定邀请关系）',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.inviteTokens, { openid: s.openid }, async (c) => {
        await db.collection(COLLECTIONS.inviteTokens).doc(c._id).remove()
      })
    },
  },
  [COLLECTIONS.referralCounters]: {
    what: '邀请奖励的每日、每月计数（编号含本人标识）：删除',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.referralCounters, { inviterOpenid: s.openid }, async (c) => {
        await db.collection(COLLECTIONS.referralCounters).doc(c._id).remove()
      })
    },
  },
  // Shared marketing foundation.
  [COLLECTIONS.couponGrants]: {
    what: '发券记录（编号含本人标识）：删除；券本身按优惠券的规则作废',
    erase: async (db, s) => removeAll(db, COLLECTIONS.couponGrants, { openid: s.openid }),
  },
  [COLLECTIONS.gameChances]: {
    what: '游戏机会余额：删除',
    erase: async (db, s) => removeAll(db, COLLECTIONS.gameChances, { openid: s.openid }),
  },
  [COLLECTIONS.chanceEvents]: {
    what: '游戏机会的获得与使用记录：删除',
    erase: async (db, s) => removeAll(db, COLLECTIONS.chanceEvents, { openid: s.openid }),
  },
  [COLLECTIONS.subscribeCredits]: {
    what: '订阅消息的授权次数：删除',
    erase: async (db, s) => removeAll(db, COLLECTIONS.subscribeCredits, { openid: s.openid }),
  },
  [COLLECTIONS.reminderSends]: {
    what: '已发送的提醒记录：删除',
    erase: async (db, s) => removeAll(db, COLLECTIONS.reminderSends, { openid: s.openid }),
  },
  [COLLECTIONS.reminderDaily]: {
    what: '每日提醒次数：删除',
    erase: async (db, s) => removeAll(db, COLLECTIONS.reminderDaily, { openid: s.openid }),
  },
  [COLLECTIONS.dayCounters]: { what: '每日经营计数，不含会员个人信息', erase: nothing },
  // Segments and targeted campaigns (segments).
  [COLLECTIONS.segments]: { what: '人群条件（不含会员名单），不含会员个人信息', erase: nothing },
  [COLLECTIONS.campaigns]: { what: '定向发券活动的设置与进度，不含会员个人信息', erase: nothing },
  [COLLECTIONS.campaignMembers]: {
    what: '定向发券的每人结果（是否发券、是否通知）：会员标识改为匿名标识，活动的发放统计保持不变',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.campaignMembers, { openid: s.openid }, async (r) => {
        await db.collection(COLLECTIONS.campaignMembers).doc(r._id).update({ data: { openid: s.pseudonym, memberId: s.pseudonymMemberId } })
      })
    },
  },
  [COLLECTIONS.campaignNoticeCaps]: {
    what: '活动通知频率记录（编号即本人标识）：删除',
    erase: async (db, s) => removeAll(db, COLLECTIONS.campaignNoticeCaps, { openid: s.openid }),
  },
  [COLLECTIONS.audit]: {
    what: '操作记录：保留员工的操作，指向该会员的对象和摘要改为「会员已注销」',
    erase: async (db, s) => {
      const _ = db.command
      await each<{ _id: string }>(db, COLLECTIONS.audit, { target: _.in([`member:${s.memberNo}`, `member:${s.memberId}`, `member:${s.openid}`]) }, async (a) => {
        await db.collection(COLLECTIONS.audit).doc(a._id).update({ data: { target: 'member:erased', summary: '（会员已注销，内容已删除）' } })
      })
    },
  },  // Rewards (issue 13, rewards).
  [COLLECTIONS.rewardSettings]: { what: '奖励规则设置，不含会员个人信息', erase: nothing },
  [COLLECTIONS.rewardGrants]: {
    what: '消费奖励记录：保留用于对账（与订单一起），会员标识改为匿名标识',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.rewardGrants, { openid: s.openid }, async (g) => {
        await db.collection(COLLECTIONS.rewardGrants).doc(g._id).update({ data: { openid: s.pseudonym } })
      })
    },
  },
  [COLLECTIONS.checkins]: {
    what: '到店签到记录（编号含本人标识）：删除；门店的签到人数另有按日计数',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.checkins, { openid: s.openid }, async (c) => {
        await db.collection(COLLECTIONS.checkins).doc(c._id).remove()
      })
    },
  },
  [COLLECTIONS.birthdayGrants]: {
    what: '生日礼发放记录（编号含本人标识）：删除',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.birthdayGrants, { openid: s.openid }, async (c) => {
        await db.collection(COLLECTIONS.birthdayGrants).doc(c._id).remove()
      })
    },
  },
  [COLLECTIONS.shopItems]: { what: '积分商城商品，不含会员个人信息', erase: nothing },
  [COLLECTIONS.shopExchanges]: {
    what: '积分兑换记录（编号含本人标识）：删除；对应的积分流水按积分流水的规则匿名保留',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.shopExchanges, { openid: s.openid }, async (c) => {
        await db.collection(COLLECTIONS.shopExchanges).doc(c._id).remove()
      })
    },
  },
  [COLLECTIONS.shopHoldings]: {
    what: '每人兑换次数（编号含本人标识）：删除；注销后重新入会视为新会员',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.shopHoldings, { openid: s.openid }, async (c) => {
        await db.collection(COLLECTIONS.shopHoldings).doc(c._id).remove()
      })
    },
  },
  // Touchpoints, dashboards and commission (touchpoints).
  [COLLECTIONS.touchpoints]: { what: '渠道码（名称、成本、导购），不含会员个人信息', erase: nothing },
  [COLLECTIONS.tpVisits]: {
    what: '渠道码访问记录（编号含本人标识）：删除；访问次数已计入每日统计',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.tpVisits, { openid: s.openid }, async (v) => {
        await db.collection(COLLECTIONS.tpVisits).doc(v._id).remove()
      })
    },
  },
  [COLLECTIONS.tpSources]: {
    what: '首次来源渠道（编号即本人标识）：删除',
    erase: async (db, s) => {
      await db.collection(COLLECTIONS.tpSources).doc(s.openid).remove()
    },
  },
  [COLLECTIONS.tpSettings]: { what: '渠道归因与佣金规则，不含会员个人信息', erase: nothing },
  [COLLECTIONS.orderFacts]: {
    what: '订单统计记录：保留用于报表与佣金结算，会员标识改为匿名标识',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.orderFacts, { memberId: s.memberId, paidAt: db.command.lte(s.removedAt) }, async (f) => {
        await db.collection(COLLECTIONS.orderFacts).doc(f._id).update({ data: { openid: s.pseudonym, memberId: s.pseudonymMemberId } })
      })
    },
  },
  [COLLECTIONS.payDays]: {
    what: '会员每日消费笔数（编号含本人标识）：删除；已计入每日统计',
    erase: async (db, s) => {
      await each<{ _id: string }>(db, COLLECTIONS.payDays, { memberId: s.memberId }, async (d) => {
        await db.collection(COLLECTIONS.payDays).doc(d._id).remove()
      })
    },
  },
  [COLLECTIONS.settlements]: { what: '佣金结算单（门店与导购），不含会员个人信息', erase: nothing },
}

/** The order the rules run in after the first step; a collection not named here runs after them. */
const ORDER: CollectionName[] = [COLLECTIONS.members, COLLECTIONS.orders, COLLECTIONS.pointsLedger, COLLECTIONS.referrals, COLLECTIONS.audit]

export const ERASED_LEDGER_TITLE = '注销会员，剩余积分作废'

/** While the rules run, the marker under the openid says which erasure to finish after a failure. */
interface PendingErasure {
  pseudonym: string
  memberNo: string
  at: Date
}
type MarkerDoc = ReferralDoc & { erasure?: PendingErasure | null }

export interface ErasureOutcome {
  pointsForfeited: number
}

function subjectOf(openid: string, p: PendingErasure): ErasureSubject {
  return { openid, memberId: memberIdOf(openid), memberNo: p.memberNo, pseudonym: p.pseudonym, pseudonymMemberId: `m_${p.pseudonym}`, removedAt: new Date(p.at) }
}

async function runRules(db: Database, subject: ErasureSubject): Promise<void> {
  for (const name of ORDER) await ERASURE_RULES[name].erase(db, subject)
  for (const name of Object.keys(ERASURE_RULES) as CollectionName[]) {
    if (!ORDER.includes(name)) await ERASURE_RULES[name].erase(db, subject)
  }
  await db.collection(COLLECTIONS.referrals).doc(subject.openid).update({ data: { erasure: null } })
}

/**
 * Deletes a membership. First step, one transaction: the member document goes (phone, birthday,
 * nickname, avatar, tags with it), a closing ledger line forfeits the points it held, the
 * person's referral document moves to the pseudonym and a bare marker takes its place, noting
 * the erasure in progress. From then on the clerk's lookup finds nothing, and a payment starts a
 * new membership (its records, dated after the removal, are not touched). Then each
 * collection's rule replaces the identifiers; the rules are safe to run again, and a call after
 * a failure finishes the pending erasure first.
 */
export async function eraseMember(db: Database, openid: string, now: Date, files?: FileStore): Promise<ErasureOutcome> {
  const memberId = memberIdOf(openid)
  const pending = await getDoc<MarkerDoc>(db, COLLECTIONS.referrals, openid)
  if (pending?.erasure) {
    await runRules(db, subjectOf(openid, pending.erasure))
    const again = await getDoc<MemberDoc>(db, COLLECTIONS.members, memberId)
    if (!again) return { pointsForfeited: 0 }
  }
  // chain-gaps: the avatar file goes first (a failure stops the erasure before anything changed);
  // the transaction then requires the avatar it deleted, so one set meanwhile is not left behind.
  let avatarGone: string | null = null
  if (files) {
    const before = await getDoc<MemberDoc>(db, COLLECTIONS.members, memberId)
    avatarGone = before?.avatarFileId ?? null
    await deleteAvatarFile(db, files, memberId, avatarGone)
  }
  const pseudonym = `${ERASED_PREFIX}${randomBytes(12).toString('hex')}`
  const claimed = await runTransaction(db, async (t) => {
    const member = await txGet<MemberDoc>(t, COLLECTIONS.members, memberId)
    if (!member) return null
    if (files && (member.avatarFileId ?? null) !== avatarGone) throw new AppError('CONFLICT', '头像刚刚更新，请重试注销')
    const line: LedgerDoc = {
      _id: `erase:${pseudonym}`,
      memberId,
      delta: -member.points,
      debtDelta: -member.pointsDebt,
      balanceAfter: 0,
      kind: 'adjust',
      title: ERASED_LEDGER_TITLE,
      createdAt: now,
    }
    await t.collection(COLLECTIONS.pointsLedger).add({ data: line })
    await t.collection(COLLECTIONS.members).doc(memberId).remove()
    const own = await txGet<ReferralDoc>(t, COLLECTIONS.referrals, openid)
    if (own && own.status !== 'none') {
      const { _id, ...data } = own
      void _id
      await t.collection(COLLECTIONS.referrals).doc(pseudonym).set({ data: { ...data, inviteeOpenid: pseudonym } })
    }
    const erasure: PendingErasure = { pseudonym, memberNo: member.memberNo, at: now }
    const marker: Omit<MarkerDoc, '_id'> = { inviteeOpenid: openid, inviterOpenid: null, status: 'none', boundAt: now, rewardedAt: null, points: 0, erasure }
    await t.collection(COLLECTIONS.referrals).doc(openid).set({ data: marker })
    return { erasure, forfeited: member.points }
  })
  if (!claimed) throw new AppError('NOT_FOUND', '您还不是会员，无需注销')
  await runRules(db, subjectOf(openid, claimed.erasure))
  return { pointsForfeited: claimed.forfeited }
}
