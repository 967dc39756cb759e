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
    ],
  },
  // Coupons (coupons). Every unique field is set on every document (shortId, couponNo).
  [COLLECTIONS.couponTemplates]: {
    indexes: [
      { name: 'shortId_unique', keys: { shortId: 1 }, unique: true },
      { name: 'status', keys: { status: 1 } },
      { name: 'store', keys: { storeId: 1 } },
    ],
  },
  [COLLECTIONS.coupons]: {
    indexes: [
      { name: 'couponNo_unique', keys: { couponNo: 1 }, unique: true },
      { name: 'owner_until', keys: { openid: 1, validUntil: 1 } },
      { name: 'template', keys: { templateId: 1 } },
    ],
  },
  // Claim slots: _id = template + member + slot (total) or + day + slot (per day), unique by construction.
  [COLLECTIONS.couponClaims]: { indexes: [{ name: 'member_template', keys: { openid: 1, templateId: 1 } }] },
  [COLLECTIONS.couponGifts]: {
    indexes: [
      { name: 'from', keys: { fromOpenid: 1, createdAt: -1 } },
      { name: 'to', keys: { toOpenid: 1, createdAt: -1 } },
      { name: 'coupon', keys: { couponId: 1 } },
    ],
  },
  [COLLECTIONS.couponVerifications]: {
    indexes: [
      { name: 'store_time', keys: { storeId: 1, createdAt: -1 } },
      { name: 'time', keys: { createdAt: -1 } },
      { name: 'coupon', keys: { couponId: 1 } },
    ],
  },
  [COLLECTIONS.couponEvents]: { indexes: [{ name: 'coupon_time', keys: { couponId: 1, createdAt: -1 } }] },
}
