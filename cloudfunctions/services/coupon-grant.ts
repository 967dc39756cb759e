import { COLLECTIONS } from '../shared/collections'
import { validityWindow } from '../../miniprogram/shared/coupon-rules'
import { txGet, withoutId, type Transaction } from './db-util'
import type { CouponClaimDoc, CouponDoc, CouponTemplateDoc } from './coupon-docs'
import { newCouponDoc } from './coupons'

/**
 * A coupon the product gives (a post-payment reward, the birthday coupon, a check-in, a points
 * exchange, a game prize, a campaign), as opposed to one a member claims in 领券中心. It happens
 * inside the caller's transaction, with the fact that earns it, so either both happen or neither.
 */
export type GrantSource = 'reward' | 'birthday' | 'checkin' | 'exchange' | 'game' | 'campaign'
export type GrantRefusal = 'ALREADY' | 'SOLD_OUT' | 'TEMPLATE_NOT_ACTIVE' | 'NOT_FOUND' | 'LIMIT_REACHED'

/** coupon_grants/<cause>: the grant, once per cause. */
export interface CouponGrantDoc {
  _id: string
  templateId: string
  openid: string
  couponId: string
  source: GrantSource
  /** The claim slot it took when it counted against the member's limit. */
  claimSlot: string | null
  createdAt: Date
  revokedAt: Date | null
}

/** A member's n-th claim slot of a template (the same ids 领券中心's claim takes, member/coupons.ts). */
export const totalClaimSlot = (templateId: string, openid: string, n: number): string => `${templateId}:${openid}:${n}`

export interface GrantRequest {
  templateId: string
  openid: string
  /** Unique per grant, e.g. `reward:<outTradeNo>:<ruleId>`, `birthday:<openid>:<year>`. */
  cause: string
  source: GrantSource
  now: Date
  /** Count against the template's per-member limit (a campaign does; a reward or prize does not). */
  respectMemberLimit?: boolean
}

export type GrantOutcome = { ok: true; coupon: CouponDoc } | { ok: false; reason: GrantRefusal }

/**
 * Issues one coupon of `templateId` to `openid` for `cause`, inside `t`. The stock is read and
 * written back inside the transaction: the transaction's write lock on the template makes two
 * grants of its last unit conflict (one commits, the other re-runs and finds it sold out), so
 * stock never goes below zero. The grant document keyed by the cause makes it exactly once.
 * The audience is not checked: the caller decided who gets it. A refusal writes nothing.
 */
export async function grantCouponInTx(t: Transaction, req: GrantRequest): Promise<GrantOutcome> {
  if (await txGet<CouponGrantDoc>(t, COLLECTIONS.couponGrants, req.cause)) return { ok: false, reason: 'ALREADY' }
  const tpl = await txGet<CouponTemplateDoc>(t, COLLECTIONS.couponTemplates, req.templateId)
  if (!tpl) return { ok: false, reason: 'NOT_FOUND' }
  if (tpl.status !== 'active') return { ok: false, reason: 'TEMPLATE_NOT_ACTIVE' }
  if (tpl.remaining <= 0) return { ok: false, reason: 'SOLD_OUT' }
  let claimSlot: string | null = null
  if (req.respectMemberLimit) {
    for (let n = 1; n <= tpl.perMemberLimit && !claimSlot; n += 1) {
      const id = totalClaimSlot(tpl._id, req.openid, n)
      if (!(await txGet<CouponClaimDoc>(t, COLLECTIONS.couponClaims, id))) claimSlot = id
    }
    if (!claimSlot) return { ok: false, reason: 'LIMIT_REACHED' }
  }
  const { validFrom, validUntil } = validityWindow(tpl.validity, req.now)
  const coupon = newCouponDoc({
    templateId: tpl._id,
    openid: req.openid,
    claimedBy: req.openid,
    terms: { title: tpl.title, rulesText: tpl.rulesText, value: tpl.value, usableStoreIds: tpl.usableStoreIds, forwardable: tpl.forwardable, stackable: tpl.stackable },
    validFrom,
    validUntil,
    fromGiftId: null,
    claimedAt: req.now,
    updatedAt: req.now,
  })
  await t.collection(COLLECTIONS.couponTemplates).doc(tpl._id).update({ data: { remaining: tpl.remaining - 1, claimedOnce: true, updatedAt: req.now } })
  if (claimSlot) {
    const slot: CouponClaimDoc = { _id: claimSlot, templateId: tpl._id, openid: req.openid, kind: 'total', couponId: coupon._id, createdAt: req.now }
    await t.collection(COLLECTIONS.couponClaims).doc(claimSlot).set({ data: withoutId(slot) })
  }
  const grant: CouponGrantDoc = { _id: req.cause, templateId: tpl._id, openid: req.openid, couponId: coupon._id, source: req.source, claimSlot, createdAt: req.now, revokedAt: null }
  await t.collection(COLLECTIONS.couponGrants).add({ data: grant })
  await t.collection(COLLECTIONS.coupons).add({ data: coupon })
  return { ok: true, coupon }
}

export type RevokeOutcome = 'revoked' | 'used' | 'none'

/**
 * Takes back the coupon granted for `cause` (the order that earned it was refunded): only while
 * the member still holds it unused ('available', or 'locked' by an order whose lock expired). A
 * coupon used, forwarded or locked to a live order stays with its holder, answered 'used' so the
 * caller records it. Its unit of stock goes back; so does the claim slot it took.
 */
export async function revokeGrantedCoupon(t: Transaction, cause: string, now: Date): Promise<RevokeOutcome> {
  const grant = await txGet<CouponGrantDoc>(t, COLLECTIONS.couponGrants, cause)
  if (!grant || grant.revokedAt) return 'none'
  const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, grant.couponId)
  if (!coupon) return 'none'
  const lockLapsed = coupon.status === 'locked' && coupon.lockExpiresAt !== null && new Date(coupon.lockExpiresAt).getTime() <= now.getTime()
  if (coupon.openid !== grant.openid || !(coupon.status === 'available' || lockLapsed)) return 'used'
  // Ended at once rather than deleted: the member's list shows it expired, and the coupon number stays unique.
  await t.collection(COLLECTIONS.coupons).doc(coupon._id).update({ data: { status: 'available', lockOrder: null, lockExpiresAt: null, validUntil: now, updatedAt: now } })
  const tpl = await txGet<CouponTemplateDoc>(t, COLLECTIONS.couponTemplates, grant.templateId)
  if (tpl) await t.collection(COLLECTIONS.couponTemplates).doc(tpl._id).update({ data: { remaining: tpl.remaining + 1, updatedAt: now } })
  if (grant.claimSlot) await t.collection(COLLECTIONS.couponClaims).doc(grant.claimSlot).remove()
  await t.collection(COLLECTIONS.couponGrants).doc(cause).update({ data: { revokedAt: now } })
  return 'revoked'
}
