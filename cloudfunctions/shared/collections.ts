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
  // Coupons (coupons).
  couponTemplates: 'coupon_templates',
  coupons: 'coupons',
  couponClaims: 'coupon_claims',
  couponGifts: 'coupon_gifts',
  couponVerifications: 'coupon_verifications',
  couponEvents: 'coupon_events',
} as const

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS]
