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
  // Conveniences: customer-service messages the bot saw (one per MsgId: replays answered once).
  serviceMessages: 'service_messages',
} as const

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS]
