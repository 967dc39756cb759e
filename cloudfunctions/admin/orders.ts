import { z } from 'zod'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { getDoc } from '../services/db-util'
import type { OrderDoc } from '../services/documents'
import { claimReversal, failRefund, markRefundRequested, reverseOrder } from '../services/refund'
import { loadSettings } from '../services/settings'
import { wechatPay } from '../services/wechat-pay'
import { defineStaffAction } from './staff-context'
import { auditLine } from '../services/audit'
import { formatYuan } from '../../miniprogram/shared/money'

/**
 * Full refund of a paid order in the caller's store scope. A WeChat Pay order is first marked
 * "refund requested" (so a crash after WeChat accepted it is found by the reconciliation job),
 * then refunded through cloudPay (out_refund_no is fixed per order, so asking again is
 * idempotent at WeChat), then its points are reversed once, in a transaction. WeChat's refund
 * callback may complete the reversal first; the answer is the same either way.
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
    if (order.status === 'created' || order.status === 'closed') throw new AppError('CONFLICT', '订单未支付，无法退款')
    if (order.status === 'refunded') return { status: 'refunded' as const, pointsReversed: 0, pointsDebt: 0, alreadyRefunded: true, ...(order.couponReturn ? { couponReturn: order.couponReturn } : {}) }

    let record: Parameters<typeof reverseOrder>[4]
    let attempt = 0
    if (order.channel === 'wxpay') {
      const pay = wechatPay(ctx.cloud)
      const requested = await markRefundRequested(ctx.db, order.outTradeNo, order.amountFen, ctx.now())
      if (requested === 'refunded') return { status: 'refunded' as const, pointsReversed: 0, pointsDebt: 0, alreadyRefunded: true }
      attempt = requested.attempt
      let refunded: Awaited<ReturnType<typeof pay.refund>>
      try {
        refunded = await pay.refund({
          outTradeNo: order.outTradeNo,
          outRefundNo: requested.outRefundNo,
          totalFee: order.amountFen,
          refundFee: order.amountFen,
          callbackFunction: 'member',
        })
      } catch (e) {
        // Unknown whether WeChat got it: the request stays pending for the job (queryRefund) or a retry.
        console.error('[refund] cloudPay.refund failed', e)
        throw new AppError('INTERNAL', '微信退款暂时无法发起，请稍后重试')
      }
      if (!refunded.ok) {
        // Refused: no refund happened; shown on the order, and a new request may follow.
        await failRefund(ctx.db, await loadSettings(ctx.db), order.outTradeNo, requested.outRefundNo, `微信退款失败：${refunded.reason}`, ctx.now())
        throw new AppError('CONFLICT', `微信退款失败：${refunded.reason}`)
      }
      record = { outRefundNo: requested.outRefundNo, source: 'app', refundId: refunded.value.refundId, refundFee: order.amountFen, byStaff: true }
    }
    const settings = await loadSettings(ctx.db)
    const line = auditLine(ctx, 'orders.refund', { storeId: order.storeId, target: `order:${order.outTradeNo}`, summary: `退款 ${formatYuan(order.amountFen)}（订单 ${order.outTradeNo}）` })
    // A concurrent refund of the same order is a transaction conflict, retried into "already refunded".
    const outcome = await reverseOrder(ctx.db, settings, order.outTradeNo, ctx.now(), record, line)
    // WeChat's refund callback may have reversed this very request a moment earlier: one tap answers with its figures.
    const figures = record && outcome.alreadyProcessed ? await claimReversal(ctx.db, order.outTradeNo, record.outRefundNo, attempt) : null
    const shown = figures ?? outcome
    // When WeChat's refund callback did the reversal, the coupon's fate is on the order it wrote.
    const couponReturn = outcome.couponReturn ?? (figures ? (await getDoc<OrderDoc>(ctx.db, COLLECTIONS.orders, order.outTradeNo))?.couponReturn : undefined)
    return {
      status: shown.status,
      pointsReversed: shown.pointsReversed,
      pointsDebt: shown.pointsDebt,
      alreadyRefunded: shown.alreadyProcessed,
      // Coupons: the coupon the order used went back to the member ('returned') or had expired ('expired').
      ...(couponReturn ? { couponReturn } : {}),
    }
  },
})
