/** Every collection name, in one module. The schema (database/schema.ts) declares their indexes. */
export const COLLECTIONS = {
  merchant: 'merchant',
  stores: 'stores',
  staff: 'staff',
  staffInvites: 'staff_invites',
  members: 'members',
  pointsLedger: 'points_ledger',
  orders: 'orders',
  referrals: 'referrals',
  secrets: 'secrets',
  audit: 'audit_log',
  // deploy: what the first-run setup found (system.setup), shown to the owner until ready
  systemStatus: 'system_status',
  // Chain: sub-brands and regions (issue 17).
  subBrands: 'sub_brands',
  regions: 'regions',
  // Coupons (coupons).
  couponTemplates: 'coupon_templates',
  coupons: 'coupons',
  couponClaims: 'coupon_claims',
  couponGifts: 'coupon_gifts',
  couponVerifications: 'coupon_verifications',
  couponEvents: 'coupon_events',
  // Conveniences: customer-service messages the bot saw (one per MsgId: replays answered once).
  serviceMessages: 'service_messages',
  // Counter fraud and referral farming (issue 12, fraud).
  cashierApprovals: 'cashier_approvals',
  cashierAttempts: 'cashier_attempts',
  cashierTotals: 'cashier_totals',
  attemptSlots: 'attempt_slots',
  phoneClaims: 'phone_claims',
  inviteTokens: 'invite_tokens',
  referralCounters: 'referral_counters',
  // Shared marketing foundation: coupons granted for a cause, game chances, subscription
  // credits and reminder sends, per-day counters (services/coupon-grant, chances, reminders, day-counters).
  couponGrants: 'coupon_grants',
  gameChances: 'game_chances',
  chanceEvents: 'chance_events',
  subscribeCredits: 'subscribe_credits',
  reminderSends: 'reminder_sends',
  reminderDaily: 'reminder_daily',
  dayCounters: 'day_counters',
  // Segments and targeted campaigns (segments): saved segments, campaigns, one outcome per member, notice caps.
  segments: 'segments',
  campaigns: 'campaigns',
  campaignMembers: 'campaign_members',
  campaignNoticeCaps: 'campaign_notice_caps',
  // Rewards (issue 13, rewards): rule settings, what each payment earned, check-ins, birthday gifts, the points shop.
  rewardSettings: 'reward_settings',
  rewardGrants: 'reward_grants',
  checkins: 'checkins',
  birthdayGrants: 'birthday_grants',
  shopItems: 'shop_items',
  shopExchanges: 'shop_exchanges',
  shopHoldings: 'shop_holdings',
  // Touchpoints, dashboards and commission (touchpoints).
  touchpoints: 'touchpoints',
  tpVisits: 'tp_visits',
  tpSources: 'tp_sources',
  tpSettings: 'tp_settings',
  orderFacts: 'order_facts',
  payDays: 'pay_days',
  settlements: 'settlements',
} as const

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS]
