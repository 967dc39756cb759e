import type { ActionContext } from '../shared/handler'
import { COLLECTIONS } from '../shared/collections'
import { list } from './db-util'
import type { MemberDoc } from './documents'
import type { CouponDoc } from './coupon-docs'
import type { BirthdayGrantDoc, CheckinDoc } from './reward-docs'
import { sendReminder, type SendOutcome } from './reminders'
import { DAY_MS } from './coupons'
import { chinaParts } from '../../miniprogram/shared/reward-rules'
import { grantBirthdayGift } from './birthday'
import { grantRewardCoupon } from './reward-grant'
import { loadBirthday } from './reward-settings'

/**
 * The rewards area's reminders (issue 13), each once per cause through sendReminder (one
 * consent credit per message; none without one): a coupon about to expire, the birthday
 * coupon, a check-in's reward. Field values are cut to the template's limits here (thing ≤ 20).
 */

const COUPON_DETAIL = 'coupons/pages/detail/index'
const EXPIRING_WINDOW_DAYS = 3
const PAGE = 100

/** A thing field (≤ 20 visible characters). */
export const thing = (s: string): string => {
  const chars = [...s]
  return chars.length <= 20 ? s : `${chars.slice(0, 19).join('')}…`
}
const chinaTime = (d: Date): string => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
const chinaDate = (d: Date): string => chinaTime(d).slice(0, 10)

export const expiringCause = (couponId: string): string => `expiring:${couponId}`
export const birthdayReminderCause = (grantId: string): string => `birthday-reminder:${grantId}`
export const checkinReminderCause = (checkinId: string): string => `checkin-reminder:${checkinId}`

export function remindCheckin(ctx: ActionContext, doc: CheckinDoc, storeName: string): Promise<SendOutcome> {
  const got = doc.couponTitle ? `优惠券「${doc.couponTitle}」` : `${doc.points} 积分`
  return sendReminder(ctx, {
    openid: doc.openid,
    key: 'checkIn',
    cause: checkinReminderCause(doc._id),
    page: doc.couponId ? `${COUPON_DETAIL}?id=${doc.couponId}` : 'pages/points/index',
    data: { thing1: thing(storeName), thing2: thing(`签到获得${got}`), time3: chinaTime(new Date(doc.createdAt)) },
    marketing: false,
  })
}

export function remindBirthday(ctx: ActionContext, grant: BirthdayGrantDoc, title: string): Promise<SendOutcome> {
  return sendReminder(ctx, {
    openid: grant.openid,
    key: 'birthday',
    cause: birthdayReminderCause(grant._id),
    page: grant.couponId ? `${COUPON_DETAIL}?id=${grant.couponId}` : 'pages/card/index',
    data: { thing1: thing('生日快乐，生日礼券已到账'), thing2: thing(title), date3: chinaDate(new Date(grant.createdAt)) },
    marketing: true,
  })
}

export function remindExpiring(ctx: ActionContext, coupon: CouponDoc): Promise<SendOutcome> {
  return sendReminder(ctx, {
    openid: coupon.openid,
    key: 'couponExpiring',
    cause: expiringCause(coupon._id),
    page: `${COUPON_DETAIL}?id=${coupon._id}`,
    data: { thing1: thing(coupon.terms.title), time2: chinaTime(new Date(new Date(coupon.validUntil).getTime() - 60_000)), thing3: thing('优惠券即将到期，记得使用') },
    marketing: true,
  })
}

export interface ReminderPass {
  birthdayGranted: number
  birthdayReminded: number
  expiringReminded: number
  outcomes: Partial<Record<SendOutcome, number>>
}

/**
 * The daily timer: grants this month's birthday coupons ahead of the members opening the card
 * (the lazy path and this one race safely: services/birthday.ts), reminds each member who
 * consented, and reminds of coupons expiring within 3 days. Each reminder once per cause, so a
 * re-run (or the timer firing twice) sends nothing new.
 */
export async function rewardRemindersPass(ctx: ActionContext): Promise<ReminderPass> {
  const now = ctx.now()
  const pass: ReminderPass = { birthdayGranted: 0, birthdayReminded: 0, expiringReminded: 0, outcomes: {} }
  const count = (o: SendOutcome) => {
    pass.outcomes[o] = (pass.outcomes[o] ?? 0) + 1
    return o === 'sent'
  }
  const _ = ctx.db.command
  const config = await loadBirthday(ctx.db)
  if (config.templateId) {
    const mm = String(chinaParts(now).month).padStart(2, '0')
    const title = (await list<{ title: string }>(ctx.db.collection(COLLECTIONS.couponTemplates).where({ _id: config.templateId }).field({ title: true })))[0]?.title ?? '生日礼券'
    // Birthdays 'MM-DD' of this month sort between 'MM-00' and 'MM-99'; paged by _id.
    let after = ''
    for (;;) {
      const rows = await list<MemberDoc>(
        ctx.db.collection(COLLECTIONS.members).where({ birthday: _.gte(`${mm}-00`).and(_.lte(`${mm}-99`)), _id: _.gt(after) }).orderBy('_id', 'asc').limit(PAGE),
      )
      for (const m of rows) {
        const res = await grantBirthdayGift(ctx.db, m.openid, now, 'timer', grantRewardCoupon, { member: m, config })
        if (res.created) pass.birthdayGranted += 1
        if (res.grant && count(await remindBirthday(ctx, res.grant, title))) pass.birthdayReminded += 1
      }
      if (rows.length < PAGE) break
      after = rows[rows.length - 1]._id
    }
  }
  // Coupons still usable that end within the window.
  let after = ''
  for (;;) {
    const rows = await list<CouponDoc>(
      ctx.db
        .collection(COLLECTIONS.coupons)
        .where({ status: _.in(['available', 'locked']), validUntil: _.gt(now).and(_.lte(new Date(now.getTime() + EXPIRING_WINDOW_DAYS * DAY_MS))), _id: _.gt(after) })
        .orderBy('_id', 'asc')
        .limit(PAGE),
    )
    for (const c of rows) if (count(await remindExpiring(ctx, c))) pass.expiringReminded += 1
    if (rows.length < PAGE) break
    after = rows[rows.length - 1]._id
  }
  return pass
}
