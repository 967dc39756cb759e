import { COLLECTIONS, type CollectionName } from '../cloudfunctions/shared/collections'

/**
 * Collections and indexes, declared once: the local cloud applies them at start, and the deploy
 * script prints the same for a real cloud environment. Unique indexes on the cloud are not
 * sparse (a missing field counts as null), so a field with a unique index must be set on every
 * document — the local engine enforces the same.
 */
export interface IndexSpec {
  name: string
  /**
   * Field paths (dot notation) → 1 ascending / -1 descending, or '2dsphere' for a geo index on a
   * db.Geo.Point field (the console's 地理位置索引; geoNear / geoWithin need one).
   */
  keys: Record<string, 1 | -1 | '2dsphere'>
  unique?: boolean
}

export interface CollectionSpec {
  indexes: IndexSpec[]
}

export type Schema = Record<CollectionName, CollectionSpec>

export const schema: Schema = {
  [COLLECTIONS.merchant]: { indexes: [] },
  [COLLECTIONS.stores]: { indexes: [{ name: 'status', keys: { status: 1 } }] },
  [COLLECTIONS.staff]: { indexes: [{ name: 'openid_unique', keys: { openid: 1 }, unique: true }] },
  // The invite code is the document _id, unique by construction.
  [COLLECTIONS.staffInvites]: { indexes: [] },
  [COLLECTIONS.members]: {
    indexes: [
      { name: 'openid_unique', keys: { openid: 1 }, unique: true },
      { name: 'memberNo_unique', keys: { memberNo: 1 }, unique: true },
      { name: 'phone', keys: { phone: 1 } },
      { name: 'referrer', keys: { referrerOpenid: 1 } },
    ],
  },
  [COLLECTIONS.pointsLedger]: {
    indexes: [
      { name: 'member_time', keys: { memberId: 1, createdAt: -1 } },
    ],
  },
  [COLLECTIONS.orders]: {
    indexes: [
      { name: 'outTradeNo_unique', keys: { outTradeNo: 1 }, unique: true },
      { name: 'member', keys: { memberId: 1 } },
      { name: 'store', keys: { storeId: 1 } },
    ],
  },
  [COLLECTIONS.referrals]: {
    indexes: [
      { name: 'invitee_unique', keys: { inviteeOpenid: 1 }, unique: true },
      { name: 'inviter', keys: { inviterOpenid: 1 } },
    ],
  },
  [COLLECTIONS.secrets]: { indexes: [] },
  [COLLECTIONS.audit]: {
    indexes: [
      { name: 'time', keys: { createdAt: -1 } },
      { name: 'store_time', keys: { storeId: 1, createdAt: -1 } },
      // Counter fraud (issue 12): a member profile lists the cashier lines about that member.
      { name: 'target_time', keys: { target: 1, createdAt: -1 } },
    ],
  },
  // Counter fraud and referral farming (issue 12, fraud).
  [COLLECTIONS.cashierApprovals]: { indexes: [{ name: 'store_status_time', keys: { storeId: 1, status: 1, createdAt: -1 } }] },
  [COLLECTIONS.cashierAttempts]: { indexes: [{ name: 'member_time', keys: { memberId: 1, createdAt: -1 } }] },
  // Ids are derived (clerk:<openid>:<day>, store:<id>:<day>; <staff>:<minute>:<n>; the phone; the token; <inviter>:d:<day>).
  [COLLECTIONS.cashierTotals]: { indexes: [] },
  [COLLECTIONS.attemptSlots]: { indexes: [] },
  [COLLECTIONS.phoneClaims]: { indexes: [] },
  [COLLECTIONS.inviteTokens]: { indexes: [{ name: 'openid_unique', keys: { openid: 1 }, unique: true }] },
  [COLLECTIONS.referralCounters]: { indexes: [] },
}
