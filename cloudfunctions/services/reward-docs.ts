/** Stored documents of the rewards area (issue 13; collections in shared/collections.ts). */

/** One thing a payment earned under one rule (reward_grants/<outTradeNo>.items). */
export interface RewardGrantItem {
  ruleId: string
  ruleName: string
  kind: 'coupon' | 'points' | 'chances'
  /** The grant's cause: `reward:<outTradeNo>:<ruleId>`. */
  cause: string
  /** granted, or why not (the rule's coupon sold out, the template ended …): the payment stands either way. */
  outcome: 'granted' | 'refused'
  refusal?: string
  templateId?: string
  couponId?: string
  couponTitle?: string
  points?: number
  gameId?: string
  count?: number
  /** After a refund: what happened to it (revoked; already used so kept and recorded; points taken back). */
  reversal?: 'revoked' | 'used' | 'none' | 'taken' | 'partlySpent'
}

/** What one payment earned (reward_grants/<outTradeNo>): written once, in the capture's transaction. */
export interface RewardGrantDoc {
  _id: string
  outTradeNo: string
  openid: string
  storeId: string
  items: RewardGrantItem[]
  createdAt: Date
  reversedAt: Date | null
}

/** One check-in (checkins/<storeId>:<openid>:<YYYYMMDD>, China day): the _id makes it once per store per day. */
export interface CheckinDoc {
  _id: string
  storeId: string
  openid: string
  day: string
  kind: 'points' | 'coupon'
  points: number
  couponId: string | null
  couponTitle: string | null
  /** The member's distance from the store when they shared a location, else null. */
  distanceM: number | null
  createdAt: Date
}

/** The year's birthday gift (birthday_grants/<openid>:<year>). */
export interface BirthdayGrantDoc {
  _id: string
  openid: string
  year: number
  templateId: string
  couponId: string | null
  /** Who granted it first: the member opening the card, or the daily timer. */
  via: 'open' | 'timer'
  createdAt: Date
}

/** 积分商城 item: a coupon template offered for points. */
export interface ShopItemDoc {
  _id: string
  templateId: string
  title: string
  pricePoints: number
  /** Total units offered, and what is left (taken inside the exchange's transaction). */
  stock: number
  remaining: number
  /** Exchanges per member (shop_holdings counts them). */
  perMemberLimit: number
  active: boolean
  createdAt: Date
  updatedAt: Date
}

/** One exchange (shop_exchanges/<openid>:<requestId>): a replayed request answers the same coupon. */
export interface ShopExchangeDoc {
  _id: string
  openid: string
  itemId: string
  templateId: string
  pricePoints: number
  couponId: string
  ledgerId: string
  createdAt: Date
}

/** How many times a member exchanged an item (shop_holdings/<itemId>:<openid>). */
export interface ShopHoldingDoc {
  _id: string
  itemId: string
  openid: string
  count: number
  updatedAt: Date
}
