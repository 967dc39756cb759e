import { createMain } from '../shared/handler'
import { card, code, pointsHistory, setBirthday } from './card'
import { createOrder, onPayCallback, orderStatus, stores } from './pay'
import { bindInviter, inviteSummary } from './referral'
import { refreshAutoTags } from './tags-refresh'
import { bindPhone } from './phone'
import { acceptGift, claimCoupon, couponBadge, couponCenter, couponCode, couponDetail, couponTemplate, giftCoupon, myCoupons, myGifts, openGift, takeBackGift, usableCoupons } from './coupons'
import { reconcilePass } from '../services/reconcile'
import type { ActionContext } from '../shared/handler'
// Conveniences: 头像昵称, 个人信息 and 注销会员.
import { deleteMembership, myData, setProfile } from './profile'
import { onServiceMessage } from './service-chat'
// Subscription messages: template ids and the member's consents (services/reminders.ts).
import { subscribeAccepted, subscribeTemplates } from './subscriptions'
// Rewards (issue 13, rewards).
import { birthdayGift, checkin, checkinInfo, exchange, orderRewards, shopItems } from './rewards'
import { rewardRemindersPass } from '../services/reward-reminders'
// Touchpoints (touchpoints).
import { touchpointOpen } from './touchpoint'

/** The consumer's function: card, code, points, paying (and WeChat Pay's callback), referral. */
export const actions = {
  card, code, pointsHistory, setBirthday, bindPhone, stores, createOrder, orderStatus, bindInviter, inviteSummary,
  // Coupons (coupons).
  couponCenter, couponTemplate, claimCoupon, myCoupons, couponBadge, couponDetail, couponCode, usableCoupons, giftCoupon, takeBackGift, openGift, acceptGift, myGifts,
  // Conveniences.
  setProfile, myData, deleteMembership,
  // Subscription messages (foundation).
  subscribeTemplates, subscribeAccepted,
  // Rewards (issue 13, rewards): 签到有礼, 积分商城, 消费有礼 on the pay result, 生日礼.
  checkinInfo, checkin, shopItems, exchange, orderRewards, birthdayGift,
  // Touchpoints (touchpoints): a code's landing page records the visit.
  touchpointOpen,
}

/** Timer triggers by name (config.json triggers). */
const timers: Record<string, (ctx: ActionContext) => Promise<unknown>> = {
  refreshTags: refreshAutoTags,
  // Reconciliation with WeChat Pay (services/reconcile.ts).
  reconcilePayments: reconcilePass,
  // Rewards (issue 13): birthday coupons ahead of the month's opens, and their reminders.
  rewardReminders: rewardRemindersPass,
}

export const main = createMain({
  actions,
  onPayCallback,
  onTimer: (event, ctx) => {
    const run = event.TriggerName && Object.prototype.hasOwnProperty.call(timers, event.TriggerName) ? timers[event.TriggerName] : undefined
    // An unnamed timer keeps its historical meaning (the tags refresh).
    return run ? run(ctx) : event.TriggerName ? Promise.resolve({ ignored: `no timer ${event.TriggerName}` }) : refreshAutoTags(ctx)
  },
  onMessagePush: (event, ctx) => onServiceMessage(event, ctx),
})
