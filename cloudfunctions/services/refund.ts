import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import type { MerchantSettings } from '../domain/merchant-settings'
import { growthForSpend, reversePoints, tierForGrowth } from '../domain/loyalty'
import { runTransaction, txGet } from './db-util'
import type { LedgerDoc, MemberDoc, OrderDoc } from './documents'

export const REFUND_TITLE = '退款扣回'

export interface RefundOutcome {
  status: 'refunded'
  pointsReversed: number
  pointsDebt: number
  alreadyProcessed: boolean
}

/**
 * Reverses a paid order once: the points it earned come back out of the balance, never below
 * zero — what the balance cannot cover is recorded as debt on the member and in the ledger line.
 */
export async function reverseOrder(db: Database, settings: MerchantSettings, outTradeNo: string, now: Date): Promise<RefundOutcome> {
  return runTransaction(db, async (t) => {
    const order = await txGet<OrderDoc>(t, COLLECTIONS.orders, outTradeNo)
    if (!order) throw new AppError('NOT_FOUND', '订单不存在')
    if (order.status === 'refunded') return { status: 'refunded', pointsReversed: 0, pointsDebt: 0, alreadyProcessed: true }
    if (order.status !== 'paid') throw new AppError('CONFLICT', '订单未支付，无法退款')
    const member = await txGet<MemberDoc>(t, COLLECTIONS.members, order.memberId)
    if (!member) throw new AppError('NOT_FOUND', '会员不存在')
    const { debit, debt } = reversePoints(member.points, order.pointsEarned)
    const growth = Math.max(0, member.growth - growthForSpend(order.amountFen))
    await t.collection(COLLECTIONS.members).doc(member._id).update({
      data: {
        points: member.points - debit,
        pointsDebt: member.pointsDebt + debt,
        growth,
        tierLevel: tierForGrowth(settings.tiers, growth).level,
        totalSpentFen: Math.max(0, member.totalSpentFen - order.amountFen),
        updatedAt: now,
      },
    })
    const line: LedgerDoc = {
      _id: `refund:${outTradeNo}`,
      memberId: member._id,
      delta: -debit,
      debtDelta: debt,
      balanceAfter: member.points - debit,
      kind: 'refund',
      title: REFUND_TITLE,
      createdAt: now,
    }
    await t.collection(COLLECTIONS.pointsLedger).add({ data: line })
    await t.collection(COLLECTIONS.orders).doc(order._id).update({ data: { status: 'refunded', refundedAt: now } })
    return { status: 'refunded', pointsReversed: debit, pointsDebt: debt, alreadyProcessed: false }
  })
}
