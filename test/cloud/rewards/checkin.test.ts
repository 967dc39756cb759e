import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { checkIn } from '../../../cloudfunctions/services/checkin'
import { checkinScene } from '../../../miniprogram/shared/reward-rules'
import { all, getMember, insertMember, ledgerSums, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'
import { member } from '../coupons/helpers'

let c: AdminCloud
let org: Org
let fnDb: any

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  // The functions' SDK answers null for a missing document (cloudfunctions/shared/cloud.ts); in-process calls need the same.
  fnDb = (c.sdk.database as (config: object) => unknown)({ throwOnNotFound: false })
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

const sceneA = () => checkinScene(org.storeA)
const sceneB = () => checkinScene(org.storeB)

async function enable(extra: Record<string, unknown> = {}) {
  await c.ok(org.owner, 'rewards.setCheckin', { enabled: true, gift: { kind: 'points', points: 20 }, radiusM: null, requireLocation: false, ...extra })
}

describe('store check-in', () => {
  it('is closed until the merchant enables it, and a non-member is invited to pay', async () => {
    await insertMember(c.db, 'o-ci-early', '50000001')
    const before = await snapshot(c.db)
    expect(await member(c, 'o-ci-early', 'checkin', { scene: sceneA() })).toMatchObject({ ok: false, code: 'CHECKIN_CLOSED' })
    expect(await snapshot(c.db)).toBe(before)
    await enable()
    const info = await c.invoke('member', 'checkinInfo', { scene: sceneA() }, 'o-ci-visitor')
    expect(info).toMatchObject({ ok: true, data: { storeName: '徐汇店', enabled: true, isMember: false, checkedInToday: false, giftLabel: '20 积分' } })
    const afterEnable = await snapshot(c.db)
    expect(await member(c, 'o-ci-visitor', 'checkin', { scene: sceneA() })).toMatchObject({ ok: false, code: 'NOT_MEMBER' })
    expect(await snapshot(c.db)).toBe(afterEnable)
  })

  it('20 concurrent scans of one store by one member check in once: one ledger line, one visit', async () => {
    await enable()
    await insertMember(c.db, 'o-ci-burst', '50000002', { points: 5 })
    const results = await Promise.all(Array.from({ length: 20 }, () => member(c, 'o-ci-burst', 'checkin', { scene: sceneA() })))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(new Set(results.filter((r) => !r.ok).map((r: any) => r.code))).toEqual(new Set(['ALREADY_CHECKED_IN']))
    const m = await getMember(c.db, 'o-ci-burst')
    expect([m.points, m.visitCount, m.storeVisits[org.storeA]]).toEqual([25, 1, 1])
    expect(m.lastVisitAt).not.toBeNull()
    expect(await ledgerSums(c.db, m._id)).toMatchObject({ delta: 20, debt: 0, lines: 1 })
    expect(await all(c.db, COLLECTIONS.checkins, { openid: 'o-ci-burst' })).toHaveLength(1)
    // Another store the same day is its own check-in.
    expect(await member(c, 'o-ci-burst', 'checkin', { scene: sceneB() })).toMatchObject({ ok: true, data: { points: 20, storeName: '静安店' } })
    const info = await c.invoke('member', 'checkinInfo', { scene: sceneA() }, 'o-ci-burst')
    expect(info).toMatchObject({ ok: true, data: { checkedInToday: true, isMember: true } })
  }, 120_000)

  it('points first pay off a recorded debt (the refund rule), the ledger line says so', async () => {
    await enable()
    await insertMember(c.db, 'o-ci-debtor', '50000003', { points: 0, pointsDebt: 15 })
    expect(await member(c, 'o-ci-debtor', 'checkin', { scene: sceneA() })).toMatchObject({ ok: true })
    const m = await getMember(c.db, 'o-ci-debtor')
    expect([m.points, m.pointsDebt]).toEqual([5, 0])
    expect(await ledgerSums(c.db, m._id)).toMatchObject({ delta: 5, debt: -15, lines: 1 })
  })

  it('checks the distance on the server (haversine) when the merchant sets a radius', async () => {
    await enable({ radiusM: 200, requireLocation: true })
    await insertMember(c.db, 'o-ci-far', '50000004')
    const before = await snapshot(c.db)
    // The store is at 31.19, 121.43; 0.01° of latitude is about 1.1 km.
    expect(await member(c, 'o-ci-far', 'checkin', { scene: sceneA(), location: { latitude: 31.2, longitude: 121.43 } })).toMatchObject({ ok: false, code: 'TOO_FAR' })
    expect(await member(c, 'o-ci-far', 'checkin', { scene: sceneA() })).toMatchObject({ ok: false, code: 'LOCATION_REQUIRED' })
    expect(await snapshot(c.db)).toBe(before)
    const near = await member(c, 'o-ci-far', 'checkin', { scene: sceneA(), location: { latitude: 31.1905, longitude: 121.43 } })
    expect(near).toMatchObject({ ok: true, data: { distanceM: 56 } })
    // Without requireLocation, no location is the merchant's "allow".
    await enable({ radiusM: 200, requireLocation: false })
    await insertMember(c.db, 'o-ci-noloc', '50000005')
    expect(await member(c, 'o-ci-noloc', 'checkin', { scene: sceneA() })).toMatchObject({ ok: true, data: { distanceM: null } })
  })

  it('refuses bad scenes and positions with specific codes, changing nothing', async () => {
    await enable()
    await insertMember(c.db, 'o-ci-bad', '50000006')
    const before = await snapshot(c.db)
    for (const input of [{ scene: 's=zz' }, { scene: '' }, { scene: sceneA(), location: { latitude: 91, longitude: 0 } }, { scene: sceneA(), extra: 1 }]) {
      expect([input, await member(c, 'o-ci-bad', 'checkin', input)]).toEqual([input, expect.objectContaining({ ok: false, code: 'INVALID_INPUT' })])
    }
    expect(await member(c, 'o-ci-bad', 'checkin', { scene: 's=0123456789abcdef' })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await member(c, '', 'checkin', { scene: sceneA() })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })
    expect(await snapshot(c.db)).toBe(before)
  })

  it('the China-time day boundary: 23:59:59 and 00:00:00 (UTC+8) are two days; 00:00:01 is the second again', async () => {
    await enable()
    await insertMember(c.db, 'o-ci-midnight', '50000007')
    const req = { openid: 'o-ci-midnight', storeId: org.storeA, location: null }
    // 2026-03-01 23:59:59 China = 15:59:59Z.
    const lateNight = new Date('2026-03-01T15:59:59.000Z')
    const first = await checkIn(fnDb, req, lateNight, null)
    expect(first.day).toBe('20260301')
    await expect(checkIn(fnDb, req, new Date('2026-03-01T15:59:59.900Z'), null)).rejects.toMatchObject({ code: 'ALREADY_CHECKED_IN' })
    const next = await checkIn(fnDb, req, new Date('2026-03-01T16:00:00.000Z'), null)
    expect(next.day).toBe('20260302')
    await expect(checkIn(fnDb, req, new Date('2026-03-01T16:00:01.000Z'), null)).rejects.toMatchObject({ code: 'ALREADY_CHECKED_IN' })
    // 07:59 UTC is still the same China day; UTC midnight is not a boundary.
    await expect(checkIn(fnDb, req, new Date('2026-03-02T15:59:00.000Z'), null)).rejects.toMatchObject({ code: 'ALREADY_CHECKED_IN' })
    const m = await getMember(c.db, 'o-ci-midnight')
    expect([m.points, m.visitCount]).toEqual([40, 2])
  })
})
