import { randomBytes } from 'node:crypto'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError, type ErrorCode } from '../shared/errors'
import { getDoc, runTransaction, txGet } from './db-util'
import { memberIdOf, type LedgerDoc, type MemberDoc } from './documents'
import type { ShopExchangeDoc, ShopHoldingDoc, ShopItemDoc } from './reward-docs'
import type { RewardCouponGrant } from './reward-grant'
import { txTime } from './tx-clock'

/**
 * 积分兑换 (issue 13): one transaction takes the points (with its ledger line), one unit of the
 * item's stock, one of the member's per-item allowance, and issues the coupon. Anything refused
 * or failing on the way — the coupon's own stock exhausted, the function killed — throws, and
 * the transaction leaves nothing behind: either all of it happens or none. The member's balance
 * is read and written inside the transaction (its write lock serialises concurrent exchanges),
 * so it is never taken twice and never goes below zero. The exchange document
 * `<openid>:<requestId>` makes a retried request answer the same exchange.
 */

export const EXCHANGE_TITLE = '积分兑换'

export const exchangeId = (openid: string, requestId: string): string => `${openid}:${requestId}`
export const holdingId = (itemId: string, openid: string): string => `${itemId}:${openid}`

export interface ExchangeOutcome {
  itemId: string
  couponId: string
  title: string
  pricePoints: number
  pointsAfter: number
  /** A retried request answered with the exchange it already made. */
  replayed: boolean
}

const GRANT_REFUSALS: Record<string, ErrorCode> = {
  SOLD_OUT: 'SOLD_OUT',
  TEMPLATE_NOT_ACTIVE: 'ITEM_UNAVAILABLE',
  NOT_FOUND: 'ITEM_UNAVAILABLE',
  LIMIT_REACHED: 'LIMIT_REACHED',
}

export async function exchangeItem(db: Database, req: { openid: string; itemId: string; requestId: string }, requested: Date, grantCoupon: RewardCouponGrant): Promise<ExchangeOutcome> {
  const id = exchangeId(req.openid, req.requestId)
  const memberId = memberIdOf(req.openid)
  const replay = async (): Promise<ExchangeOutcome | null> => {
    const done = await getDoc<ShopExchangeDoc>(db, COLLECTIONS.shopExchanges, id)
    if (!done) return null
    if (done.itemId !== req.itemId) throw new AppError('CONFLICT', '请求编号已用于另一次兑换')
    const member = await getDoc<MemberDoc>(db, COLLECTIONS.members, memberId)
    const item = await getDoc<ShopItemDoc>(db, COLLECTIONS.shopItems, done.itemId)
    return { itemId: done.itemId, couponId: done.couponId, title: item?.title ?? '', pricePoints: done.pricePoints, pointsAfter: member?.points ?? 0, replayed: true }
  }
  const earlier = await replay()
  if (earlier) return earlier
  try {
    return await runTransaction(db, async (t) => {
      if (await txGet<ShopExchangeDoc>(t, COLLECTIONS.shopExchanges, id)) throw new AppError('CONFLICT', 'replayed')
      const item = await txGet<ShopItemDoc>(t, COLLECTIONS.shopItems, req.itemId)
      if (!item || !item.active) throw new AppError('ITEM_UNAVAILABLE')
      if (item.remaining <= 0) throw new AppError('SOLD_OUT', '该商品已兑完')
      const holding = await txGet<ShopHoldingDoc>(t, COLLECTIONS.shopHoldings, holdingId(item._id, req.openid))
      if ((holding?.count ?? 0) >= item.perMemberLimit) throw new AppError('LIMIT_REACHED', `每人限兑 ${item.perMemberLimit} 次`)
      const member = await txGet<MemberDoc>(t, COLLECTIONS.members, memberId)
      if (!member) throw new AppError('NOT_MEMBER')
      if (member.points < item.pricePoints) throw new AppError('POINTS_SHORT', `积分不足，还差 ${item.pricePoints - member.points} 积分`)
      const now = txTime(requested, member, item)
      const granted = await grantCoupon(t, { templateId: item.templateId, openid: req.openid, cause: `exchange:${id}`, source: 'exchange', now })
      if (!('couponId' in granted)) {
        const code = GRANT_REFUSALS[granted.refusal] ?? 'ITEM_UNAVAILABLE'
        throw new AppError(code, code === 'SOLD_OUT' ? '该优惠券已发完，暂不能兑换' : undefined)
      }
      const pointsAfter = member.points - item.pricePoints
      // The ledger id carries no openid (a deleted membership's ledger stays, pseudonymised).
      const line: LedgerDoc = { _id: `exchange:${randomBytes(8).toString('hex')}`, memberId, delta: -item.pricePoints, debtDelta: 0, balanceAfter: pointsAfter, kind: 'exchange', title: `${EXCHANGE_TITLE}·${item.title}`, createdAt: now }
      await t.collection(COLLECTIONS.pointsLedger).add({ data: line })
      await t.collection(COLLECTIONS.members).doc(memberId).update({ data: { points: pointsAfter, updatedAt: now } })
      await t.collection(COLLECTIONS.shopItems).doc(item._id).update({ data: { remaining: item.remaining - 1, updatedAt: now } })
      const nextHolding = { itemId: item._id, openid: req.openid, count: (holding?.count ?? 0) + 1, updatedAt: now }
      await t.collection(COLLECTIONS.shopHoldings).doc(holdingId(item._id, req.openid)).set({ data: nextHolding })
      const record: ShopExchangeDoc = { _id: id, openid: req.openid, itemId: item._id, templateId: item.templateId, pricePoints: item.pricePoints, couponId: granted.couponId, ledgerId: line._id, createdAt: now }
      await t.collection(COLLECTIONS.shopExchanges).add({ data: record })
      return { itemId: item._id, couponId: granted.couponId, title: item.title, pricePoints: item.pricePoints, pointsAfter, replayed: false }
    })
  } catch (e) {
    // The same request that won a race (or committed before a lost answer) is the answer.
    const won = await replay()
    if (won) return won
    throw e
  }
}
