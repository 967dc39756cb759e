import { createHash } from 'node:crypto'
import { sweepCashierAttempts } from '../services/retention'
import { z } from 'zod'
import { COLLECTIONS } from '../shared/collections'
import { AppError, isAppError } from '../shared/errors'
import { captureOrder, type CaptureGuard, type CaptureOutcome, type CaptureRequest } from '../services/capture'
import { getDoc, list, runTransaction, txGet } from '../services/db-util'
import type { MemberDoc, OrderDoc, StaffDoc, StoreDoc } from '../services/documents'
import { auditLine, writeAudit } from '../services/audit'
import { loadSettings } from '../services/settings'
import { referralRiskOf } from '../services/referral-reward'
import { CASHIER_STORE_WORDS, requireOpenStore } from '../services/store-open'
import type { MerchantSettings } from '../domain/merchant-settings'
import { memberCodeSchema, memberNoSchema } from './members'
import { resolveMember, type MemberRef } from './member-resolve'
import { MAX_AMOUNT_FEN, formatYuan } from '../../miniprogram/shared/money'
import { defineStaffAction, iso, type StaffActionContext } from './staff-context'
import { storeIdSchema } from './stores'
import { APPROVAL_REASON_TEXT, checkWhoFor, judgeSale, mayApprove, saleGuard, type ApprovalReason } from './cashier-guards'
import { seesAllStores } from '../domain/permissions'
import { lockCoupons, orderCouponIds, priceWithCoupons, releaseOrderCoupon, storeNameMap, type CouponPricing, type OrderCouponFields } from '../services/coupons'
import { MAX_COUPONS_PER_ORDER } from '../../miniprogram/shared/coupon-rules'

export const MAX_CASHIER_FEN = MAX_AMOUNT_FEN

/** One cashier submit = one order, however often it is sent: the order number derives from clerk + request id. */
export function cashierOutTradeNo(clerkOpenid: string, clientRequestId: string): string {
  return 'C' + createHash('sha256').update(`${clerkOpenid}:${clientRequestId}`).digest('hex').slice(0, 30)
}

/** The approval a clerk's submit waits for: derived from the same pair, so a resubmit finds it. */
export function approvalIdOf(clerkOpenid: string, clientRequestId: string): string {
  return 'A' + createHash('sha256').update(`approval:${clerkOpenid}:${clientRequestId}`).digest('hex').slice(0, 30)
}

const NOT_A_MEMBER = '未找到该会员。新顾客请先在小程序内完成一次支付成为会员，之后到店可由店员扫码记录消费'

const base = {
  storeId: storeIdSchema,
  amountFen: z
    .number({ invalid_type_error: '金额应为整数（单位：分）', required_error: '请输入金额' })
    .int('金额应为整数（单位：分）')
    .min(1, '金额至少 0.01 元')
    .max(MAX_CASHIER_FEN, '单笔金额不能超过 100000 元'),
  clientRequestId: z.string({ invalid_type_error: '请求编号格式不正确', required_error: '请求编号格式不正确' }).regex(/^[A-Za-z0-9-]{8,64}$/, '请求编号格式不正确'),
}

const couponIdSchema = z.string({ invalid_type_error: '优惠券编号格式不正确' }).trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '优惠券编号格式不正确')

/**
 * A sale waiting for approval holds its coupons this long (coupon-gaps): locked at the request,
 * used at the approval, released at a refusal. Past it they are the member's again, and an
 * approval after that uses them only if they are still usable.
 */
export const APPROVAL_COUPON_LOCK_MS = 24 * 3_600_000

const phoneLast4Schema = z.string({ invalid_type_error: '请输入手机号后 4 位' }).regex(/^\d{4}$/, '请输入手机号后 4 位')

const captureSchema = z
  .object({
    ...base,
    memberNo: memberNoSchema.optional(),
    memberCode: memberCodeSchema.optional(),
    phoneLast4: phoneLast4Schema.optional(),
    // Coupons: one of the member's coupons, priced by the server; amountFen is the bill before it.
    couponId: couponIdSchema.optional(),
    // Several stackable coupons at once (coupon-gaps).
    couponIds: z.array(couponIdSchema).min(1, '请选择优惠券').max(MAX_COUPONS_PER_ORDER, `一笔订单最多同时使用 ${MAX_COUPONS_PER_ORDER} 张优惠券`).optional(),
  })
  .strict()
  .refine((v) => (v.memberNo === undefined) !== (v.memberCode === undefined), { message: '请扫描会员码或输入会员号（二选一）' })
  .refine((v) => v.couponId === undefined || v.couponIds === undefined, { message: '优惠券请只用一种方式传入' })

/** A clerk's sale waiting for a manager (cashier_approvals). */
export interface ApprovalDoc {
  _id: string
  storeId: string
  clerkOpenid: string
  clerkName: string
  memberId: string
  memberNo: string
  amountFen: number
  clientRequestId: string
  reason: ApprovalReason
  status: 'pending' | 'approved' | 'refused'
  createdAt: Date
  decidedAt: Date | null
  decidedBy: string | null
  decidedByName: string | null
  outTradeNo: string | null
  pointsEarned: number
  /** The coupons the sale carries (coupon-gaps), locked to its order number until decided; amountFen is then the bill before them. */
  coupon?: (OrderCouponFields & { payableFen: number }) | null
}

/** A refused cashier attempt (cashier_attempts): not a change, so not an audit line, but on record. */
export interface CashierAttemptDoc {
  _id?: string
  staffOpenid: string
  staffName: string
  staffRole: string
  storeId: string
  memberId: string | null
  memberNo: string | null
  amountFen: number
  code: string
  message: string
  createdAt: Date
}

async function recordRefusal(ctx: StaffActionContext, facts: { storeId: string; member: MemberDoc | null; amountFen: number }, e: AppError): Promise<void> {
  const doc: CashierAttemptDoc = {
    staffOpenid: ctx.staff.openid,
    staffName: ctx.staff.name,
    staffRole: ctx.staff.role,
    storeId: facts.storeId,
    memberId: facts.member?._id ?? null,
    memberNo: facts.member?.memberNo ?? null,
    amountFen: facts.amountFen,
    code: e.code,
    message: e.message,
    createdAt: ctx.now(),
  }
  try {
    await ctx.db.collection(COLLECTIONS.cashierAttempts).add({ data: doc })
  } catch (err) {
    // The refusal stands even if its record cannot be written.
    console.error('[cashier] refusal not recorded', err)
  }
  await sweepCashierAttempts(ctx.db, doc.createdAt)
}

/** The sale's audit target: the member, so the member profile lists the cashier lines about them. */
export const memberTarget = (memberNo: string): string => `member:${memberNo}`

function saleRequest(member: MemberDoc, storeId: string, amountFen: number, clerkOpenid: string, clientRequestId: string): CaptureRequest {
  return {
    outTradeNo: cashierOutTradeNo(clerkOpenid, clientRequestId),
    openid: member.openid,
    amountFen,
    storeId,
    channel: 'cashier' as const,
    clerkOpenid,
    clientRequestKey: `${clerkOpenid}:${clientRequestId}`,
  }
}

/** The capture with the guards in its transaction; concurrent repeats of one submit collide on the order's _id, the loser sees it recorded. */
async function captureSale(ctx: StaffActionContext, settings: MerchantSettings, request: CaptureRequest, guard: CaptureGuard): Promise<CaptureOutcome> {
  const withRisk = { ...request, referralRisk: await referralRiskOf(ctx, settings, request.openid) }
  try {
    return await captureOrder(ctx.db, settings, withRisk, ctx.now(), guard)
  } catch (e) {
    if (isAppError(e)) throw e
    const recorded = await getDoc<OrderDoc>(ctx.db, COLLECTIONS.orders, request.outTradeNo)
    if (!recorded) throw e
    return captureOrder(ctx.db, settings, withRisk, ctx.now(), guard)
  }
}

function recordedView(outcome: CaptureOutcome, memberNo: string, priced: { discountFen: number; payableFen: number } | null) {
  return {
    outTradeNo: outcome.outTradeNo,
    memberNo,
    pointsEarned: outcome.pointsEarned,
    tierName: outcome.tierName,
    // With a coupon: its discount and what was paid (the bill less the discount).
    ...(priced ? { discountFen: priced.discountFen, paidFen: priced.payableFen } : {}),
    joined: false as const,
    alreadyRecorded: outcome.alreadyProcessed,
  }
}

function approvalView(a: ApprovalDoc) {
  return {
    id: a._id,
    status: a.status,
    reason: a.reason,
    reasonText: APPROVAL_REASON_TEXT[a.reason],
    storeId: a.storeId,
    clerkName: a.clerkName,
    memberNo: a.memberNo,
    amountFen: a.amountFen,
    createdAt: iso(a.createdAt),
    decidedAt: iso(a.decidedAt),
    decidedByName: a.decidedByName,
    outTradeNo: a.outTradeNo,
    pointsEarned: a.pointsEarned,
    // With coupons: their discount and what is to be paid.
    ...(a.coupon ? { discountFen: a.coupon.discountFen, paidFen: a.coupon.payableFen, couponCount: a.coupon.couponIds.length } : {}),
  }
}

/** A clerk's sale that needs a manager: one pending approval per submit, with its audit line. */
async function requestApproval(ctx: StaffActionContext, member: MemberDoc, input: { storeId: string; amountFen: number; clientRequestId: string }, reason: ApprovalReason, priced: CouponPricing | null) {
  const id = approvalIdOf(ctx.staff.openid, input.clientRequestId)
  const outTradeNo = cashierOutTradeNo(ctx.staff.openid, input.clientRequestId)
  const now = ctx.now()
  const doc: ApprovalDoc = {
    _id: id,
    storeId: input.storeId,
    clerkOpenid: ctx.staff.openid,
    clerkName: ctx.staff.name,
    memberId: member._id,
    memberNo: member.memberNo,
    amountFen: input.amountFen,
    clientRequestId: input.clientRequestId,
    reason,
    status: 'pending',
    createdAt: now,
    decidedAt: null,
    decidedBy: null,
    decidedByName: null,
    outTradeNo: null,
    pointsEarned: 0,
    coupon: priced ? { couponId: priced.couponId, couponIds: priced.couponIds, lines: priced.lines, originalAmountFen: priced.originalAmountFen, discountFen: priced.discountFen, payableFen: priced.payableFen } : null,
  }
  const line = auditLine(ctx, 'cashier.capture', {
    storeId: input.storeId,
    target: memberTarget(member.memberNo),
    summary: `收银 ${formatYuan(input.amountFen)}${priced ? `（用券 ${priced.couponIds.length} 张，实收 ${formatYuan(priced.payableFen)}）` : ''} 待店长审批（${APPROVAL_REASON_TEXT[reason]}）`,
  })
  const stores = priced ? await storeNameMap(ctx.db) : new Map<string, StoreDoc>()
  const stored = await runTransaction(ctx.db, async (t) => {
    const existing = await txGet<ApprovalDoc>(t, COLLECTIONS.cashierApprovals, id)
    if (existing) return existing
    const { _id, ...data } = doc
    // The coupons are held for this sale from the request: no other order takes them meanwhile.
    if (priced) await lockCoupons(t, { orderId: outTradeNo, openid: member.openid, storeId: input.storeId, couponIds: priced.couponIds, lockMs: APPROVAL_COUPON_LOCK_MS }, stores, ctx.now())
    await t.collection(COLLECTIONS.cashierApprovals).doc(_id).set({ data })
    await writeAudit(t, line)
    return doc
  })
  const storedCoupons = orderCouponIds(stored.coupon ?? null).join(',')
  if (stored.amountFen !== input.amountFen || stored.memberId !== member._id || stored.storeId !== input.storeId || storedCoupons !== (priced?.couponIds ?? []).join(',')) {
    throw new AppError('CONFLICT', '该收银请求已记录过另一笔消费，请刷新页面后重新提交')
  }
  return { pendingApproval: approvalView(stored), memberNo: member.memberNo }
}

/**
 * 收银: the clerk records a consumption for an existing member (scanned code or member number).
 * The same capture as a WeChat Pay callback, with channel 'cashier' and the clerk recorded, behind
 * the counter-fraud guards (cashier-guards.ts): never for oneself, another staff member's only by
 * a manager, a typed number confirmed, a clerk's large sale approved by a manager, daily caps.
 * Every refusal after validation is kept in cashier_attempts.
 */
export const cashierCapture = defineStaffAction('cashier.capture', captureSchema, {
  target: (input) => ({ storeId: input.storeId }),
  run: async (input, ctx) => {
    let member: MemberDoc | null = null
    try {
      await requireOpenStore(ctx.db, input.storeId, CASHIER_STORE_WORDS)
      const settings = await loadSettings(ctx.db)
      const typed = input.memberNo !== undefined
      const ref: MemberRef = { memberCode: input.memberCode, memberNo: input.memberNo, phoneLast4: input.phoneLast4 }
      const phoneCheck = typed && !mayApprove(ctx.staff.role) && settings.cashier.typedNumberCheck === 'phoneLast4'
      member = await resolveMember(ctx, settings, ref, phoneCheck)
      if (!member) throw new AppError('NOT_FOUND', NOT_A_MEMBER)
      const found: MemberDoc = member

      const request = saleRequest(found, input.storeId, input.amountFen, ctx.staff.openid, input.clientRequestId)
      // Coupons: the server prices the coupon; the caps and the approval line judge what is paid.
      const couponIds = input.couponIds ?? (input.couponId ? [input.couponId] : [])
      const priced = couponIds.length
        ? await priceWithCoupons(ctx.db, ctx.now(), { openid: found.openid, couponIds, storeId: input.storeId, amountFen: input.amountFen, forOrder: request.outTradeNo })
        : null
      if (priced) {
        request.amountFen = priced.payableFen
        request.coupon = priced
      }
      const paidFen = request.amountFen
      // A resubmit of a recorded sale (or of a pending one) answers what it already is.
      const [recorded, pending] = await Promise.all([
        getDoc<OrderDoc>(ctx.db, COLLECTIONS.orders, request.outTradeNo),
        getDoc<ApprovalDoc>(ctx.db, COLLECTIONS.cashierApprovals, approvalIdOf(ctx.staff.openid, input.clientRequestId)),
      ])
      if (pending) return await requestApproval(ctx, found, input, pending.reason, priced)
      if (!recorded) {
        const verdict = await judgeSale(ctx, settings, { storeId: input.storeId, member: found, amountFen: paidFen, typed })
        // An approval records the bill as asked and holds its coupons until a manager decides (coupon-gaps).
        if (verdict.kind === 'approval') return await requestApproval(ctx, found, input, verdict.reason, priced)
      }
      const line = auditLine(ctx, 'cashier.capture', { storeId: input.storeId, target: memberTarget(found.memberNo), summary: `收银 ${formatYuan(input.amountFen)}（订单 ${request.outTradeNo.slice(-8)}）` })
      const guard = saleGuard(settings, { storeId: input.storeId, clerkOpenid: ctx.staff.openid, amountFen: paidFen }, line)
      const outcome = await captureSale(ctx, settings, request, guard)
      if (outcome.alreadyProcessed) {
        const order = await getDoc<OrderDoc>(ctx.db, COLLECTIONS.orders, request.outTradeNo)
        const bill = order ? (order.originalAmountFen ?? order.amountFen) : 0
        if (order && (bill !== input.amountFen || orderCouponIds(order).join(',') !== couponIds.join(',') || order.openid !== found.openid || order.storeId !== input.storeId)) {
          throw new AppError('CONFLICT', '该收银请求已记录过另一笔消费，请刷新页面后重新提交')
        }
      }
      return recordedView(outcome, found.memberNo, priced)
    } catch (e) {
      if (isAppError(e)) await recordRefusal(ctx, { storeId: input.storeId, member, amountFen: input.amountFen }, e)
      throw e
    }
  },
})

const approvalIdSchema = z.string({ invalid_type_error: '审批编号格式不正确', required_error: '审批编号格式不正确' }).regex(/^A[0-9a-f]{30}$/, '审批编号格式不正确')

/** 待审批: the pending approvals in the stores the manager (or owner) works with, oldest first. */
export const cashierApprovals = defineStaffAction('cashier.approvals', z.object({}).strict(), async (_input, ctx) => {
  const _ = ctx.db.command
  const where = { status: 'pending', ...(seesAllStores(ctx.staff.role) ? {} : { storeId: _.in(ctx.staff.storeIds) }) }
  const rows = await list<ApprovalDoc>(ctx.db.collection(COLLECTIONS.cashierApprovals).where(where).orderBy('createdAt', 'asc').limit(100))
  return { approvals: rows.map(approvalView) }
})

/** What became of one approval: the clerk who asked, or a manager of its store, may look. */
export const cashierApproval = defineStaffAction('cashier.approval', z.object({ approvalId: approvalIdSchema }).strict(), async (input, ctx) => {
  const a = await getDoc<ApprovalDoc>(ctx.db, COLLECTIONS.cashierApprovals, input.approvalId)
  const mayView = a && (a.clerkOpenid === ctx.staff.openid || (mayApprove(ctx.staff.role) && (seesAllStores(ctx.staff.role) || ctx.staff.storeIds.includes(a.storeId))))
  if (!a || !mayView) throw new AppError('NOT_FOUND', '审批不存在')
  return { approval: approvalView(a) }
})

/**
 * A manager approves or refuses a clerk's pending sale. Approving records the sale as the clerk's
 * (their daily cap counts it) in one transaction with the approval's pending → approved and its
 * audit line; refusing moves it pending → refused with its line. A second decision finds it decided.
 */
export const cashierDecide = defineStaffAction('cashier.decide', z.object({ approvalId: approvalIdSchema, approve: z.boolean({ invalid_type_error: '请选择批准或拒绝', required_error: '请选择批准或拒绝' }) }).strict(), {
  target: async (input, ctx) => {
    const a = await getDoc<ApprovalDoc>(ctx.db, COLLECTIONS.cashierApprovals, input.approvalId)
    if (!a) throw new AppError('NOT_FOUND', '审批不存在')
    return { storeId: a.storeId, approval: a }
  },
  run: async (input, ctx, { approval }) => {
    if (approval.status !== 'pending') throw new AppError('APPROVAL_DECIDED')
    const now = ctx.now()
    const decided = { decidedAt: now, decidedBy: ctx.staff.openid, decidedByName: ctx.staff.name }
    const who = `店员 ${approval.clerkName}`
    if (!input.approve) {
      const line = auditLine(ctx, 'cashier.decide', { storeId: approval.storeId, target: memberTarget(approval.memberNo), summary: `拒绝收银 ${formatYuan(approval.amountFen)}（${who}申请）` })
      await runTransaction(ctx.db, async (t) => {
        const current = await txGet<ApprovalDoc>(t, COLLECTIONS.cashierApprovals, approval._id)
        if (!current || current.status !== 'pending') throw new AppError('APPROVAL_DECIDED')
        await t.collection(COLLECTIONS.cashierApprovals).doc(approval._id).update({ data: { status: 'refused', ...decided } })
        // Its coupons are the member's again (coupon-gaps).
        await releaseOrderCoupon(t, { _id: cashierOutTradeNo(current.clerkOpenid, current.clientRequestId), couponIds: orderCouponIds(current.coupon ?? null) }, now)
        await writeAudit(t, line)
      })
      return { approval: approvalView({ ...approval, status: 'refused', ...decided }) }
    }
    const [member, clerk, settings] = await Promise.all([
      getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, approval.memberId),
      getDoc<StaffDoc>(ctx.db, COLLECTIONS.staff, approval.clerkOpenid),
      loadSettings(ctx.db),
    ])
    if (!member) throw new AppError('NOT_FOUND', '会员不存在')
    if (!clerk) throw new AppError('NOT_FOUND', '申请的店员已不在职')
    // The approver may not approve a sale for their own membership either.
    await checkWhoFor(ctx, clerk, member)
    await requireOpenStore(ctx.db, approval.storeId, CASHIER_STORE_WORDS)
    const request = saleRequest(member, approval.storeId, approval.amountFen, approval.clerkOpenid, approval.clientRequestId)
    // The coupons held since the request are used in the capture (coupon-gaps): what is paid is the bill less them.
    if (approval.coupon) {
      request.amountFen = approval.coupon.payableFen
      request.coupon = approval.coupon
    }
    const line = auditLine(ctx, 'cashier.decide', { storeId: approval.storeId, target: memberTarget(member.memberNo), summary: `批准并记录收银 ${formatYuan(approval.amountFen)}（${who}申请）` })
    const markApproved: CaptureGuard = async (t) => {
      const current = await txGet<ApprovalDoc>(t, COLLECTIONS.cashierApprovals, approval._id)
      if (!current || current.status !== 'pending') throw new AppError('APPROVAL_DECIDED')
      await t.collection(COLLECTIONS.cashierApprovals).doc(approval._id).update({ data: { status: 'approved', outTradeNo: request.outTradeNo, ...decided } })
    }
    const guard = saleGuard(settings, { storeId: approval.storeId, clerkOpenid: approval.clerkOpenid, amountFen: request.amountFen }, line, markApproved)
    const outcome = await captureSale(ctx, settings, request, guard)
    if (outcome.alreadyProcessed) throw new AppError('APPROVAL_DECIDED')
    await ctx.db.collection(COLLECTIONS.cashierApprovals).doc(approval._id).update({ data: { pointsEarned: outcome.pointsEarned } })
    return { approval: approvalView({ ...approval, status: 'approved', ...decided, outTradeNo: outcome.outTradeNo, pointsEarned: outcome.pointsEarned }) }
  },
})
