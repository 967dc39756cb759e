import { z } from 'zod'
import { defineAction } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { chinaParts, giftLabel, storeIdFromScene } from '../../miniprogram/shared/reward-rules'
import { getDoc } from '../services/db-util'
import { memberIdOf, type MemberDoc, type StoreDoc } from '../services/documents'
import type { CouponTemplateDoc } from '../services/coupon-docs'
import type { CheckinDoc } from '../services/reward-docs'
import { loadCheckin } from '../services/reward-settings'
import { checkIn, checkinId } from '../services/checkin'

/** Rewards (issue 13) for the member: store check-in. */

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
  const outcome = await checkIn(ctx.db, { openid, storeId: storeOfScene(input.scene), location: input.location ?? null }, ctx.now(), null)
  return outcome
})
