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
  [COLLECTIONS.stores]: {
    indexes: [
      { name: 'status', keys: { status: 1 } },
      { name: 'subBrand', keys: { subBrandId: 1 } },
      { name: 'region', keys: { regionId: 1 } },
      // Store locator (member.stores with a position): geoNear on the stored db.Geo.Point.
      { name: 'location_geo', keys: { location: '2dsphere' } },
    ],
  },
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
      // Reconciliation: late orders oldest first, and refunds the app asked for and did not finish.
      { name: 'reconcile_late', keys: { status: 1, createdAt: 1 } },
      { name: 'reconcile_refund', keys: { 'refund.state': 1 } },
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
      // Chain: the audit list's filters (issue 17).
      { name: 'action_time', keys: { action: 1, createdAt: -1 } },
      { name: 'actor_time', keys: { actorOpenid: 1, createdAt: -1 } },
      // Counter fraud (issue 12): a member profile lists the cashier lines about that member.
      { name: 'target_time', keys: { target: 1, createdAt: -1 } },
    ],
  },
  // deploy: the setup report (one document, system_status/setup)
  [COLLECTIONS.systemStatus]: { indexes: [] },
  // Chain: sub-brands and regions (issue 17).
  [COLLECTIONS.subBrands]: { indexes: [] },
  [COLLECTIONS.regions]: { indexes: [{ name: 'subBrand', keys: { subBrandId: 1 } }] },
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
  // Conveniences: the 客服 bot's message log (rate limit per sender).
  [COLLECTIONS.serviceMessages]: { indexes: [{ name: 'sender_time', keys: { openid: 1, createdAt: -1 } }] },
  // Counter fraud and referral farming (issue 12, fraud).
  [COLLECTIONS.cashierApprovals]: { indexes: [{ name: 'store_status_time', keys: { storeId: 1, status: 1, createdAt: -1 } }] },
  // chain-gaps: `time` serves the lazy expiry sweep (services/retention.ts).
  [COLLECTIONS.cashierAttempts]: { indexes: [{ name: 'member_time', keys: { memberId: 1, createdAt: -1 } }, { name: 'time', keys: { createdAt: 1 } }] },
  // Ids are derived (clerk:<openid>:<day>, store:<id>:<day>; <staff>:<minute>:<n>; the phone; the token; <inviter>:d:<day>).
  [COLLECTIONS.cashierTotals]: { indexes: [] },
  [COLLECTIONS.attemptSlots]: { indexes: [{ name: 'minute', keys: { minute: 1 } }] },
  [COLLECTIONS.phoneClaims]: { indexes: [] },
  [COLLECTIONS.inviteTokens]: { indexes: [{ name: 'openid_unique', keys: { openid: 1 }, unique: true }] },
  [COLLECTIONS.referralCounters]: { indexes: [] },
  // Shared marketing foundation. The grant, chance-event, reminder-send and slot documents are
  // keyed by their cause (the _id is unique by construction): exactly once needs no extra index.
  [COLLECTIONS.couponGrants]: { indexes: [{ name: 'openid_time', keys: { openid: 1, createdAt: -1 } }, { name: 'coupon', keys: { couponId: 1 } }] },
  [COLLECTIONS.gameChances]: { indexes: [{ name: 'openid', keys: { openid: 1 } }] },
  [COLLECTIONS.chanceEvents]: { indexes: [{ name: 'openid_time', keys: { openid: 1, createdAt: -1 } }] },
  [COLLECTIONS.subscribeCredits]: { indexes: [{ name: 'openid', keys: { openid: 1 } }] },
  [COLLECTIONS.reminderSends]: { indexes: [{ name: 'openid_time', keys: { openid: 1, createdAt: -1 } }] },
  [COLLECTIONS.reminderDaily]: { indexes: [{ name: 'openid', keys: { openid: 1 } }] },
  [COLLECTIONS.dayCounters]: { indexes: [{ name: 'scope_day', keys: { scope: 1, day: 1 } }] },
  // Segments and targeted campaigns (segments). Outcomes are keyed <campaign>:<openid>, caps by openid.
  [COLLECTIONS.segments]: { indexes: [{ name: 'time', keys: { updatedAt: -1 } }] },
  [COLLECTIONS.campaigns]: { indexes: [{ name: 'time', keys: { createdAt: -1 } }, { name: 'status_start', keys: { status: 1, startAt: 1 } }] },
  [COLLECTIONS.campaignMembers]: {
    indexes: [
      { name: 'campaign_id', keys: { campaignId: 1, _id: 1 } },
      { name: 'campaign_outcome', keys: { campaignId: 1, outcome: 1 } },
      { name: 'openid', keys: { openid: 1 } },
    ],
  },
  [COLLECTIONS.campaignNoticeCaps]: { indexes: [] },
  // Rewards (issue 13, rewards). Exactly-once lives in the _ids: reward_grants/<outTradeNo>,
  // checkins/<storeId>:<openid>:<YYYYMMDD>, birthday_grants/<openid>:<year>,
  // shop_exchanges/<openid>:<requestId>, shop_holdings/<itemId>:<openid>.
  [COLLECTIONS.rewardSettings]: { indexes: [] },
  [COLLECTIONS.rewardGrants]: { indexes: [{ name: 'openid', keys: { openid: 1 } }] },
  [COLLECTIONS.checkins]: {
    indexes: [
      { name: 'openid_time', keys: { openid: 1, createdAt: -1 } },
      { name: 'store_day', keys: { storeId: 1, day: 1 } },
    ],
  },
  [COLLECTIONS.birthdayGrants]: { indexes: [{ name: 'openid', keys: { openid: 1 } }] },
  [COLLECTIONS.shopItems]: { indexes: [{ name: 'active', keys: { active: 1 } }] },
  [COLLECTIONS.shopExchanges]: { indexes: [{ name: 'openid_time', keys: { openid: 1, createdAt: -1 } }] },
  [COLLECTIONS.shopHoldings]: { indexes: [{ name: 'openid', keys: { openid: 1 } }] },
  // Touchpoints, dashboards and commission (touchpoints). Visit, source and pay-day ids are derived
  // (<touchpoint>|<day>|<openid>, the openid, <member>|<day>|<scope>); an order fact's id is its order.
  [COLLECTIONS.touchpoints]: {
    indexes: [
      { name: 'shortId_unique', keys: { shortId: 1 }, unique: true },
      { name: 'store', keys: { storeId: 1 } },
    ],
  },
  [COLLECTIONS.tpVisits]: { indexes: [{ name: 'openid', keys: { openid: 1 } }, { name: 'touchpoint_day', keys: { touchpointId: 1, day: 1 } }] },
  [COLLECTIONS.tpSources]: { indexes: [] },
  [COLLECTIONS.tpSettings]: { indexes: [] },
  [COLLECTIONS.orderFacts]: {
    indexes: [
      { name: 'paidDay', keys: { paidDay: 1 } },
      { name: 'refundDay', keys: { refundDay: 1 } },
      { name: 'member', keys: { memberId: 1 } },
    ],
  },
  [COLLECTIONS.payDays]: { indexes: [{ name: 'member', keys: { memberId: 1 } }] },
  [COLLECTIONS.settlements]: { indexes: [{ name: 'from', keys: { fromDay: 1 } }] },
}
