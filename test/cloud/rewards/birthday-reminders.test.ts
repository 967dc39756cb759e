import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import type { ActionContext } from '../../../cloudfunctions/shared/handler'
import { grantBirthdayGift } from '../../../cloudfunctions/services/birthday'
import { grantRewardCoupon } from '../../../cloudfunctions/services/reward-grant'
import { rewardRemindersPass } from '../../../cloudfunctions/services/reward-reminders'
import { creditsOf, recordConsents } from '../../../cloudfunctions/services/reminders'
import { all, insertMember, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'
import { activeTemplate, count, member, setFields } from '../coupons/helpers'

// In-process there is no deployed configuration: the template id lookup answers a fixed id (as test/cloud/foundation/reminders.test.ts).
jest.mock('../../../cloudfunctions/services/subscribe-templates', () => {
  const actual = jest.requireActual('../../../cloudfunctions/services/subscribe-templates')
  return { ...actual, subscribeTemplateId: (key: string) => `tpl-${key}` }
})

/** 生日礼 and the rewards reminders (issue 13), on a chosen clock. */
let c: AdminCloud
let org: Org
let fnDb: any
let templateId = ''
const sent: { touser: string; templateId: string; data: Record<string, { value: string }> }[] = []
const refused = new Set<string>()

const ctxAt = (now: Date): ActionContext =>
  ({
    caller: { openid: '' },
    db: fnDb,
    now: () => now,
    cloud: {
      openapi: {
        subscribeMessage: {
          send: async (p: { touser: string; templateId: string; data: Record<string, { value: string }> }) => {
            if (refused.has(p.touser)) throw Object.assign(new Error('errCode: 43101 user refuse to accept the msg'), { errCode: 43101 })
            sent.push(p)
            return { errCode: 0, msgid: sent.length }
          },
        },
      },
    },
  }) as unknown as ActionContext

// 2026-03-10 12:00 China.
const MARCH = new Date('2026-03-10T04:00:00.000Z')

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  fnDb = (c.sdk.database as (config: object) => unknown)({ throwOnNotFound: false })
  templateId = (await activeTemplate(c, org, { title: '生日五折券', stock: 100 })).id
  await c.ok(org.owner, 'rewards.setBirthday', { templateId, grantWhenSetInMonth: false })
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

describe('birthday coupon', () => {
  it('once per year across the lazy path and the timer racing (12 at once), again next year, none outside the month', async () => {
    await insertMember(c.db, 'o-bd-race', '80000001', { birthday: '03-15' })
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => grantBirthdayGift(fnDb, 'o-bd-race', MARCH, i % 2 ? 'timer' : 'open', grantRewardCoupon)))
    expect(outcomes.filter((o) => o.created)).toHaveLength(1)
    expect(new Set(outcomes.map((o) => o.grant?.couponId)).size).toBe(1)
    expect(await count(c, COLLECTIONS.coupons, { openid: 'o-bd-race', templateId })).toBe(1)
    expect(await all(c.db, COLLECTIONS.birthdayGrants, { openid: 'o-bd-race' })).toEqual([expect.objectContaining({ _id: 'o-bd-race:2026', year: 2026 })])
    // April: not the month. March next year: the next one.
    expect(await grantBirthdayGift(fnDb, 'o-bd-race', new Date('2026-04-02T04:00:00.000Z'), 'open', grantRewardCoupon)).toMatchObject({ grant: null, blocked: 'notMonth' })
    expect((await grantBirthdayGift(fnDb, 'o-bd-race', new Date('2027-03-01T04:00:00.000Z'), 'open', grantRewardCoupon)).created).toBe(true)
    expect(await count(c, COLLECTIONS.coupons, { openid: 'o-bd-race', templateId })).toBe(2)
  }, 120_000)

  it('the China month boundary: 2026-02-28 23:59 China is February, 00:00 is March', async () => {
    await insertMember(c.db, 'o-bd-edge', '80000002', { birthday: '03-01' })
    expect(await grantBirthdayGift(fnDb, 'o-bd-edge', new Date('2026-02-28T15:59:59.000Z'), 'open', grantRewardCoupon)).toMatchObject({ grant: null, blocked: 'notMonth' })
    expect((await grantBirthdayGift(fnDb, 'o-bd-edge', new Date('2026-02-28T16:00:00.000Z'), 'open', grantRewardCoupon)).created).toBe(true)
  })

  it('a birthday set during its own month grants that year only if the merchant allows', async () => {
    await insertMember(c.db, 'o-bd-gamer', '80000003', { birthday: '03-20', birthdaySetAt: new Date('2026-03-05T02:00:00.000Z') } as never)
    const before = await snapshot(c.db)
    expect(await grantBirthdayGift(fnDb, 'o-bd-gamer', MARCH, 'open', grantRewardCoupon)).toMatchObject({ grant: null, blocked: 'setThisMonth' })
    expect(await snapshot(c.db)).toBe(before)
    // Next year it is an ordinary birthday.
    expect((await grantBirthdayGift(fnDb, 'o-bd-gamer', new Date('2027-03-02T04:00:00.000Z'), 'open', grantRewardCoupon)).created).toBe(true)
    await c.ok(org.owner, 'rewards.setBirthday', { templateId, grantWhenSetInMonth: true })
    await insertMember(c.db, 'o-bd-allowed', '80000004', { birthday: '03-20', birthdaySetAt: new Date('2026-03-05T02:00:00.000Z') } as never)
    expect((await grantBirthdayGift(fnDb, 'o-bd-allowed', MARCH, 'open', grantRewardCoupon)).created).toBe(true)
    await c.ok(org.owner, 'rewards.setBirthday', { templateId, grantWhenSetInMonth: false })
  })

  it('member.birthdayGift (opening the card) answers the gift, and nothing for a visitor or no birthday', async () => {
    expect(await member(c, 'o-bd-visitor', 'birthdayGift')).toMatchObject({ ok: true, data: { gift: null, blocked: 'notMember' } })
    await insertMember(c.db, 'o-bd-none', '80000005')
    expect(await member(c, 'o-bd-none', 'birthdayGift')).toMatchObject({ ok: true, data: { gift: null, blocked: 'noBirthday' } })
  })
})

describe('rewards reminders (daily timer)', () => {
  it('grants ahead, sends the birthday and expiring-coupon reminders once per cause, only with a credit; 43101 zeroes', async () => {
    sent.length = 0
    await insertMember(c.db, 'o-rm-consented', '80000011', { birthday: '03-28' })
    await insertMember(c.db, 'o-rm-silent', '80000012', { birthday: '03-29' })
    await insertMember(c.db, 'o-rm-refuser', '80000013', { birthday: '03-30' })
    await recordConsents(fnDb, 'o-rm-consented', ['birthday', 'couponExpiring'], MARCH)
    await recordConsents(fnDb, 'o-rm-refuser', ['birthday', 'birthday'], MARCH)
    refused.add('o-rm-refuser')
    const pass = await rewardRemindersPass(ctxAt(MARCH))
    // Each birthday member of March got the coupon ahead of opening the card.
    for (const openid of ['o-rm-consented', 'o-rm-silent', 'o-rm-refuser']) expect([openid, await count(c, COLLECTIONS.birthdayGrants, { openid })]).toEqual([openid, 1])
    expect(pass.birthdayGranted).toBeGreaterThanOrEqual(3)
    const birthdaySends = sent.filter((s) => s.templateId === 'tpl-birthday')
    expect(birthdaySends.map((s) => s.touser)).toEqual(['o-rm-consented'])
    expect(birthdaySends[0].data.thing2.value).toBe('生日五折券')
    expect((await creditsOf(fnDb, 'o-rm-consented')).birthday).toBe(0)
    expect((await creditsOf(fnDb, 'o-rm-refuser')).birthday).toBe(0)
    // The consented member's birthday coupon ends within 3 days: the expiring reminder (marketing)
    // meets the daily cap of 1 (the birthday one was sent today), so it waits for tomorrow.
    const [coupon] = await all(c.db, COLLECTIONS.coupons, { openid: 'o-rm-consented' })
    await setFields(c, COLLECTIONS.coupons, coupon._id, { validUntil: new Date(MARCH.getTime() + 2 * 86_400_000) })
    const again = await rewardRemindersPass(ctxAt(MARCH))
    expect(again.birthdayGranted).toBe(0)
    expect(again.birthdayReminded).toBe(0)
    expect(sent.filter((s) => s.templateId === 'tpl-couponExpiring')).toHaveLength(0)
    const tomorrow = new Date(MARCH.getTime() + 86_400_000)
    const next = await rewardRemindersPass(ctxAt(tomorrow))
    expect(next.expiringReminded).toBe(1)
    const expiring = sent.filter((s) => s.templateId === 'tpl-couponExpiring')
    expect(expiring.map((s) => [s.touser, s.data.thing1.value])).toEqual([['o-rm-consented', '生日五折券']])
    // Once per cause: the next day's run sends nothing more.
    await rewardRemindersPass(ctxAt(new Date(tomorrow.getTime() + 3_600_000)))
    expect(sent.filter((s) => s.templateId === 'tpl-couponExpiring')).toHaveLength(1)
  }, 180_000)
})
