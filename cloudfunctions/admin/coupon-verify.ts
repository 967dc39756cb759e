import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { verifyCouponCode } from '../domain/coupon-code'
import { verifyMemberCode } from '../domain/member-code'
import { decide, seesAllStores } from '../domain/permissions'
import { maskPhone } from '../domain/mask'
import { auditLine, writeAudit } from '../services/audit'
import { getDoc, list, runTransaction, txGet, withoutId } from '../services/db-util'
import { countCouponVerified } from '../services/touchpoints'
import { memberIdOf, type MemberDoc, type StoreDoc } from '../services/documents'
import { memberCodeSecret } from '../services/settings'
import type { CouponDoc, CouponEventDoc, CouponVerificationDoc } from '../services/coupon-docs'
import { couponState, couponView, isRefusal, priceRefusalOrDiscount, storeNameMap, useRefusal, type Refusal } from '../services/coupons'
import {
  normalizeCodeInput,
  tabOf,
  thresholdOf,
  UNDO_WINDOW_MS,
  valueLabel,
  type CounterCouponView,
  type VerificationView,
} from '../../miniprogram/shared/coupon-rules'
import { formatYuan, MAX_AMOUNT_FEN } from '../../miniprogram/shared/money'
import { defineStaffAction, iso, type StaffActionContext } from './staff-context'
import { storeIdSchema } from './stores'

/** 核销 (admin): look a coupon up by its code, short code or the member's code; verify it exactly once; history; undo. */

/** A lookup's ticket is good for this long: the clerk confirms without the customer re-showing a code that rotated. */
export const TICKET_MS = 10 * 60_000

const codeSchema = z.string().max(64, '券码格式不正确').transform(normalizeCodeInput).refine((s) => s.length > 0, '请扫描或输入券码')
const amountSchema = z
  .number({ invalid_type_error: '金额应为整数（单位：分）' })
  .int('金额应为整数（单位：分）')
  .min(1, '金额至少 0.01 元')
  .max(MAX_AMOUNT_FEN, '单笔金额不能超过 100000 元')
const requestIdSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, '请求编号格式不正确')
const ticketSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}\.\d{10,16}\.[0-9a-f]{32}$/, '核销凭据无效，请重新扫码')

function ticketMac(secret: string, couponId: string, clerk: string, storeId: string, exp: number): string {
  return createHmac('sha256', secret).update(`coupon-ticket:${couponId}:${clerk}:${storeId}:${exp}`).digest('hex').slice(0, 32)
}

function issueTicket(secret: string, couponId: string, clerk: string, storeId: string, nowMs: number): string {
  const exp = nowMs + TICKET_MS
  return `${couponId}.${exp}.${ticketMac(secret, couponId, clerk, storeId, exp)}`
}

function readTicket(secret: string, ticket: string, clerk: string, storeId: string, nowMs: number): string {
  const [couponId = '', expRaw = '', mac = ''] = ticket.split('.')
  const exp = Number(expRaw)
  const expected = ticketMac(secret, couponId, clerk, storeId, exp)
  if (!(mac.length === expected.length && timingSafeEqual(Buffer.from(mac), Buffer.from(expected)))) throw new AppError('COUPON_CODE_INVALID', '核销凭据无效，请重新扫码')
  if (exp < nowMs) throw new AppError('COUPON_CODE_INVALID', '核销凭据已过期，请让顾客刷新券码后重新扫码')
  return couponId
}

function ownerLabel(member: MemberDoc | null): string {
  if (!member) return '非会员'
  return `会员 ${member.memberNo.slice(0, 2)}****${member.memberNo.slice(6)}${member.phone ? `（${maskPhone(member.phone)}）` : ''}`
}

/** Why the counter cannot verify this coupon here now, with the amount if given (threshold). */
function counterRefusal(c: CouponDoc, now: Date, storeId: string, stores: Map<string, StoreDoc>, amountFen: number | undefined): Refusal | null {
  const refusal = useRefusal(c, now, storeId, stores)
  if (refusal) return refusal
  if (amountFen !== undefined && c.terms.value.type !== 'gift') {
    const priced = priceRefusalOrDiscount(c, amountFen)
    if (isRefusal(priced)) return priced
  }
  return null
}

const lookupSchema = z
  .object({ storeId: storeIdSchema, code: codeSchema, amountFen: amountSchema.optional() })
  .strict()

/**
 * What the clerk scanned or typed: a coupon's code (21 digits), its short code (14), or a
 * member code (19: the member's coupons). Each coupon comes with a ticket to confirm it, or the
 * specific reason it cannot be verified here.
 */
export const couponsLookup = defineStaffAction('coupons.lookup', lookupSchema, {
  target: (input) => ({ storeId: input.storeId }),
  run: async (input, ctx) => {
    const now = ctx.now()
    const secret = await memberCodeSecret(ctx.db)
    const stores = await storeNameMap(ctx.db)
    if (!stores.has(input.storeId)) throw new AppError('NOT_FOUND', '门店不存在')
    const counterView = (c: CouponDoc, member: MemberDoc | null): CounterCouponView => {
      const refusal = counterRefusal(c, now, input.storeId, stores, input.amountFen)
      const priced = input.amountFen !== undefined && !refusal && c.terms.value.type !== 'gift' ? priceRefusalOrDiscount(c, input.amountFen) : null
      return {
        ...couponView(c, now, stores),
        owner: ownerLabel(member),
        ticket: refusal ? null : issueTicket(secret, c._id, ctx.staff._id, input.storeId, now.getTime()),
        refusal,
        discountFen: priced && !isRefusal(priced) ? priced.discountFen : null,
      }
    }
    if (/^\d{19}$/.test(input.code)) {
      const check = verifyMemberCode(secret, input.code, now.getTime())
      if (!check.ok) throw new AppError('COUPON_CODE_INVALID', '会员码已过期或无效，请让顾客刷新后重试')
      const member = (await list<MemberDoc>(ctx.db.collection(COLLECTIONS.members).where({ memberNo: check.memberNo }).limit(1)))[0] ?? null
      if (!member) throw new AppError('NOT_FOUND', '会员不存在')
      const rows = await list<CouponDoc>(ctx.db.collection(COLLECTIONS.coupons).where({ openid: member.openid }).orderBy('validUntil', 'asc').limit(1000))
      const coupons = rows.filter((c) => tabOf(couponState(c, now)) === 'available').map((c) => counterView(c, member))
      // Verifiable ones first.
      coupons.sort((a, b) => Number(b.ticket !== null) - Number(a.ticket !== null))
      return { kind: 'member' as const, memberNo: member.memberNo, coupons }
    }
    const check = verifyCouponCode(secret, input.code, now.getTime())
    if (!check.ok) throw new AppError('COUPON_CODE_INVALID', check.reason === 'MALFORMED' ? '券码格式不正确：请扫描券码，或输入 14 位数字券码' : undefined)
    const coupon = (await list<CouponDoc>(ctx.db.collection(COLLECTIONS.coupons).where({ couponNo: check.couponNo }).limit(1)))[0] ?? null
    if (!coupon) throw new AppError('NOT_FOUND', '优惠券不存在')
    const member = await getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, memberIdOf(coupon.openid))
    const view = counterView(coupon, member)
    // A code that names a coupon given away, in transit, used or expired is refused outright, with its reason.
    if (view.refusal && ['COUPON_GIVEN', 'COUPON_IN_TRANSIT', 'ALREADY_USED', 'EXPIRED'].includes(view.refusal.code)) {
      throw new AppError(view.refusal.code as Refusal['code'], view.refusal.message)
    }
    return { kind: 'coupon' as const, memberNo: member?.memberNo ?? '', coupons: [view] }
  },
})

export function verificationId(clerk: string, requestId: string): string {
  return 'v' + createHash('sha256').update(`${clerk}:${requestId}`).digest('hex').slice(0, 30)
}

function verificationView(v: CouponVerificationDoc, ctx: StaffActionContext, stores: Map<string, StoreDoc>): VerificationView {
  const now = ctx.now().getTime()
  return {
    id: v._id,
    couponId: v.couponId,
    title: v.title,
    type: v.value.type,
    valueLabel: valueLabel(v.value),
    storeId: v.storeId,
    storeName: stores.get(v.storeId)?.name ?? '',
    clerkName: v.clerkName,
    memberNo: v.memberNo,
    orderAmountFen: v.orderAmountFen,
    discountFen: v.discountFen,
    status: v.status,
    createdAt: iso(v.createdAt) ?? '',
    undoneAt: iso(v.undoneAt),
    undoneByName: v.undoneByName,
    undoable: v.status === 'done' && now - new Date(v.createdAt).getTime() <= UNDO_WINDOW_MS && decide(ctx.scope, 'coupons.undo', v.storeId).allowed,
  }
}

const verifySchema = z
  .object({ storeId: storeIdSchema, ticket: ticketSchema, requestId: requestIdSchema, orderAmountFen: amountSchema.optional() })
  .strict()

/**
 * Confirms a coupon at the counter, exactly once. The coupon moves from usable to used in one
 * transaction with its verification record, whose id derives from clerk + request id: a retried
 * tap finds its own record (alreadyRecorded), a second clerk finds the coupon used (「已核销」
 * with when and where).
 */
export const couponsVerify = defineStaffAction('coupons.verify', verifySchema, {
  target: (input) => ({ storeId: input.storeId }),
  run: async (input, ctx) => {
    const now = ctx.now()
    const secret = await memberCodeSecret(ctx.db)
    const couponId = readTicket(secret, input.ticket, ctx.staff._id, input.storeId, now.getTime())
    const stores = await storeNameMap(ctx.db)
    const read = await getDoc<CouponDoc>(ctx.db, COLLECTIONS.coupons, couponId)
    if (!read) throw new AppError('NOT_FOUND', '优惠券不存在')
    const member = await getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, memberIdOf(read.openid))
    const id = verificationId(ctx.staff._id, input.requestId)
    const threshold = thresholdOf(read.terms.value)
    if (threshold > 0 && input.orderAmountFen === undefined) throw new AppError('COUPON_THRESHOLD', `该券满 ${formatYuan(threshold)} 可用，请输入订单金额`)
    const line = auditLine(ctx, 'coupons.verify', { storeId: input.storeId, target: `coupon:${couponId}`, summary: `核销「${read.terms.title}」${input.orderAmountFen !== undefined ? `（订单 ${formatYuan(input.orderAmountFen)}）` : ''}` })
    const mine = (v: CouponVerificationDoc | null) => {
      if (!v) return null
      if (v.couponId !== couponId) throw new AppError('CONFLICT', '该请求编号已用于另一张券，请刷新页面后重试')
      return v
    }
    let alreadyRecorded = false
    let record: CouponVerificationDoc
    try {
      record = await runTransaction(ctx.db, async (t) => {
        const existing = mine(await txGet<CouponVerificationDoc>(t, COLLECTIONS.couponVerifications, id))
        if (existing) {
          alreadyRecorded = true
          return existing
        }
        alreadyRecorded = false
        const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, couponId)
        if (!coupon) throw new AppError('NOT_FOUND', '优惠券不存在')
        const refusal = counterRefusal(coupon, now, input.storeId, stores, input.orderAmountFen)
        if (refusal) throw new AppError(refusal.code, refusal.code === 'ALREADY_USED' ? refusal.message.replace('使用', '核销').replace(/^该券/, '已核销：该券') : refusal.message)
        const priced = input.orderAmountFen !== undefined && coupon.terms.value.type !== 'gift' ? priceRefusalOrDiscount(coupon, input.orderAmountFen) : null
        const doc: CouponVerificationDoc = {
          _id: id,
          couponId,
          couponNo: coupon.couponNo,
          templateId: coupon.templateId,
          title: coupon.terms.title,
          value: coupon.terms.value,
          ownerOpenid: coupon.openid,
          memberNo: member?.memberNo ?? '',
          storeId: input.storeId,
          clerkOpenid: ctx.staff._id,
          clerkName: ctx.staff.name,
          requestId: input.requestId,
          orderAmountFen: input.orderAmountFen ?? null,
          discountFen: priced && !isRefusal(priced) ? priced.discountFen : null,
          status: 'done',
          undoneAt: null,
          undoneBy: null,
          undoneByName: null,
          createdAt: now,
        }
        await t.collection(COLLECTIONS.couponVerifications).doc(id).set({ data: withoutId(doc) })
        // Dashboards (touchpoints): the day's verified-coupon counters move with the verification.
        await countCouponVerified(t, input.storeId, now)
        await t.collection(COLLECTIONS.coupons).doc(couponId).update({
          data: { status: 'used', usedAt: now, usedStoreId: input.storeId, usedVerification: id, usedOrder: null, lockOrder: null, lockExpiresAt: null, updatedAt: now },
        })
        await writeAudit(t, line)
        return doc
      })
    } catch (e) {
      if (e instanceof AppError) throw e
      // Out of retries against a concurrent confirmation: what is recorded now is the answer.
      const existing = mine(await getDoc<CouponVerificationDoc>(ctx.db, COLLECTIONS.couponVerifications, id))
      if (existing) {
        record = existing
        alreadyRecorded = true
      } else {
        const coupon = await getDoc<CouponDoc>(ctx.db, COLLECTIONS.coupons, couponId)
        const refusal = coupon ? useRefusal(coupon, ctx.now(), input.storeId, stores) : null
        if (refusal) throw new AppError(refusal.code, refusal.message)
        throw e
      }
    }
    return { verification: verificationView(record, ctx, stores), alreadyRecorded }
  },
})

const PAGE_SIZE = 20

/** Verifications, newest first: a store's own (the caller's stores), or all for owner and HQ. */
export const couponsHistory = defineStaffAction(
  'coupons.history',
  z.object({ storeId: storeIdSchema.optional(), page: z.number().int().min(1).max(500).default(1) }).strict(),
  async (input, ctx) => {
    const _ = ctx.db.command
    const all = seesAllStores(ctx.staff.role)
    if (input.storeId && !all && !ctx.staff.storeIds.includes(input.storeId)) throw new AppError('FORBIDDEN', '您只能查看自己所在门店的核销记录')
    const where: Record<string, unknown> = input.storeId ? { storeId: input.storeId } : all ? {} : { storeId: _.in(ctx.staff.storeIds) }
    const [rows, stores] = await Promise.all([
      list<CouponVerificationDoc>(
        ctx.db
          .collection(COLLECTIONS.couponVerifications)
          .where(where)
          .orderBy('createdAt', 'desc')
          .skip((input.page - 1) * PAGE_SIZE)
          .limit(PAGE_SIZE + 1),
      ),
      storeNameMap(ctx.db),
    ])
    return { verifications: rows.slice(0, PAGE_SIZE).map((v) => verificationView(v, ctx, stores)), hasMore: rows.length > PAGE_SIZE }
  },
)

/** Undo a verification within 10 minutes (manager or above): the coupon is usable again; recorded. */
export const couponsUndo = defineStaffAction('coupons.undo', z.object({ verificationId: z.string().regex(/^v[0-9a-f]{30}$/, '核销记录编号格式不正确') }).strict(), {
  target: async (input, ctx) => {
    const v = await getDoc<CouponVerificationDoc>(ctx.db, COLLECTIONS.couponVerifications, input.verificationId)
    if (!v) throw new AppError('NOT_FOUND', '核销记录不存在')
    return { storeId: v.storeId, verification: v }
  },
  run: async (_input, ctx, { verification: read }) => {
    const now = ctx.now()
    const line = auditLine(ctx, 'coupons.undo', { storeId: read.storeId, target: `coupon:${read.couponId}`, summary: `撤销核销「${read.title}」` })
    await runTransaction(ctx.db, async (t) => {
      const v = await txGet<CouponVerificationDoc>(t, COLLECTIONS.couponVerifications, read._id)
      if (!v) throw new AppError('NOT_FOUND', '核销记录不存在')
      if (v.status === 'undone') throw new AppError('INVALID_TRANSITION', '该核销已撤销')
      if (now.getTime() - new Date(v.createdAt).getTime() > UNDO_WINDOW_MS) throw new AppError('UNDO_WINDOW_PASSED')
      const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, v.couponId)
      if (!coupon || coupon.status !== 'used' || coupon.usedVerification !== v._id) throw new AppError('CONFLICT', '该券状态已变化，不能撤销')
      await t.collection(COLLECTIONS.coupons).doc(coupon._id).update({ data: { status: 'available', usedAt: null, usedStoreId: null, usedVerification: null, updatedAt: now } })
      await t.collection(COLLECTIONS.couponVerifications).doc(v._id).update({ data: { status: 'undone', undoneAt: now, undoneBy: ctx.staff._id, undoneByName: ctx.staff.name } })
      // Dashboards (touchpoints): taken back from the day it was counted on.
      await countCouponVerified(t, v.storeId, new Date(v.createdAt), -1)
      const event: CouponEventDoc = { _id: `undo:${v._id}`, couponId: coupon._id, kind: 'undone', ref: v._id, createdAt: now }
      await t.collection(COLLECTIONS.couponEvents).doc(event._id).set({ data: withoutId(event) })
      await writeAudit(t, line)
    })
    const v = await getDoc<CouponVerificationDoc>(ctx.db, COLLECTIONS.couponVerifications, read._id)
    if (!v) throw new AppError('NOT_FOUND', '核销记录不存在')
    return { verification: verificationView(v, ctx, await storeNameMap(ctx.db)) }
  },
})
