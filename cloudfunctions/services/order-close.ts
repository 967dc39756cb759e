import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { runTransaction, txGet, type Transaction } from './db-util'
import type { OrderDoc } from './documents'
import { releaseOrderCoupon } from './coupons'
import { txTime } from './tx-clock'

export type CloseReason = NonNullable<OrderDoc['closeReason']>

/**
 * Closes an order that was never paid, inside transaction `t`: only from `created` (a paid,
 * refunded or already closed order is left as it is, answered false). The caller has made sure
 * WeChat Pay cannot take a payment for it any more (closeOrder answered, or WeChat never saw it).
 */
export async function closeOrderInTx(t: Transaction, outTradeNo: string, reason: CloseReason, requested: Date): Promise<boolean> {
  const order = await txGet<OrderDoc>(t, COLLECTIONS.orders, outTradeNo)
  if (!order || order.status !== 'created') return false
  const now = txTime(requested)
  // The coupon locked to this order is usable again, in the same transaction as the close.
  await releaseOrderCoupon(t, order, now)
  await t.collection(COLLECTIONS.orders).doc(order._id).update({ data: { status: 'closed', closedAt: now, closeReason: reason } })
  return true
}

/** closeOrderInTx in its own transaction. */
export function closeUnpaidOrder(db: Database, outTradeNo: string, reason: CloseReason, now: Date): Promise<boolean> {
  return runTransaction(db, (t) => closeOrderInTx(t, outTradeNo, reason, now))
}
