import { randomInt } from 'node:crypto'
import { z } from 'zod'
import { defineAction, type ActionContext } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { getDoc } from '../services/db-util'
import { memberIdOf, type MemberDoc, type OrderDoc } from '../services/documents'
import { loadSettings } from '../services/settings'
import { captureOrder } from '../services/capture'
import { wechatPay } from '../services/wechat-pay'
import { addOrderLockingCoupon, orderCouponFields, priceWithCoupons, releaseOrderCouponNow } from '../services/coupons'
import { MAX_COUPONS_PER_ORDER, ORDER_PAYABLE_MS } from '../../miniprogram/shared/coupon-rules'
import { reconcileOnRead } from '../services/reconcile'
import { isRefundNotification, onRefundNotification } from '../services/refund-result'
import { listStores, storesInput } from './stores'
import { referralRiskOf } from '../services/referral-reward'
import { ORDER_STORE_WORDS, requireOpenStore } from '../services/store-open'

export const MAX_ORDER_FEN = 10_000_000

export const stores = defineAction(storesInput, async (input, ctx) => ({ stores: await listStores(ctx, input.near) }))

const couponIdSchema = z.string({ invalid_type_error: '优惠券编号格式不正确' }).trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '优惠券编号格式不正确')

/** yyyyMMddHHmmss in China time (WeChat Pay's time fields). */
export function chinaStamp(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14)
}

/** 32 chars max for WeChat Pay: yyyyMMddHHmmss (China time) + 10 random digits. */
export function newOutTradeNo(now: Date): string {
  return `${chinaStamp(now)}${String(randomInt(0, 1e9)).padStart(9, '0')}${randomInt(0, 10)}`
}

export const createOrder = defineAction(
  z
    .object({
      storeId: z.string().min(1).max(64),
      amountFen: z.number().int().min(1).max(MAX_ORDER_FEN),
      touchpoint: z.string().max(64).optional(),
      /** A coupon of the caller's (coupons): the server prices it and locks it to the order. */
      couponId: couponIdSchema.optional(),
      /** Several coupons at once (coupon-gaps): only when every one is stackable. */
      couponIds: z.array(couponIdSchema).min(1, '请选择优惠券').max(MAX_COUPONS_PER_ORDER, `一笔订单最多同时使用 ${MAX_COUPONS_PER_ORDER} 张优惠券`).optional(),
    })
    .strict()
    .refine((v) => v.couponId === undefined || v.couponIds === undefined, { message: '优惠券请只用一种方式传入' }),
  async (input, ctx) => {
    const openid = requireOpenid(ctx.caller)
    const store = await requireOpenStore(ctx.db, input.storeId, ORDER_STORE_WORDS)
    // Before anything is written: without a sub-merchant id no order can be paid.
    const pay = wechatPay(ctx.cloud)
    const settings = await loadSettings(ctx.db)
    const now = ctx.now()
    const outTradeNo = newOutTradeNo(now)
    const couponIds = input.couponIds ?? (input.couponId ? [input.couponId] : [])
    const priced = couponIds.length ? await priceWithCoupons(ctx.db, now, { openid, couponIds, storeId: store._id, amountFen: input.amountFen }) : null
    const order: OrderDoc = {
      _id: outTradeNo,
      outTradeNo,
      openid,
      memberId: memberIdOf(openid),
      storeId: store._id,
      amountFen: priced ? priced.payableFen : input.amountFen,
      status: 'created',
      channel: 'wxpay',
      clerkOpenid: null,
      touchpoint: input.touchpoint ?? '',
      pointsEarned: 0,
      joined: false,
      transactionId: null,
      createdAt: now,
      paidAt: null,
      refundedAt: null,
      ...(priced ? orderCouponFields(priced) : {}),
    }
    if (priced) await addOrderLockingCoupon(ctx.db, order, now)
    else await ctx.db.collection(COLLECTIONS.orders).add({ data: order })
    const dropOrder = async () => {
      await ctx.db.collection(COLLECTIONS.orders).doc(outTradeNo).remove()
      if (priced) await releaseOrderCouponNow(ctx.db, order, ctx.now())
    }
    let placed: Awaited<ReturnType<typeof pay.unifiedOrder>>
    try {
      placed = await pay.unifiedOrder({
        body: `${settings.brandName}-${store.name}`.slice(0, 40),
        outTradeNo,
        totalFee: order.amountFen,
        callbackFunction: 'member',
        // WeChat refuses payment after the window the coupon lock outlasts (shared/coupon-rules.ts).
        timeExpire: chinaStamp(new Date(now.getTime() + ORDER_PAYABLE_MS)),
      })
    } catch (e) {
      // No payment can follow an order WeChat Pay never saw.
      await dropOrder()
      console.error('[createOrder] unifiedOrder failed', e)
      throw new AppError('INTERNAL', '下单失败：支付服务暂时不可用，请稍后重试')
    }
    if (!placed.ok) {
      await dropOrder()
      throw new AppError('INTERNAL', `下单失败：${placed.reason}`)
    }
    const p = placed.value
    return {
      outTradeNo,
      amountFen: order.amountFen,
      // With a coupon: the amount before it, its discount and the coupon (amountFen is what is paid).
      ...(priced ? { originalAmountFen: priced.originalAmountFen, discountFen: priced.discountFen, couponId: priced.couponId, couponIds: priced.couponIds, couponLines: priced.lines } : {}),
      payment: { timeStamp: p.timeStamp, nonceStr: p.nonceStr, package: p.package, signType: p.signType || 'MD5', paySign: p.paySign },
    }
  },
)

export const orderStatus = defineAction(z.object({ outTradeNo: z.string().min(1).max(32) }).strict(), async (input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const read = await getDoc<OrderDoc>(ctx.db, COLLECTIONS.orders, input.outTradeNo)
  // Another user's order is reported as missing: no way to probe others' orders.
  if (!read || read.openid !== openid) throw new AppError('NOT_FOUND', '订单不存在')
  // The callback is late: ask WeChat Pay now (services/reconcile.ts) rather than wait for the timer.
  const order = await reconcileOnRead(ctx, read)
  let tierName = ''
  if (order.status === 'paid' || order.status === 'refunded') {
    const [settings, member] = await Promise.all([loadSettings(ctx.db), getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, order.memberId)])
    tierName = settings.tiers.find((t) => t.level === member?.tierLevel)?.name ?? ''
  }
  return { status: order.status, amountFen: order.amountFen, pointsEarned: order.pointsEarned, tierName, joined: order.joined }
})

/**
 * WeChat Pay's result callback. Trusted only because the wrapper routes here solely for SOURCE
 * wx_paycallback; it must also match the order's amount and payer. errcode 0 = handled (also for
 * a replay); non-zero asks WeChat to deliver again, which is right only for transient failures.
 * The refund-result notification arrives the same way and is told apart by its reqInfo.
 */
export async function onPayCallback(event: Record<string, unknown>, ctx: ActionContext): Promise<{ errcode: number; errmsg: string }> {
  if (isRefundNotification(event)) return onRefundNotification(event, ctx)
  if (event.returnCode !== 'SUCCESS' || event.resultCode !== 'SUCCESS') return { errcode: 0, errmsg: 'ignored: payment not successful' }
  const outTradeNo = typeof event.outTradeNo === 'string' ? event.outTradeNo : ''
  const totalFee = Number(event.totalFee)
  const payer = ctx.caller.openid || (typeof event.subOpenid === 'string' ? event.subOpenid : '')
  // Rejections are answered errcode 0: the callback was received and judged, and no redelivery
  // could make a wrong amount right. They are logged for the merchant to look into.
  if (!outTradeNo || !Number.isSafeInteger(totalFee)) {
    console.error('[pay-callback] rejected a malformed callback', JSON.stringify(event).slice(0, 300))
    return { errcode: 0, errmsg: 'rejected: malformed callback' }
  }
  const order = await getDoc<OrderDoc>(ctx.db, COLLECTIONS.orders, outTradeNo)
  if (!order) {
    console.error(`[pay-callback] rejected ${outTradeNo}: unknown order`)
    return { errcode: 0, errmsg: 'rejected: unknown order' }
  }
  if (order.amountFen !== totalFee || order.openid !== payer) {
    console.error(`[pay-callback] rejected ${outTradeNo}: amount ${totalFee} vs ${order.amountFen}, payer ${payer} vs ${order.openid}`)
    return { errcode: 0, errmsg: 'rejected: amount or payer mismatch' }
  }
  if (order.status === 'closed') {
    // Unreachable at WeChat (a closed order cannot be paid); loud if it ever happens.
    console.error(`[pay-callback] payment for closed order ${outTradeNo} (${order.closeReason}); refund it in the merchant platform`)
    return { errcode: 0, errmsg: 'rejected: order closed' }
  }
  if (order.status !== 'created') return { errcode: 0, errmsg: 'OK (already processed)' }
  const settings = await loadSettings(ctx.db)
  const outcome = await captureOrder(
    ctx.db,
    settings,
    {
      outTradeNo,
      openid: order.openid,
      amountFen: totalFee,
      storeId: order.storeId,
      channel: 'wxpay',
      touchpoint: order.touchpoint,
      transactionId: typeof event.transactionId === 'string' ? event.transactionId : null,
      referralRisk: await referralRiskOf(ctx, settings, order.openid),
    },
    ctx.now(),
  )
  // Captured by a concurrent delivery or the reconciliation job meanwhile: said so.
  return { errcode: 0, errmsg: outcome.alreadyProcessed ? 'OK (already processed)' : 'OK' }
}
