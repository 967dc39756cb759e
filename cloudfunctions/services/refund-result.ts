import type { ActionContext } from '../shared/handler'
import { COLLECTIONS } from '../shared/collections'
import { getDoc } from './db-util'
import type { OrderDoc } from './documents'
import { appRefundNo, failRefund, reverseOrder } from './refund'
import { refundFailureText } from './reconcile'
import { loadSettings } from './settings'

export type CallbackReply = { errcode: number; errmsg: string }

/**
 * WeChat Pay's refund-result notification, as the cloud delivers it to the function named in
 * cloudPay.refund (SOURCE wx_paycallback, like the payment callback): WeChat's fields with the
 * decrypted req_info in camelCase (`reqInfo: { outTradeNo, outRefundNo, refundId, totalFee,
 * refundFee, refundStatus: SUCCESS | CHANGE | REFUNDCLOSE, refundRequestSource: API |
 * VENDOR_PLATFORM, … }`). A notification is recognised by its reqInfo; a payment's has none.
 */
export function isRefundNotification(event: Record<string, unknown>): boolean {
  return typeof event.reqInfo === 'object' && event.reqInfo !== null && !Array.isArray(event.reqInfo)
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '')

/**
 * Handles one refund notification. SUCCESS reverses the order's points once — the same reversal
 * (and ledger cause) as the staff's refund in the app, so a refund the app started and a refund
 * started in WeChat Pay's merchant platform both reverse once, whichever of the action, this
 * callback or the reconciliation job gets there first. CHANGE / REFUNDCLOSE (the refund failed)
 * restores what the reversal took and records the failure on the order. Each reply says what
 * happened; a replay is answered "already processed". errcode 1 only when a redelivery can help.
 */
export async function onRefundNotification(event: Record<string, unknown>, ctx: ActionContext): Promise<CallbackReply> {
  if (event.returnCode !== 'SUCCESS') return { errcode: 0, errmsg: 'ignored: notification not successful' }
  const info = event.reqInfo as Record<string, unknown>
  const outTradeNo = text(info.outTradeNo)
  const outRefundNo = text(info.outRefundNo)
  const status = text(info.refundStatus)
  const totalFee = Number(info.totalFee)
  const refundFee = Number(info.refundFee)
  if (!outTradeNo || !outRefundNo || !status || !Number.isSafeInteger(totalFee) || !Number.isSafeInteger(refundFee)) {
    console.error('[refund-callback] rejected a malformed notification', JSON.stringify(event).slice(0, 300))
    return { errcode: 0, errmsg: 'rejected: malformed refund notification' }
  }
  const order = await getDoc<OrderDoc>(ctx.db, COLLECTIONS.orders, outTradeNo)
  if (!order || order.channel !== 'wxpay') {
    console.error(`[refund-callback] rejected ${outRefundNo}: unknown order ${outTradeNo}`)
    return { errcode: 0, errmsg: 'rejected: unknown order' }
  }
  if (order.amountFen !== totalFee) {
    console.error(`[refund-callback] rejected ${outRefundNo}: total ${totalFee} vs order ${order.amountFen}`)
    return { errcode: 0, errmsg: 'rejected: amount mismatch' }
  }
  // Not captured yet (its payment callback is late too): delivered again, by then the payment
  // callback or the reconciliation job has captured it.
  if (order.status === 'created') return { errcode: 1, errmsg: 'order not captured yet; deliver again' }
  if (order.status === 'closed') {
    console.error(`[refund-callback] ${outRefundNo} for closed order ${outTradeNo}`)
    return { errcode: 0, errmsg: 'rejected: order closed' }
  }
  const settings = await loadSettings(ctx.db)
  const source = outRefundNo === appRefundNo(outTradeNo) ? 'app' : 'merchant_platform'

  if (status === 'SUCCESS') {
    if (order.refund?.outRefundNo === outRefundNo && order.refund.state === 'failed') {
      // WeChat does not report success after failure without a new request (which sets 'requested').
      return { errcode: 0, errmsg: 'ignored: this refund was already reported failed' }
    }
    if (order.status === 'refunded') return { errcode: 0, errmsg: 'OK (already processed)' }
    if (refundFee !== order.amountFen) {
      // The product refunds whole orders; a partial refund from the merchant platform is left to the merchant.
      console.error(`[refund-callback] partial refund ${outRefundNo}: ${refundFee} of ${order.amountFen} fen; points unchanged`)
      return { errcode: 0, errmsg: 'ignored: partial refund, points unchanged' }
    }
    const outcome = await reverseOrder(ctx.db, settings, outTradeNo, ctx.now(), { outRefundNo, source, refundId: text(info.refundId), refundFee })
    return { errcode: 0, errmsg: outcome.alreadyProcessed ? 'OK (already processed)' : 'OK: points reversed' }
  }
  if (status === 'CHANGE' || status === 'REFUNDCLOSE') {
    const outcome = await failRefund(ctx.db, settings, outTradeNo, outRefundNo, refundFailureText(status), ctx.now(), { source, refundId: text(info.refundId), refundFee })
    if (outcome === 'restored') return { errcode: 0, errmsg: 'OK: refund failed, points restored' }
    if (outcome === 'marked') return { errcode: 0, errmsg: 'OK: refund failure recorded' }
    return { errcode: 0, errmsg: 'OK (already processed)' }
  }
  return { errcode: 0, errmsg: `ignored: refund status ${status}` }
}
