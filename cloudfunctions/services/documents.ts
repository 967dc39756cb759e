import type { StaffRole } from '../domain/permissions'

/** Stored document shapes. Ids that a transaction must reach are derived, because transactions only take doc(id). */
export const memberIdOf = (openid: string): string => `m_${openid}`
export const MERCHANT_DOC_ID = 'default'

export interface MemberDoc {
  _id: string
  openid: string
  memberNo: string
  points: number
  /** Points owed after a refund took back more than the balance held. */
  pointsDebt: number
  growth: number
  tierLevel: number
  totalSpentFen: number
  visitCount: number
  paidOrderCount: number
  lastVisitAt: Date | null
  firstStoreId: string
  sourceTouchpoint: string
  referrerOpenid: string | null
  birthday: string | null
  phone: string | null
  storeVisits: Record<string, number>
  autoTags: string[]
  /** tagStamp() of when autoTags were computed (domain/tags.ts); absent on older documents = stale. */
  autoTagsStamp?: string
  manualTags: string[]
  /** 头像昵称填写 (member.setProfile): optional; the nickname passed msgSecCheck, the avatar is a cloud fileID. */
  nickname?: string | null
  avatarFileId?: string | null
  createdAt: Date
  updatedAt: Date
}

/** closed: never paid (WeChat Pay closed it, or never saw it); set only from created (services/order-close.ts). */
export type OrderStatus = 'created' | 'paid' | 'refunded' | 'closed'

/**
 * A WeChat Pay refund of the order, as far as we know it (services/refund-result.ts).
 * requested: the app asked WeChat (or is about to); the reconciliation job completes or clears
 * it. succeeded: WeChat accepted or reported it and the points were reversed. failed: WeChat
 * refused it or reported it failed later (the reversal was undone); shown on the order.
 */
export interface OrderRefund {
  /** out_refund_no: the app's is fixed per order ('R' + outTradeNo); one from the merchant platform is WeChat's. */
  outRefundNo: string
  source: 'app' | 'merchant_platform'
  state: 'requested' | 'succeeded' | 'failed'
  /** 0 for the order's first refund; a new request after a failed one counts up (ledger causes carry it). */
  attempt: number
  refundId: string
  refundFee: number
  requestedAt: Date
  updatedAt: Date
  /** Why it failed, in Chinese (WeChat's reason where it gave one). */
  failReason?: string
  /** The staff's refund action has answered with this reversal (one answer however many taps raced a callback). */
  answered?: boolean
}

export interface OrderDoc {
  _id: string
  outTradeNo: string
  openid: string
  memberId: string
  storeId: string
  amountFen: number
  status: OrderStatus
  channel: 'wxpay' | 'cashier'
  clerkOpenid: string | null
  /** clerk openid + client request id: one cashier submit records once. */
  clientRequestKey?: string
  touchpoint: string
  pointsEarned: number
  joined: boolean
  /** This order was the invitee's qualifying action and paid the inviter (reversed on refund). */
  referralSettled?: boolean
  transactionId: string | null
  createdAt: Date
  paidAt: Date | null
  refundedAt: Date | null
  // Paying with a coupon (coupons): amountFen is then what is paid, after the discount.
  /** The coupon this order uses (locked to it until paid, released when not paid in time). */
  couponId?: string | null
  /** The amount before the coupon's discount. */
  originalAmountFen?: number
  discountFen?: number
  /** After a refund: whether the coupon went back to the member or had expired. */
  couponReturn?: 'returned' | 'expired' | null
  /** Reconciliation (services/reconcile.ts, services/order-close.ts). */
  refund?: OrderRefund | null
  closedAt?: Date
  /** unpaid: not paid 30 minutes after it was placed; unknown_at_wechat: WeChat Pay never saw it; closed_at_wechat: WeChat reported it closed. */
  closeReason?: 'unpaid' | 'unknown_at_wechat' | 'closed_at_wechat'
}

export type LedgerKind = 'purchase' | 'refund' | 'referral' | 'adjust' | 'reward' | 'exchange' | 'game' | 'checkin'

export interface LedgerDoc {
  /** The cause, unique: `purchase:<order>`, `refund:<order>`, `referral:<invitee>:<order>`, `referral-refund:<invitee>:<order>`, a refund attempt n ≥ 1 adds `:<n>`; a refund WeChat reported failed `refund-failed:<order>:<n>` and `referral-restore:<invitee>:<order>:<n>`. */
  _id: string
  memberId: string
  delta: number
  /** Debt recorded (refund beyond balance) or paid off (credit against debt) by this line. */
  debtDelta: number
  balanceAfter: number
  kind: LedgerKind
  title: string
  createdAt: Date
}

/**
 * One per invitee (_id = invitee openid). 'none' marks a member who joined without an inviter,
 * so no later shared card can bind them; 'bound' waits for the qualifying action; 'rewarded'
 * paid the inviter (back to 'bound' if that order is refunded).
 */
export interface ReferralDoc {
  _id: string
  inviteeOpenid: string
  inviterOpenid: string | null
  status: 'none' | 'bound' | 'rewarded' | 'rejected'
  boundAt: Date
  rewardedAt: Date | null
  points: number
  /** The order that paid the reward (or was judged and rejected). */
  rewardOrder?: string
  /** Reconciliation: the refunded order whose reward went back, and how many points, restored if WeChat reports the refund failed. */
  refundedOrder?: string
  refundedPoints?: number
  // Referral farming (issue 12): why a qualifying payment earned nothing ('rejected'), and the risk check.
  rejectedAt?: Date | null
  rejectCode?: string
  /** The reason the inviter reads under 「未达到奖励条件」. */
  rejectReason?: string
  riskRank?: number | null
  /** Why no risk rank was taken (local cloud, switched off, check failed), '' when it was. */
  riskNote?: string
}

export interface StoreDoc {
  _id: string
  name: string
  address: string
  phone: string
  hours: string
  latitude: number
  longitude: number
  /** db.Geo.Point(longitude, latitude), kept with the two numbers for the geo index (store locator). */
  location?: unknown
  status: 'open' | 'closed'
  /** The sub-brand the store belongs to (null/absent: directly under HQ, not yet assigned). */
  subBrandId?: string | null
  /** The region within that sub-brand, if any. */
  regionId?: string | null
  createdAt: Date
}

export interface StaffDoc {
  _id: string // openid
  openid: string
  name: string
  role: StaffRole
  storeIds: string[]
  /** A sub-brand operator's sub-brands. */
  subBrandIds?: string[]
  /** A region manager's regions. */
  regionIds?: string[]
  invitedBy: string | null
  createdAt: Date
}

export interface StaffInviteDoc {
  _id: string // the code
  role: StaffRole
  storeIds: string[]
  issuedBy: string
  expiresAt: Date
  usedBy: string | null
  usedAt: Date | null
  /** What a sub-brand or region invite assigns. */
  subBrandIds?: string[]
  regionIds?: string[]
  /** Set when revoked before use (staff.revokeInvite); a revoked code no longer joins. */
  revokedAt?: Date | null
  revokedBy?: string | null
  createdAt: Date
}

/** 子品牌: its own brand name and card look; membership stays one per merchant group. */
export interface SubBrandDoc {
  _id: string
  name: string
  /** Shown on the member card of members whose first store is in this sub-brand ('' = the group's). */
  brandName: string
  card: { background: string; textColor: string } | null
  createdAt: Date
  updatedAt: Date
}

/** 区域: a group of stores within one sub-brand. */
export interface RegionDoc {
  _id: string
  name: string
  subBrandId: string
  createdAt: Date
  updatedAt: Date
}

// Conveniences: a deleted membership's orders and ledger lines carry a pseudonym (services/erasure.ts).
export const ERASED_PREFIX = 'erased-'
export const isErasedMemberId = (memberId: string): boolean => memberId.startsWith(`m_${ERASED_PREFIX}`)
