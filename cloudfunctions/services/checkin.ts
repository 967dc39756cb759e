import { randomBytes } from 'node:crypto'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { applyCredit } from '../domain/loyalty'
import { computeAutoTags, tagStamp } from '../domain/tags'
import { chinaParts, distanceM } from '../../miniprogram/shared/reward-rules'
import { getDoc, runTransaction, txGet, type Transaction } from './db-util'
import { memberIdOf, type LedgerDoc, type MemberDoc, type StoreDoc } from './documents'
import type { CheckinDoc } from './reward-docs'
import { loadCheckin } from './reward-settings'
import { loadSettings } from './settings'
import { txTime } from './tx-clock'
import type { RewardCouponGrant } from './reward-grant'

/**
 * 到店签到有礼 (issue 13): once per store per China day. The check-in document's _id
 * `<storeId>:<openid>:<YYYYMMDD>` is the cause: however many scans arrive at once, one
 * transaction adds it and the others find it (ALREADY_CHECKED_IN). The reward and the visit it
 * counts for commit with it or not at all.
 */

export const CHECKIN_TITLE = '到店签到'

export const checkinId = (storeId: string, openid: string, day: string): string => `${storeId}:${openid}:${day}`

export interface CheckinRequest {
  openid: string
  storeId: string
  /** Shared by the member (wx.getLocation), if they allowed it. */
  location: { latitude: number; longitude: number } | null
}

export interface CheckinOutcome {
  storeName: string
  day: string
  kind: 'points' | 'coupon'
  points: number
  couponId: string | null
  couponTitle: string | null
  /** The coupon could not be issued (sold out, template ended): the visit still counts. */
  couponRefusal: string | null
  distanceM: number | null
}


/** Extra work inside the check-in's transaction (day counters). */
export type CheckinHook = (t: Transaction, doc: CheckinDoc, now: Date) => Promise<void>

export async function checkIn(db: Database, req: CheckinRequest, requested: Date, grantCoupon: RewardCouponGrant | null, hook?: CheckinHook): Promise<CheckinOutcome> {
  const [config, store, settings] = await Promise.all([loadCheckin(db), getDoc<StoreDoc>(db, COLLECTIONS.stores, req.storeId), loadSettings(db)])
  if (!store) throw new AppError('NOT_FOUND', '门店不存在')
  if (!config.enabled || store.status !== 'open') throw new AppError('CHECKIN_CLOSED')
  // The member's shared position against the store's: only the server decides.
  const distance = req.location ? Math.round(distanceM(req.location, store)) : null
  if (config.radiusM !== null) {
    if (distance === null && config.requireLocation) throw new AppError('LOCATION_REQUIRED')
    if (distance !== null && distance > config.radiusM) throw new AppError('TOO_FAR', `距离门店约 ${distance} 米，请到店 ${config.radiusM} 米内再签到`)
  }
  const day = chinaParts(requested).ymd
  const id = checkinId(store._id, req.openid, day)
  const memberId = memberIdOf(req.openid)
  try {
    return await runTransaction(db, async (t) => {
      if (await txGet<CheckinDoc>(t, COLLECTIONS.checkins, id)) throw new AppError('ALREADY_CHECKED_IN')
      const member = await txGet<MemberDoc>(t, COLLECTIONS.members, memberId)
      if (!member) throw new AppError('NOT_MEMBER')
      const now = txTime(requested, member)
      let points = 0
      let coupon: { couponId: string; title: string } | null = null
      let couponRefusal: string | null = null
      if (config.gift.kind === 'points') points = config.gift.points
      else if (grantCoupon) {
        const granted = await grantCoupon(t, { templateId: config.gift.templateId, openid: req.openid, cause: `checkin:${id}`, source: 'checkin', now })
        if ('couponId' in granted) coupon = granted
        else couponRefusal = granted.refusal
      } else couponRefusal = 'UNAVAILABLE'
      const { toBalance, debtPaid } = applyCredit(member.pointsDebt, points)
      // The check-in is a visit: 最近到店, visit counts and the tags that follow them.
      const storeVisits = { ...member.storeVisits, [store._id]: (member.storeVisits[store._id] ?? 0) + 1 }
      const autoTags = computeAutoTags(
        { joinedAt: new Date(member.createdAt), lastVisitAt: now, totalSpentFen: member.totalSpentFen, birthday: member.birthday, referrerOpenid: member.referrerOpenid, storeVisits },
        settings,
        now,
      )
      await t.collection(COLLECTIONS.members).doc(memberId).update({
        data: {
          points: member.points + toBalance,
          pointsDebt: member.pointsDebt - debtPaid,
          visitCount: member.visitCount + 1,
          lastVisitAt: now,
          storeVisits,
          autoTags,
          autoTagsStamp: tagStamp(settings, now),
          updatedAt: now,
        },
      })
      if (points > 0) {
        // The ledger id carries no openid (a deleted membership's ledger stays, pseudonymised).
        const line: LedgerDoc = { _id: `checkin:${store._id}:${day}:${randomBytes(6).toString('hex')}`, memberId, delta: toBalance, debtDelta: -debtPaid, balanceAfter: member.points + toBalance, kind: 'checkin', title: `${CHECKIN_TITLE}·${store.name}`, createdAt: now }
        await t.collection(COLLECTIONS.pointsLedger).add({ data: line })
      }
      const doc: CheckinDoc = {
        _id: id,
        storeId: store._id,
        openid: req.openid,
        day,
        kind: config.gift.kind,
        points,
        couponId: coupon?.couponId ?? null,
        couponTitle: coupon?.title ?? null,
        distanceM: distance,
        createdAt: now,
      }
      await t.collection(COLLECTIONS.checkins).add({ data: doc })
      if (hook) await hook(t, doc, now)
      return { storeName: store.name, day, kind: doc.kind, points, couponId: doc.couponId, couponTitle: doc.couponTitle, couponRefusal, distanceM: distance }
    })
  } catch (e) {
    if (e instanceof AppError) throw e
    // A concurrent scan that won the race surfaces as a conflict or a duplicate key: the day's check-in exists.
    if (await getDoc<CheckinDoc>(db, COLLECTIONS.checkins, id)) throw new AppError('ALREADY_CHECKED_IN')
    throw e
  }
}
