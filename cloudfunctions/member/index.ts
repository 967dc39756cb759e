import { createMain } from '../shared/handler'
import { card, code, pointsHistory, setBirthday } from './card'
import { createOrder, onPayCallback, orderStatus, stores } from './pay'
import { bindInviter, inviteSummary } from './referral'
import { refreshAutoTags } from './tags-refresh'
import { bindPhone } from './phone'
import { acceptGift, claimCoupon, couponBadge, couponCenter, couponCode, couponDetail, couponTemplate, giftCoupon, myCoupons, myGifts, openGift, takeBackGift, usableCoupons } from './coupons'

/** The consumer's function: card, code, points, paying (and WeChat Pay's callback), referral. */
export const actions = {
  card, code, pointsHistory, setBirthday, bindPhone, stores, createOrder, orderStatus, bindInviter, inviteSummary,
  // Coupons (coupons).
  couponCenter, couponTemplate, claimCoupon, myCoupons, couponBadge, couponDetail, couponCode, usableCoupons, giftCoupon, takeBackGift, openGift, acceptGift, myGifts,
}

export const main = createMain({ actions, onPayCallback, onTimer: (_event, ctx) => refreshAutoTags(ctx) })
