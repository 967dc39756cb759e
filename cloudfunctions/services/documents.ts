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
  createdAt: Date
  updatedAt: Date
}

export type OrderStatus = 'created' | 'paid' | 'refunded'

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
}

export type LedgerKind = 'purchase' | 'refund' | 'referral' | 'adjust'

export interface LedgerDoc {
  /** The cause, unique: `purchase:<order>`, `refund:<order>`, `referral:<invitee>:<order>`, `referral-refund:<invitee>:<order>`. */
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
  status: 'open' | 'closed'
  createdAt: Date
}

export interface StaffDoc {
  _id: string // openid
  openid: string
  name: string
  role: StaffRole
  storeIds: string[]
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
  createdAt: Date
}
