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
  // Counter fraud and referral farming (issue 12, fraud).
  cashierApprovals: 'cashier_approvals',
  cashierAttempts: 'cashier_attempts',
  cashierTotals: 'cashier_totals',
  attemptSlots: 'attempt_slots',
  phoneClaims: 'phone_claims',
  inviteTokens: 'invite_tokens',
  referralCounters: 'referral_counters',
} as const

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS]
