import type { ActionContext } from '../shared/handler'
import { COLLECTIONS } from '../shared/collections'
import type { MerchantSettings } from '../domain/merchant-settings'
import { captureOrder } from './capture'
import { getDoc, list } from './db-util'
import type { OrderDoc } from './documents'
import { closeUnpaidOrder } from './order-close'
import { clearRefundRequest, failRefund, reverseOrder } from './refund'
import { loadSettings } from './settings'
import { wechatPay, type WechatPay } from './wechat-pay'
import { ORDER_PAYABLE_MS } from '../../miniprogram/shared/coupon-rules'

/**
 * Reconciliation with WeChat Pay (what WeChat documents and a callback alone does not give):
 * an order still `created` is asked about (cloudPay.queryOrder) — paid: captured exactly as the
 * callback would; unpaid 30 minutes after it was placed: closed at WeChat (closeOrder) and
 * here; unknown to WeChat (the function died between writing the order and unifiedOrder):
 * closed. A refund the app asked for whose reversal never ran is looked up (queryRefund, by its
 * fixed out_refund_no) and completed, failed, or dropped. Run by the member function's timer and
 * lazily when the consumer reads the order (member.orderStatus).
 */

/** The job asks about orders older than this (WeChat: closeOrder no sooner than 5 minutes after the order). */
export const JOB_QUERY_AFTER_MS = 5 * 60_000
/** A consumer's read asks once the callback is this late (it usually lands within a second or two). */
export const LAZY_QUERY_AFTER_MS = 5_000
/** Unpaid this long after it was placed, an order is closed (the window its coupon lock outlasts, shared/coupon-rules.ts). */
export const CLOSE_AFTER_MS = ORDER_PAYABLE_MS
/** A refund request older than this whose reversal has not run is looked up (orders.refund times out after 20 s). */
export const REFUND_CHECK_AFTER_MS = 60_000
/** Orders one pass looks at, per kind; the timer's next run takes the rest. */
export const PASS_LIMIT = 50
/** A pass stops starting new look-ups after this long (the function's timeout is 20 s). */
export const PASS_BUDGET_MS = 12_000

export type PaymentResult = 'captured' | 'already' | 'closed' | 'pending' | 'mismatch' | 'failed'
export type RefundResult = 'completed' | 'failed' | 'dropped' | 'pending' | 'error'

export interface PassReport {
  queried: number
  captured: number
  closed: number
  pending: number
  refundsChecked: number
  refundsCompleted: number
  refundsFailed: number
  refundsDropped: number
  errors: number
}

const time = (d: Date | string): number => new Date(d).getTime()

/** One look at one order's payment. `mayClose` false: a second look after closeOrder answered ORDERPAID. */
export async function reconcilePayment(ctx: ActionContext, pay: WechatPay, settings: () => Promise<MerchantSettings>, order: OrderDoc, now: Date, mayClose = true): Promise<PaymentResult> {
  const age = now.getTime() - time(order.createdAt)
  const q = await pay.queryOrder(order.outTradeNo)
  switch (q.state) {
    case 'paid':
    case 'refunded': {
      // A refunded trade was paid first: captured here, the refund callback (or the job) reverses it.
      if (q.totalFee !== order.amountFen || (q.payer !== '' && q.payer !== order.openid)) {
        console.error(`[reconcile] ${order.outTradeNo}: WeChat reports ${q.totalFee} fen from ${q.payer}, the order is ${order.amountFen} fen from ${order.openid}; not captured`)
        return 'mismatch'
      }
      const outcome = await captureOrder(
        ctx.db,
        await settings(),
        { outTradeNo: order.outTradeNo, openid: order.openid, amountFen: order.amountFen, storeId: order.storeId, channel: 'wxpay', touchpoint: order.touchpoint, transactionId: q.transactionId },
        now,
      )
      return outcome.alreadyProcessed ? 'already' : 'captured'
    }
    case 'unpaid':
      if (age < CLOSE_AFTER_MS || !mayClose) return 'pending'
      return closeAtWechat(ctx, pay, settings, order, now)
    case 'closed':
      return (await closeUnpaidOrder(ctx.db, order.outTradeNo, 'closed_at_wechat', now)) ? 'closed' : 'already'
    case 'unknown':
      // Too young: createOrder may be between writing the order and unifiedOrder right now.
      if (age < JOB_QUERY_AFTER_MS || !mayClose) return 'pending'
      return closeAtWechat(ctx, pay, settings, order, now)
    case 'failed':
      console.error(`[reconcile] queryOrder ${order.outTradeNo} failed: ${q.reason}`)
      return 'failed'
  }
}

/** closeOrder first (so no payment can follow), then the order here, from created only. */
async function closeAtWechat(ctx: ActionContext, pay: WechatPay, settings: () => Promise<MerchantSettings>, order: OrderDoc, now: Date): Promise<PaymentResult> {
  const c = await pay.closeOrder(order.outTradeNo)
  if (c.state === 'paid') {
    // Paid in the meantime: capture it (the query now says paid).
    return reconcilePayment(ctx, pay, settings, order, now, false)
  }
  if (c.state === 'failed') {
    console.error(`[reconcile] closeOrder ${order.outTradeNo} failed: ${c.reason}`)
    return 'failed'
  }
  const reason = c.state === 'unknown' ? 'unknown_at_wechat' : 'unpaid'
  return (await closeUnpaidOrder(ctx.db, order.outTradeNo, reason, now)) ? 'closed' : 'already'
}

/** One look at a refund the app asked for and did not finish. */
export async function reconcileRefund(ctx: ActionContext, pay: WechatPay, settings: () => Promise<MerchantSettings>, order: OrderDoc, now: Date): Promise<RefundResult> {
  const r = order.refund
  if (!r || r.state !== 'requested' || order.status !== 'paid') return 'pending'
  const q = await pay.queryRefund(r.outRefundNo)
  switch (q.state) {
    case 'succeeded':
    case 'processing':
      // Accepted by WeChat: the points go back now (as orders.refund does); a later failure restores them.
      await reverseOrder(ctx.db, await settings(), order.outTradeNo, now, { outRefundNo: r.outRefundNo, source: r.source, refundId: q.refundId, refundFee: q.refundFee })
      return 'completed'
    case 'failed':
      await failRefund(ctx.db, await settings(), order.outTradeNo, r.outRefundNo, refundFailureText(q.status), now)
      return 'failed'
    case 'unknown':
      return (await clearRefundRequest(ctx.db, order.outTradeNo, r.outRefundNo, now)) ? 'dropped' : 'pending'
    case 'error':
      console.error(`[reconcile] queryRefund ${r.outRefundNo} failed: ${q.reason}`)
      return 'error'
  }
}

/** What a person reads on the order for WeChat's refund status. */
export function refundFailureText(status: string): string {
  if (status === 'CHANGE') return '微信退款异常（如用户银行卡已注销或冻结），请在微信支付商户平台处理'
  if (status === 'REFUNDCLOSE') return '微信退款已关闭，可重新发起退款'
  return `微信退款未成功（${status || '未知状态'}）`
}

/** Settings loaded once per pass, only if something needs them. */
function lazySettings(ctx: ActionContext): () => Promise<MerchantSettings> {
  let loaded: Promise<MerchantSettings> | null = null
  return () => (loaded ??= loadSettings(ctx.db))
}

/**
 * The consumer's read (member.orderStatus): a late callback's order is asked about, a stuck
 * refund completed. Answers the order as it is afterwards. A failure here never fails the read.
 */
export async function reconcileOnRead(ctx: ActionContext, order: OrderDoc): Promise<OrderDoc> {
  const now = ctx.now()
  const wxpay = order.channel === 'wxpay'
  const latePayment = wxpay && order.status === 'created' && now.getTime() - time(order.createdAt) >= LAZY_QUERY_AFTER_MS
  const stuckRefund = wxpay && order.status === 'paid' && order.refund?.state === 'requested' && now.getTime() - time(order.refund.requestedAt) >= REFUND_CHECK_AFTER_MS
  if (!latePayment && !stuckRefund) return order
  try {
    const pay = wechatPay(ctx.cloud)
    const settings = lazySettings(ctx)
    if (latePayment) await reconcilePayment(ctx, pay, settings, order, now)
    else await reconcileRefund(ctx, pay, settings, order, now)
  } catch (e) {
    console.error(`[reconcile] on read of ${order.outTradeNo}`, e)
    return order
  }
  return (await getDoc<OrderDoc>(ctx.db, COLLECTIONS.orders, order.outTradeNo)) ?? order
}

/** One pass of the timer: the oldest late orders first, then stuck refunds, within the time budget. */
export async function reconcilePass(ctx: ActionContext): Promise<PassReport> {
  const now = ctx.now()
  const started = Date.now()
  const _ = ctx.db.command
  const report: PassReport = { queried: 0, captured: 0, closed: 0, pending: 0, refundsChecked: 0, refundsCompleted: 0, refundsFailed: 0, refundsDropped: 0, errors: 0 }
  const late = await list<OrderDoc>(
    ctx.db
      .collection(COLLECTIONS.orders)
      .where({ status: 'created', channel: 'wxpay', createdAt: _.lte(new Date(now.getTime() - JOB_QUERY_AFTER_MS)) })
      .orderBy('createdAt', 'asc')
      .limit(PASS_LIMIT),
  )
  const stuck = await list<OrderDoc>(
    ctx.db
      .collection(COLLECTIONS.orders)
      .where({ status: 'paid', 'refund.state': 'requested', 'refund.requestedAt': _.lte(new Date(now.getTime() - REFUND_CHECK_AFTER_MS)) })
      .limit(PASS_LIMIT),
  )
  if (late.length === 0 && stuck.length === 0) return report
  const pay = wechatPay(ctx.cloud)
  const settings = lazySettings(ctx)
  for (const order of late) {
    if (Date.now() - started > PASS_BUDGET_MS) break
    report.queried += 1
    try {
      const result = await reconcilePayment(ctx, pay, settings, order, now)
      if (result === 'captured') report.captured += 1
      else if (result === 'closed') report.closed += 1
      else if (result === 'pending') report.pending += 1
      else if (result === 'mismatch' || result === 'failed') report.errors += 1
    } catch (e) {
      report.errors += 1
      console.error(`[reconcile] ${order.outTradeNo}`, e)
    }
  }
  for (const order of stuck) {
    if (Date.now() - started > PASS_BUDGET_MS) break
    report.refundsChecked += 1
    try {
      const result = await reconcileRefund(ctx, pay, settings, order, now)
      if (result === 'completed') report.refundsCompleted += 1
      else if (result === 'failed') report.refundsFailed += 1
      else if (result === 'dropped') report.refundsDropped += 1
      else if (result === 'error') report.errors += 1
    } catch (e) {
      report.errors += 1
      console.error(`[reconcile] refund of ${order.outTradeNo}`, e)
    }
  }
  console.log(`[reconcile] pass ${JSON.stringify(report)}`)
  return report
}
