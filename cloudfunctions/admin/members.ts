import { z } from 'zod'
import { cashierAttemptCutoff } from '../services/retention'
import type { ActionContext } from '../shared/handler'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import type { MerchantSettings } from '../domain/merchant-settings'
import { tierForGrowth } from '../domain/loyalty'
import { favouriteStore } from '../domain/tags'
import { maskPhone } from '../domain/mask'
import { changeTags, normalizeTag, TAG_REFUSAL_MESSAGES } from '../domain/manual-tags'
import { getDoc, list, runTransaction, txGet } from '../services/db-util'
import { memberIdOf, type LedgerDoc, type MemberDoc, type OrderDoc } from '../services/documents'
import { withFreshTags } from '../services/member-tags'
import { loadSettings } from '../services/settings'
import type { AuditDoc } from '../services/audit'
import { MEMBER_CODE_INVALID, memberByNo as memberByNoIn, resolveMember } from './member-resolve'
import { memberTarget, type CashierAttemptDoc } from './cashier'
import { formatYuan } from '../../miniprogram/shared/money'
import { MANUAL_TAG_MAX, MANUAL_TAG_RAW_MAX } from '../../miniprogram/shared/text-limits'
import { defineStaffAction, iso } from './staff-context'
import { textField } from '../shared/text-input'
import { decide, seesAllStores } from '../domain/permissions'
import { storeNames } from './stores'
import { auditLine, writeAudit } from '../services/audit'

export const memberNoSchema = z.string().trim().regex(/^\d{8}$/, '会员号应为 8 位数字')
/** Scanned codes are 19 digits; anything up to 64 characters is checked and refused with the clear message. */
export const memberCodeSchema = z.string().trim().min(1).max(64, '会员码格式不正确')
const phoneSchema = z
  .string()
  .max(20)
  .transform((s) => s.replace(/[\s-]/g, ''))
  .refine((s) => /^1\d{10}$/.test(s), '手机号应为 11 位数字')

export { MEMBER_CODE_INVALID }
const LEDGER_PAGE_SIZE = 20
const RECENT_ORDERS = 10
const CASHIER_LOG = 20

export async function memberByNo(ctx: ActionContext, memberNo: string): Promise<MemberDoc | null> {
  return memberByNoIn(ctx.db, memberNo)
}

/** Cashier lines about a member (audit: sales and approvals; cashier_attempts: refusals), newest first, in the caller's stores. */
async function cashierLogOf(ctx: ActionContext, member: MemberDoc, storeFilter: Record<string, unknown>) {
  const [audit, refused] = await Promise.all([
    list<AuditDoc>(ctx.db.collection(COLLECTIONS.audit).where({ target: memberTarget(member.memberNo), ...storeFilter }).orderBy('createdAt', 'desc').limit(CASHIER_LOG)),
    list<CashierAttemptDoc>(ctx.db.collection(COLLECTIONS.cashierAttempts).where({ memberId: member._id, ...storeFilter, createdAt: ctx.db.command.gte(cashierAttemptCutoff(ctx.now())) }).orderBy('createdAt', 'desc').limit(CASHIER_LOG)),
  ])
  const lines = [
    ...audit.map((a) => ({ kind: a.action === 'cashier.decide' ? ('approval' as const) : ('sale' as const), text: a.summary, staffName: a.actorName, at: iso(a.createdAt) ?? '' })),
    ...refused.map((r) => ({ kind: 'refused' as const, text: `拒绝收银 ${formatYuan(r.amountFen)}：${r.message}`, staffName: r.staffName, at: iso(r.createdAt) ?? '' })),
  ]
  return lines.sort((a, b) => b.at.localeCompare(a.at)).slice(0, CASHIER_LOG)
}

/** What staff see of a member; time-based tags are brought up to today first. */
async function memberSummary(ctx: ActionContext, settings: MerchantSettings, read: MemberDoc) {
  const m = await withFreshTags(ctx.db, settings, read, ctx.now())
  const favourite = favouriteStore(m.storeVisits ?? {})
  const names = await storeNames(ctx.db, [favourite ?? '', m.firstStoreId])
  return {
    summary: {
      memberNo: m.memberNo,
      tierName: tierForGrowth(settings.tiers, m.growth).name,
      points: m.points,
      pointsDebt: m.pointsDebt,
      phone: maskPhone(m.phone),
      totalSpentFen: m.totalSpentFen,
      visitCount: m.visitCount,
      lastVisitAt: iso(m.lastVisitAt),
      tags: [...(m.autoTags ?? []), ...(m.manualTags ?? [])],
      manualTags: [...(m.manualTags ?? [])],
      favouriteStoreName: favourite ? (names.get(favourite) ?? '') : '',
      // 头像昵称 the member chose (optional; absent when not set).
      ...(m.nickname ? { nickname: m.nickname } : {}),
      ...(m.avatarFileId ? { avatarFileId: m.avatarFileId } : {}),
    },
    names,
  }
}

const lookupSchema = z
  .object({ phone: phoneSchema.optional(), memberNo: memberNoSchema.optional(), memberCode: memberCodeSchema.optional() })
  .strict()
  .refine((v) => [v.phone, v.memberNo, v.memberCode].filter((x) => x !== undefined).length === 1, {
    message: '请输入手机号、会员号或扫描会员码（三选一）',
  })

/**
 * Search by phone, member number, or the member's dynamic code (scanned at the counter). Failed
 * attempts count against the staff member's per-minute limit (member-resolve.ts), so neither
 * numbers nor phones can be walked; a lookup shows a masked summary and moves nothing (a sale
 * by typed number is what needs the phone check, in cashier.capture).
 */
export const membersLookup = defineStaffAction('members.lookup', lookupSchema, async (input, ctx) => {
  const settings = await loadSettings(ctx.db)
  const member = await resolveMember(ctx, settings, input, false)
  if (!member) return { member: null }
  return { member: (await memberSummary(ctx, settings, member)).summary }
})

export const membersProfile = defineStaffAction(
  'members.profile',
  z.object({ memberNo: memberNoSchema, page: z.number().int().min(1).max(500).default(1) }).strict(),
  async (input, ctx) => {
    const { staff } = ctx
    const member = await memberByNo(ctx, input.memberNo)
    if (!member) throw new AppError('NOT_FOUND', '会员不存在')
    const [settings, rows, referrer, cashierLog, orders] = await Promise.all([
      loadSettings(ctx.db),
      list<LedgerDoc>(
        ctx.db
          .collection(COLLECTIONS.pointsLedger)
          .where({ memberId: member._id })
          .orderBy('createdAt', 'desc')
          .skip((input.page - 1) * LEDGER_PAGE_SIZE)
          .limit(LEDGER_PAGE_SIZE + 1),
      ),
      member.referrerOpenid ? getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, memberIdOf(member.referrerOpenid)) : Promise.resolve(null),
      input.page === 1 ? cashierLogOf(ctx, member, seesAllStores(staff.role) ? {} : { storeId: ctx.db.command.in(staff.storeIds) }) : Promise.resolve([]),
      input.page === 1
        ? list<OrderDoc>(
            ctx.db
              .collection(COLLECTIONS.orders)
              // A store sees its own orders; owner and HQ see every store's.
              .where({ memberId: member._id, status: ctx.db.command.in(['paid', 'refunded']), ...(seesAllStores(staff.role) ? {} : { storeId: ctx.db.command.in(staff.storeIds) }) })
              .orderBy('createdAt', 'desc')
              .limit(RECENT_ORDERS),
          )
        : Promise.resolve([] as OrderDoc[]),
    ])
    const { summary, names } = await memberSummary(ctx, settings, member)
    const orderStores = await storeNames(ctx.db, orders.map((o) => o.storeId))
    return {
      member: {
        ...summary,
        referrerMemberNo: referrer?.memberNo ?? null,
        firstStoreName: names.get(member.firstStoreId) ?? '',
        sourceTouchpoint: member.sourceTouchpoint ?? '',
        joinedAt: iso(member.createdAt),
        birthday: member.birthday,
      },
      ledger: rows.slice(0, LEDGER_PAGE_SIZE).map((r) => ({ delta: r.delta, debtDelta: r.debtDelta ?? 0, title: r.title, createdAt: iso(r.createdAt) })),
      hasMore: rows.length > LEDGER_PAGE_SIZE,
      /** The latest orders in the caller's stores (first page only), each saying whether the caller may refund it. */
      orders: orders.map((o) => ({
        outTradeNo: o.outTradeNo,
        amountFen: o.amountFen,
        status: o.status,
        channel: o.channel,
        storeName: orderStores.get(o.storeId) ?? '',
        createdAt: iso(o.createdAt),
        pointsEarned: o.pointsEarned,
        refundable: o.status === 'paid' && decide(ctx.scope, 'orders.refund', o.storeId).allowed,
        // Reconciliation: a WeChat refund in flight or failed, shown on the order (absent otherwise).
        ...refundNoteOf(o),
      })),
      /** Cashier sales, approvals and refused attempts about this member (first page only). */
      cashierLog,
    }
  },
)

/** Adds or removes one manual tag; in a transaction so concurrent edits cannot pass the limit. */
export const membersTag = defineStaffAction(
  'members.tag',
  z.object({ memberNo: memberNoSchema, tag: z.string({ invalid_type_error: '标签应为文字', required_error: '请填写标签' }).max(MANUAL_TAG_RAW_MAX, `标签最多 ${MANUAL_TAG_MAX} 个字`).pipe(textField({ label: '标签', max: MANUAL_TAG_MAX })), remove: z.boolean().optional() }).strict(),
  async (input, ctx) => {
    const normalized = normalizeTag(input.tag)
    if (!normalized.ok) throw new AppError('INVALID_INPUT', TAG_REFUSAL_MESSAGES[normalized.reason])
    const found = await memberByNo(ctx, input.memberNo)
    if (!found) throw new AppError('NOT_FOUND', '会员不存在')
    const now = ctx.now()
    const line = auditLine(ctx, 'members.tag', {
      storeId: null,
      target: `member:${found.memberNo}`,
      summary: `${input.remove === true ? '移除' : '添加'}会员 ${found.memberNo} 的标签「${normalized.tag}」`,
    })
    const tags = await runTransaction(ctx.db, async (t) => {
      const member = await txGet<MemberDoc>(t, COLLECTIONS.members, found._id)
      if (!member) throw new AppError('NOT_FOUND', '会员不存在')
      const current = member.manualTags ?? []
      const changed = changeTags(current, normalized.tag, input.remove === true)
      if (!changed.ok) throw new AppError('INVALID_INPUT', TAG_REFUSAL_MESSAGES[changed.reason])
      if (changed.tags.length !== current.length) {
        await t.collection(COLLECTIONS.members).doc(member._id).update({ data: { manualTags: changed.tags, updatedAt: now } })
        // Only a real change is recorded: adding a tag the member has, or removing one they lack, changes nothing.
        await writeAudit(t, line)
      }
      return changed.tags
    })
    return { tags }
  },
)

/** What the staff read about an order's WeChat refund beside its status: in flight, or why it failed. */
function refundNoteOf(o: OrderDoc): { refundNote?: string } {
  if (o.refund?.state === 'requested' && o.status === 'paid') return { refundNote: '退款处理中' }
  if (o.refund?.state === 'failed' && o.status === 'paid') return { refundNote: o.refund.failReason ?? '退款未成功' }
  return {}
}
