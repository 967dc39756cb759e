import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { chinaParts, isBirthdayMonth } from '../../miniprogram/shared/reward-rules'
import { getDoc, runTransaction, txGet } from './db-util'
import { memberIdOf, type MemberDoc } from './documents'
import type { BirthdayGrantDoc } from './reward-docs'
import type { RewardCouponGrant } from './reward-grant'
import { loadBirthday } from './reward-settings'
import type { BirthdayConfig } from '../../miniprogram/shared/reward-rules'

/**
 * 生日礼 (issue 13): the birthday coupon, once per member per year, in the birthday month (China
 * time). Granted lazily when the member opens the card, and ahead of that by the daily timer;
 * both go through here, and the grant document `birthday_grants/<openid>:<year>` (with the
 * coupon's own cause `birthday:<openid>:<year>`) makes whichever comes first the only one.
 */

export const birthdayGrantId = (openid: string, year: number): string => `${openid}:${year}`
export const birthdayCause = (openid: string, year: number): string => `birthday:${openid}:${year}`

/** The member document's extra field (member.setBirthday stamps it): when the birthday was set. */
export type MemberWithBirthdaySet = MemberDoc & { birthdaySetAt?: Date | string | null }

/**
 * Why this member gets no birthday gift now (null: they do). A birthday set during its own month
 * counts from next year unless the merchant allows it (the birthday is set once; setting it to
 * this month to collect a coupon is the gaming this rule refuses).
 */
export function birthdayBlocked(member: MemberWithBirthdaySet | null, config: BirthdayConfig, now: Date): 'off' | 'notMember' | 'noBirthday' | 'notMonth' | 'setThisMonth' | null {
  if (!config.templateId) return 'off'
  if (!member) return 'notMember'
  if (!member.birthday) return 'noBirthday'
  if (!isBirthdayMonth(member.birthday, now)) return 'notMonth'
  if (member.birthdaySetAt && !config.grantWhenSetInMonth) {
    const set = chinaParts(new Date(member.birthdaySetAt))
    const today = chinaParts(now)
    if (set.year === today.year && set.month === today.month) return 'setThisMonth'
  }
  return null
}

export interface BirthdayOutcome {
  grant: BirthdayGrantDoc | null
  /** This call made the grant (a reminder may follow); false = it existed, or none is due. */
  created: boolean
  blocked: ReturnType<typeof birthdayBlocked>
}

export async function grantBirthdayGift(db: Database, openid: string, requested: Date, via: BirthdayGrantDoc['via'], grantCoupon: RewardCouponGrant, known?: { member: MemberWithBirthdaySet | null; config: BirthdayConfig }): Promise<BirthdayOutcome> {
  const [member, config] = known ? [known.member, known.config] : await Promise.all([getDoc<MemberWithBirthdaySet>(db, COLLECTIONS.members, memberIdOf(openid)), loadBirthday(db)])
  const year = chinaParts(requested).year
  const id = birthdayGrantId(openid, year)
  // Outside the month (or with the benefit off) there is nothing to grant or show.
  const blocked = birthdayBlocked(member, config, requested)
  if (blocked === 'off' || blocked === 'notMember' || blocked === 'noBirthday' || blocked === 'notMonth') return { grant: null, created: false, blocked }
  const existing = await getDoc<BirthdayGrantDoc>(db, COLLECTIONS.birthdayGrants, id)
  if (existing) return { grant: existing, created: false, blocked: null }
  if (blocked || !config.templateId) return { grant: null, created: false, blocked }
  const templateId = config.templateId
  try {
    return await runTransaction(db, async (t) => {
      const again = await txGet<BirthdayGrantDoc>(t, COLLECTIONS.birthdayGrants, id)
      if (again) return { grant: again, created: false, blocked: null }
      const granted = await grantCoupon(t, { templateId, openid, cause: birthdayCause(openid, year), source: 'birthday', now: requested })
      // Sold out or ended: nothing is recorded, so a later open (after the merchant adds stock) still grants.
      if (!('couponId' in granted)) return { grant: null, created: false, blocked: null }
      const doc: BirthdayGrantDoc = { _id: id, openid, year, templateId, couponId: granted.couponId, via, createdAt: requested }
      await t.collection(COLLECTIONS.birthdayGrants).add({ data: doc })
      return { grant: doc, created: true, blocked: null }
    })
  } catch (e) {
    // The other path (timer or another open) won the race: its grant is the year's.
    const won = await getDoc<BirthdayGrantDoc>(db, COLLECTIONS.birthdayGrants, id)
    if (won) return { grant: won, created: false, blocked: null }
    throw e
  }
}
