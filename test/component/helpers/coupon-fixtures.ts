import type { AdminTemplateView, CenterTemplateView, CounterCouponView, CouponView, GiftOpenView, VerificationView } from '../../../miniprogram/shared/coupon-rules'
import type { RouteOutput } from './fake-cloud'

/** Coupons of the demo café as the functions answer them (typed by the wire types, so a drift fails type checking). */
export function coupon(over: Partial<CouponView> = {}): CouponView {
  return {
    id: 'cp-cash-10',
    templateId: 'tpl-cash',
    type: 'cash',
    title: '新客立减券',
    value: { type: 'cash', valueFen: 1000 },
    valueLabel: '¥10',
    conditionLabel: '无门槛',
    state: 'available',
    stateName: '可使用',
    validFrom: '2026-11-25T00:00:00.000Z',
    validUntil: '2026-12-10T16:00:00.000Z',
    validUntilLabel: '有效期至 2026-12-10',
    expiringSoon: false,
    forwardable: true,
    stackable: false,
    storeIds: null,
    storeNames: [],
    claimedAt: '2026-11-25T02:00:00.000Z',
    usedAt: null,
    usedStoreName: '',
    fromFriend: false,
    giftToken: null,
    giftExpiresAt: null,
    ...over,
  }
}

export const thresholdCoupon = coupon({
  id: 'cp-th-20',
  templateId: 'tpl-th',
  type: 'threshold',
  title: '满100减20',
  value: { type: 'threshold', valueFen: 2000, thresholdFen: 10000 },
  valueLabel: '¥20',
  conditionLabel: '满100可用',
  expiringSoon: true,
  validUntil: '2026-12-03T16:00:00.000Z',
  validUntilLabel: '有效期至 2026-12-03',
  storeIds: ['store-jingan'],
  storeNames: ['静安南京西路店'],
})

export function myCoupons(coupons: CouponView[], counts = { available: coupons.length, used: 0, expired: 0 }, expiringSoon = 0): RouteOutput<'member.myCoupons'> {
  return { coupons, counts, expiringSoon }
}

export function detail(c: CouponView, over: Partial<RouteOutput<'member.couponDetail'>> = {}): RouteOutput<'member.couponDetail'> {
  return {
    coupon: c,
    rulesText: '每单限用一张，不与其他优惠同享',
    allStores: c.storeIds === null,
    stores: c.storeIds === null ? [] : c.storeIds.map((id, i) => ({ id, name: c.storeNames[i] ?? id, address: '南京西路 1 号' })),
    gifts: [],
    ...over,
  }
}

export function centerTemplate(over: Partial<CenterTemplateView> = {}): CenterTemplateView {
  return {
    id: 'tpl-cash',
    type: 'cash',
    title: '新客立减券',
    rulesText: '',
    value: { type: 'cash', valueFen: 1000 },
    valueLabel: '¥10',
    conditionLabel: '无门槛',
    validityLabel: '领取后 7 天内有效',
    stock: 100,
    remaining: 37,
    perMemberLimit: 2,
    perDayLimit: 1,
    claimedByMe: 0,
    claimedToday: 0,
    storeIds: null,
    storeNames: [],
    forwardable: true,
    canClaim: true,
    blocked: null,
    blockedMessage: '',
    ...over,
  }
}

export function giftOpen(over: Partial<GiftOpenView> = {}): GiftOpenView {
  return {
    token: 'tok_abcdefghijklmnop',
    status: 'pending',
    message: '好友送你一张优惠券，领取后归你所有',
    title: '新客立减券',
    type: 'cash',
    value: { type: 'cash', valueFen: 1000 },
    valueLabel: '¥10',
    conditionLabel: '无门槛',
    validUntil: '2026-12-10T16:00:00.000Z',
    validUntilLabel: '有效期至 2026-12-10',
    storeNames: [],
    rulesText: '',
    expiresAt: '2026-12-02T10:00:00.000Z',
    couponId: null,
    ...over,
  }
}

export function counterCoupon(over: Partial<CounterCouponView> = {}): CounterCouponView {
  return { ...coupon(), owner: '会员 10****23（138****8000）', ticket: 'cp-cash-10.1764640000000.0123456789abcdef0123456789abcdef', refusal: null, discountFen: null, ...over }
}

export function verification(over: Partial<VerificationView> = {}): VerificationView {
  return {
    id: 'v0123456789abcdef0123456789abcd',
    couponId: 'cp-cash-10',
    title: '新客立减券',
    type: 'cash',
    valueLabel: '¥10',
    storeId: 'store-xuhui',
    storeName: '徐汇漕溪北路店',
    clerkName: '小李',
    memberNo: '10000023',
    orderAmountFen: null,
    discountFen: null,
    status: 'done',
    createdAt: '2026-12-01T23:50:00.000Z',
    undoneAt: null,
    undoneByName: null,
    undoable: true,
    ...over,
  }
}

export function adminTemplate(over: Partial<AdminTemplateView> = {}): AdminTemplateView {
  return {
    id: 'tpl-cash',
    shortId: 'Ab12Cd34',
    storeId: null,
    issuerName: '总部',
    usableStoreIds: null,
    usableStoreNames: [],
    type: 'cash',
    title: '新客立减券',
    rulesText: '每单限用一张',
    value: { type: 'cash', valueFen: 1000 },
    valueLabel: '¥10',
    conditionLabel: '无门槛',
    validity: { kind: 'relative', days: 7, delayDays: 0 },
    validityLabel: '领取后 7 天内有效',
    stock: 100,
    remaining: 100,
    claimed: 0,
    perMemberLimit: 1,
    perDayLimit: 0,
    audience: { kind: 'everyone' },
    forwardable: true,
    stackable: false,
    status: 'draft',
    statusName: '草稿',
    editable: 'all',
    transitions: ['active', 'ended'],
    createdAt: '2026-11-20T02:00:00.000Z',
    updatedAt: '2026-11-20T02:00:00.000Z',
    ...over,
  }
}
