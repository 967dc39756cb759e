import { grantCouponInTx } from './coupon-grant'
import type { Transaction } from './db-util'

/**
 * How the rewards area issues one coupon inside its own transaction, once per cause. The
 * implementation is services/coupon-grant.ts (grantCouponInTx); the services here take it as a
 * parameter so their tests can also inject a failing one (fault injection).
 */
export type RewardSource = 'reward' | 'birthday' | 'checkin' | 'exchange'
export interface RewardCouponRequest {
  templateId: string
  openid: string
  cause: string
  source: RewardSource
  now: Date
}
/** couponId + title when issued; otherwise the refusal code (SOLD_OUT, TEMPLATE_NOT_ACTIVE, ALREADY …). */
export type RewardCouponGrant = (t: Transaction, req: RewardCouponRequest) => Promise<{ couponId: string; title: string } | { refusal: string }>

/** The real grant (services/coupon-grant.ts), shaped for the rewards services. */
export const grantRewardCoupon: RewardCouponGrant = async (t, req) => {
  const res = await grantCouponInTx(t, { templateId: req.templateId, openid: req.openid, cause: req.cause, source: req.source, now: req.now })
  return res.ok ? { couponId: res.coupon._id, title: res.coupon.terms.title } : { refusal: res.reason }
}
