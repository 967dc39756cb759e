import { z } from 'zod'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { getDoc } from '../services/db-util'
import type { OrderDoc } from '../services/documents'
import { reverseOrder } from '../services/refund'
import { loadSettings } from '../services/settings'
import { wechatPay } from '../services/wechat-pay'
import { defineStaffAction } from './staff-context'

/**
 * Full refund of a paid order in the caller's store scope. WeChat Pay orders are refunded
 * through cloudPay first (out_refund_no is fixed per order, so a repeat is idempotent at
 * WeChat); then the order's points are reversed once, in a transaction.
 */
const refundSchema = z.object({ outTradeNo: z.string().trim().regex(/^[A-Za-z0-9_-]{1,32}$/, '订单号格式不正确') }).strict()

export const ordersRefund = defineStaffAction('orders.refund', refundSchema, {
  // The store is the order's: found first, so an unknown order is NOT_FOUND for anyone who may refund.
  target: async (input, ctx) => {
    const order = await getDoc<OrderDoc>(ctx.db, COLLECTIONS.orders, input.outTradeNo)
    if (!order) throw new AppError('NOT_FOUND', '订单不存在')
    return { storeId: order.storeId, order }
  },
  run: async (_input, ctx, { order }) => {
    if (order.status === 'created') throw new AppError('CONFLICT', '订单未支付，无法退款')
    if (order.status === 'refunded') return { status: 'refunded' as const, pointsReversed: 0, pointsDebt: 0, alreadyRefunded: true, ...(order.couponReturn ? { couponReturn: order.couponReturn } : {}) }

    if (order.channel === 'wxpay') {
      const pay = wechatPay(ctx.cloud)
      let refunded: Awaited<ReturnType<typeof pay.refund>>
      try {
        refunded = await pay.refund({
          outTradeNo: order.outTradeNo,
          outRefundNo: 'R' + order.outTradeNo,
          totalFee: order.amountFen,
          refundFee: order.amountFen,
          callbackFunction: 'member',
        })
      } catch (e) {
        console.error('[refund] cloudPay.refund failed', e)
        throw new AppError('INTERNAL', '微信退款暂时无法发起，请稍后重试')
      }
      if (!refunded.ok) throw new AppError('CONFLICT', `微信退款失败：${refunded.reason}`)
    }
    const settings = await loadSettings(ctx.db)
    // A concurrent refund of the same order is a transaction conflict, retried into "already refunded".
    const outcome = await reverseOrder(ctx.db, settings, order.outTradeNo, ctx.now())
    return {
      status: outcome.status,
      pointsReversed: outcome.pointsReversed,
      pointsDebt: outcome.pointsDebt,
      alreadyRefunded: outcome.alreadyProcessed,
      // Coupons: the coupon the order used went back to the member ('returned') or had expired ('expired').
      ...(outcome.couponReturn ? { couponReturn: outcome.couponReturn } : {}),
    }
  },
})
