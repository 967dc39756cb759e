import type { CouponAudience, CouponValidity, CouponValue, TemplateStatus } from '../../miniprogram/shared/coupon-rules'

/** Stored coupon documents (collections in shared/collections.ts, indexes in database/schema.ts). */

export interface CouponTemplateDoc {
  _id: string
  /** The campaign link's short id (the QR code's scene), unique, set on every template. */
  shortId: string
  /** Who issues it: null = HQ (all stores; only owner and HQ), or the store whose manager does. */
  storeId: string | null
  /** A sub-brand's template (coupon-gaps, issue 17): storeId null, usable at stores of that sub-brand; absent = HQ or a store's. */
  subBrandId?: string | null
  /** Where it is usable: null = every store (HQ templates only); a store's template: [storeId]. */
  usableStoreIds: string[] | null
  title: string
  rulesText: string
  value: CouponValue
  validity: CouponValidity
  /** Total stock, and what is left (taken by one conditional update per claim). */
  stock: number
  remaining: number
  perMemberLimit: number
  /** 0 = no daily limit. */
  perDayLimit: number
  audience: CouponAudience
  forwardable: boolean
  stackable: boolean
  status: TemplateStatus
  /**
   * Bumped by every edit of the terms; a claim takes stock only from the version it read, so a
   * claimed coupon always holds the terms that were in force when its unit of stock was taken.
   */
  version: number
  /** Set by the first claim: from then on only stock growth, pause / end and rules text may change. */
  claimedOnce: boolean
  createdBy: string
  createdAt: Date
  updatedAt: Date
}

/**
 * The stored state of a member's coupon. Expiry is not stored: it is computed on read from
 * validUntil and the clock. 'locked' with a past lockExpiresAt is usable again (lazy release).
 */
export type CouponStatus = 'available' | 'locked' | 'gifting' | 'used' | 'given'

/** The terms a coupon was claimed under, copied from the template at the claim. */
export interface CouponTerms {
  title: string
  rulesText: string
  value: CouponValue
  usableStoreIds: string[] | null
  forwardable: boolean
  stackable: boolean
}

export interface CouponDoc {
  _id: string
  /** 10 digits, unique, on every coupon: the stable part of its codes. A gift's receiver gets a new coupon, so a new number. */
  couponNo: string
  templateId: string
  /** The owner (a WeChat openid: a non-member's coupons are theirs once they join). */
  openid: string
  /** Who claimed it from the template (the claim limit counts against them only). */
  claimedBy: string
  terms: CouponTerms
  validFrom: Date
  validUntil: Date
  status: CouponStatus
  /** The unpaid order holding it, and until when. */
  lockOrder: string | null
  lockExpiresAt: Date | null
  /** The gift in transit (status gifting), or the accepted gift (status given). */
  giftId: string | null
  /** While gifting: when the gift returns to the sender (checked lazily on read). */
  giftExpiresAt: Date | null
  /** This coupon came from a friend's gift: the gift and the sender's coupon. */
  fromGiftId: string | null
  usedAt: Date | null
  usedStoreId: string | null
  /** How it was used: an order paid with it, or a verification at the counter. */
  usedOrder: string | null
  usedVerification: string | null
  claimedAt: Date
  updatedAt: Date
}

/** One claim slot: `${templateId}:${openid}:${n}` (n ≤ total limit) or `${templateId}:${openid}:d${yyyymmdd}:${n}`. */
export interface CouponClaimDoc {
  _id: string
  templateId: string
  openid: string
  kind: 'total' | 'day'
  couponId: string
  createdAt: Date
}

export type GiftStatus = 'pending' | 'accepted' | 'takenBack' | 'returned'

/** A coupon forwarded to a chat. _id = the gift token in the share card (unguessable). */
export interface CouponGiftDoc {
  _id: string
  couponId: string
  templateId: string
  fromOpenid: string
  toOpenid: string | null
  status: GiftStatus
  /** The acceptor's new coupon. */
  newCouponId: string | null
  title: string
  createdAt: Date
  expiresAt: Date
  closedAt: Date | null
}

/** One verification at the counter. _id derives from clerk + client request id (a retried tap records once). */
export interface CouponVerificationDoc {
  _id: string
  couponId: string
  couponNo: string
  templateId: string
  title: string
  value: CouponTerms['value']
  ownerOpenid: string
  memberNo: string
  storeId: string
  clerkOpenid: string
  clerkName: string
  requestId: string
  orderAmountFen: number | null
  discountFen: number | null
  status: 'done' | 'undone'
  undoneAt: Date | null
  undoneBy: string | null
  undoneByName: string | null
  createdAt: Date
}

/** What happened to a coupon besides claim / gift / verification: a refund returned it, an order released it, an undo. */
export interface CouponEventDoc {
  _id: string
  couponId: string
  kind: 'refundReturned' | 'refundExpired' | 'released' | 'undone' | 'refundFailedRetaken'
  ref: string
  createdAt: Date
  /** A refund's event (coupon-gaps): where and when the coupon had been used, restored if the refund fails. */
  usedAt?: Date | null
  usedStoreId?: string | null
}
