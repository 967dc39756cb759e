import { createHash } from 'node:crypto'
import { z } from 'zod'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { captureOrder } from '../services/capture'
import { getDoc } from '../services/db-util'
import type { MemberDoc, OrderDoc } from '../services/documents'
import { loadSettings } from '../services/settings'
import { memberByCode, memberByNo, memberCodeSchema, memberNoSchema } from './members'
import { MAX_AMOUNT_FEN } from '../../miniprogram/shared/money'
import { defineStaffAction } from './staff-context'
import { requireStore, storeIdSchema } from './stores'
import { priceWithCoupon } from '../services/coupons'

export const MAX_CASHIER_FEN = MAX_AMOUNT_FEN

/** One cashier submit = one order, however often it is sent: the order number derives from clerk + request id. */
export function cashierOutTradeNo(clerkOpenid: string, clientRequestId: string): string {
  return 'C' + createHash('sha256').update(`${clerkOpenid}:${clientRequestId}`).digest('hex').slice(0, 30)
}

const NOT_A_MEMBER = '未找到该会员。新顾客请先在小程序内完成一次支付成为会员，之后到店可由店员扫码记录消费'

const base = {
  storeId: storeIdSchema,
  amountFen: z
    .number({ invalid_type_error: '金额应为整数（单位：分）' })
    .int('金额应为整数（单位：分）')
    .min(1, '金额至少 0.01 元')
    .max(MAX_CASHIER_FEN, '单笔金额不能超过 100000 元'),
  clientRequestId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, '请求编号格式不正确'),
}

const captureSchema = z
  .object({
    ...base,
    memberNo: memberNoSchema.optional(),
    memberCode: memberCodeSchema.optional(),
    // Coupons: one of the member's coupons, priced by the server; amountFen is the bill before it.
    couponId: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '优惠券编号格式不正确').optional(),
  })
  .strict()
  .refine((v) => (v.memberNo === undefined) !== (v.memberCode === undefined), { message: '请扫描会员码或输入会员号（二选一）' })

/**
 * 收银: the clerk records a consumption for an existing member (scanned code or member number).
 * The same capture as a WeChat Pay callback, with channel 'cashier' and the clerk recorded.
 */
export const cashierCapture = defineStaffAction('cashier.capture', captureSchema, {
  target: (input) => ({ storeId: input.storeId }),
  run: async (input, ctx) => {
    const { staff } = ctx
    await requireStore(ctx.db, input.storeId)
    const member: MemberDoc | null =
      input.memberCode !== undefined ? await memberByCode(ctx, input.memberCode) : await memberByNo(ctx, input.memberNo ?? '')
    if (!member) throw new AppError('NOT_FOUND', NOT_A_MEMBER)

    const outTradeNo = cashierOutTradeNo(staff.openid, input.clientRequestId)
    const settings = await loadSettings(ctx.db)
    const priced = input.couponId
      ? await priceWithCoupon(ctx.db, ctx.now(), { openid: member.openid, couponId: input.couponId, storeId: input.storeId, amountFen: input.amountFen, forOrder: outTradeNo })
      : null
    const request = {
      outTradeNo,
      openid: member.openid,
      amountFen: priced ? priced.payableFen : input.amountFen,
      ...(priced ? { coupon: { couponId: priced.couponId, originalAmountFen: priced.originalAmountFen, discountFen: priced.discountFen } } : {}),
      storeId: input.storeId,
      channel: 'cashier' as const,
      clerkOpenid: staff.openid,
      clientRequestKey: `${staff.openid}:${input.clientRequestId}`,
    }
    let outcome
    try {
      outcome = await captureOrder(ctx.db, settings, request, ctx.now())
    } catch (e) {
      // Concurrent repeats of one submit collide on the order's _id; the one that lost sees it recorded.
      const recorded = await getDoc<OrderDoc>(ctx.db, COLLECTIONS.orders, outTradeNo)
      if (!recorded) throw e
      outcome = await captureOrder(ctx.db, settings, request, ctx.now())
    }
    if (outcome.alreadyProcessed) {
      const order = await getDoc<OrderDoc>(ctx.db, COLLECTIONS.orders, outTradeNo)
      if (order && ((order.originalAmountFen ?? order.amountFen) !== input.amountFen || (order.couponId ?? undefined) !== input.couponId || order.openid !== member.openid || order.storeId !== input.storeId)) {
        throw new AppError('CONFLICT', '该收银请求已记录过另一笔消费，请刷新页面后重新提交')
      }
    }
    return {
      outTradeNo: outcome.outTradeNo,
      memberNo: member.memberNo,
      pointsEarned: outcome.pointsEarned,
      tierName: outcome.tierName,
      // With a coupon: its discount and what was paid (the bill less the discount).
      ...(priced ? { discountFen: priced.discountFen, paidFen: priced.payableFen } : {}),
      joined: false as const,
    alreadyRecorded: outcome.alreadyProcessed,
  }
  },
})
