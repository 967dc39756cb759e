import { z } from 'zod'
import { defineAction } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { chinaParts, giftLabel, storeIdFromScene } from '../../miniprogram/shared/reward-rules'
import { getDoc, list } from '../services/db-util'
import { memberIdOf, type MemberDoc, type StoreDoc } from '../services/documents'
import type { CouponTemplateDoc } from '../services/coupon-docs'
import type { CheckinDoc, RewardGrantDoc, ShopHoldingDoc, ShopItemDoc } from '../services/reward-docs'
import { loadCheckin } from '../services/reward-settings'
import { checkIn, checkinId } from '../services/checkin'
import { exchangeItem } from '../services/points-shop'
import { grantBirthdayGift } from '../services/birthday'
import { grantRewardCoupon } from '../services/reward-grant'
import { bumpCounters } from '../services/day-counters'
import { remindCheckin } from '../services/reward-reminders'
import { MAX_SHOP_ITEMS } from '../../miniprogram/shared/reward-rules'

/** Rewards (issue 13) for the member: store check-in, 积分商城, what a payment earned, the birthday gift. */

const sceneSchema = z.string().trim().min(1).max(64)
const location = z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).strict()

function storeOfScene(scene: string): string {
  const storeId = storeIdFromScene(scene)
  if (!storeId) throw new AppError('INVALID_INPUT', '签到码无效，请重新扫描门店的签到码')
  return storeId
}

/** What the check-in page shows before the tap: the store, the gift, whether today's is done. */
export const checkinInfo = defineAction(z.object({ scene: sceneSchema }).strict(), async (input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const storeId = storeOfScene(input.scene)
  const [store, config, member] = await Promise.all([getDoc<StoreDoc>(ctx.db, COLLECTIONS.stores, storeId), loadCheckin(ctx.db), getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, memberIdOf(openid))])
  if (!store) throw new AppError('NOT_FOUND', '门店不存在')
  const today = await getDoc<CheckinDoc>(ctx.db, COLLECTIONS.checkins, checkinId(storeId, openid, chinaParts(ctx.now()).ymd))
  const title = config.gift.kind === 'coupon' ? (await getDoc<CouponTemplateDoc>(ctx.db, COLLECTIONS.couponTemplates, config.gift.templateId))?.title : undefined
  return {
    storeId,
    storeName: store.name,
    enabled: config.enabled && store.status === 'open',
    giftLabel: giftLabel(config.gift, title),
    needsLocation: config.radiusM !== null,
    radiusM: config.radiusM,
    isMember: member !== null,
    checkedInToday: today !== null,
    today: today ? { points: today.points, couponId: today.couponId, couponTitle: today.couponTitle } : null,
  }
})

export const checkin = defineAction(z.object({ scene: sceneSchema, location: location.nullable().optional() }).strict(), async (input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  let made: CheckinDoc | null = null
  // The check-in counts in the store's day figures (day-counters) in its own transaction.
  const outcome = await checkIn(ctx.db, { openid, storeId: storeOfScene(input.scene), location: input.location ?? null }, ctx.now(), grantRewardCoupon, async (t, doc, now) => {
    made = doc
    await bumpCounters(t, [`store:${doc.storeId}`, 'all'], now, { checkins: 1 })
  })
  // The reward's reminder, for a member who consented to check-in messages (one credit, once per check-in).
  const doc: CheckinDoc | null = made
  const reminder = doc ? await remindCheckin(ctx, doc, outcome.storeName).catch((e: unknown) => (console.error('[checkin-reminder]', e), 'failed' as const)) : 'failed'
  return { ...outcome, reminder }
})

// 积分商城 (issue 13).
export const shopItems = defineAction(z.object({}).strict(), async (_input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const [items, member] = await Promise.all([
    list<ShopItemDoc>(ctx.db.collection(COLLECTIONS.shopItems).where({ active: true }).orderBy('pricePoints', 'asc').limit(MAX_SHOP_ITEMS)),
    getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, memberIdOf(openid)),
  ])
  const holdings = items.length
    ? await list<ShopHoldingDoc>(ctx.db.collection(COLLECTIONS.shopHoldings).where({ openid, itemId: ctx.db.command.in(items.map((i) => i._id)) }).limit(MAX_SHOP_ITEMS))
    : []
  const mine = new Map(holdings.map((h) => [h.itemId, h.count]))
  const points = member?.points ?? 0
  return {
    isMember: member !== null,
    points,
    items: items.map((i) => {
      const exchanged = mine.get(i._id) ?? 0
      const blocked = !member ? 'NOT_MEMBER' : i.remaining <= 0 ? 'SOLD_OUT' : exchanged >= i.perMemberLimit ? 'LIMIT_REACHED' : points < i.pricePoints ? 'POINTS_SHORT' : null
      return { id: i._id, title: i.title, pricePoints: i.pricePoints, remaining: i.remaining, perMemberLimit: i.perMemberLimit, exchangedByMe: exchanged, blocked }
    }),
  }
})

export const exchange = defineAction(
  z.object({ itemId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '商品编号格式不正确'), requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式不正确') }).strict(),
  async (input, ctx) => {
    const openid = requireOpenid(ctx.caller)
    return exchangeItem(ctx.db, { openid, itemId: input.itemId, requestId: input.requestId }, ctx.now(), grantRewardCoupon)
  },
)

// 消费有礼 on the pay result page.
export const GAME_PAGE = '/games/pages/play/index'

// An order number as WeChat Pay allows it (out_trade_no: 1–32 of [0-9A-Za-z_-]); anything else is refused, not looked up.
export const orderRewards = defineAction(z.object({ outTradeNo: z.string().regex(/^[0-9A-Za-z_-]{1,32}$/, '订单号格式不正确') }).strict(), async (input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const doc = await getDoc<RewardGrantDoc>(ctx.db, COLLECTIONS.rewardGrants, input.outTradeNo)
  // Another user's order answers nothing (no probing of others' orders).
  if (!doc || doc.openid !== openid) return { rewards: [] }
  return {
    rewards: doc.items
      .filter((i) => i.outcome === 'granted' && (i.reversal === undefined || i.reversal === 'used'))
      .map((i) => {
        if (i.kind === 'coupon') return { kind: i.kind, ruleName: i.ruleName, text: `优惠券「${i.couponTitle ?? ''}」`, path: `${COUPON_PAGES_DETAIL}?id=${encodeURIComponent(i.couponId ?? '')}` }
        if (i.kind === 'chances') return { kind: i.kind, ruleName: i.ruleName, text: `${i.count ?? 0} 次游戏机会`, path: `${GAME_PAGE}?gameId=${encodeURIComponent(i.gameId ?? '')}` }
        return { kind: i.kind, ruleName: i.ruleName, text: `${i.points ?? 0} 积分`, path: '/pages/points/index' }
      }),
  }
})

const COUPON_PAGES_DETAIL = '/coupons/pages/detail/index'

// 生日礼: granted lazily when the member opens the card in the birthday month.
export const birthdayGift = defineAction(z.object({}).strict(), async (_input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const now = ctx.now()
  const res = await grantBirthdayGift(ctx.db, openid, now, 'open', grantRewardCoupon)
  if (!res.grant) return { gift: null, blocked: res.blocked }
  const coupon = res.grant.couponId ? await getDoc<{ terms: { title: string } }>(ctx.db, COLLECTIONS.coupons, res.grant.couponId) : null
  return { gift: { year: res.grant.year, couponId: res.grant.couponId, title: coupon?.terms.title ?? '生日礼券', justGranted: res.created }, blocked: null }
})
