/**
 * The refusal records expire (issue 17, chain gaps): the cloud database has no TTL index, so
 * failed-attempt slots and refused cashier attempts are removed lazily by the writes that add
 * new ones, and expired refusals are never shown meanwhile.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { chinaMinute } from '../../../cloudfunctions/services/attempt-limit'
import { CASHIER_ATTEMPT_RETENTION_MS } from '../../../cloudfunctions/services/retention'
import { all, insertMember, memberCode, seedCodeSecret, seedOrg, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'

let c: AdminCloud
let org: Org
const MANAGER_MEMBER_NO = '30400002'
const MEMBER_NO = '30400001'
const DAY = 24 * 3_600_000

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  await seedCodeSecret(c.db)
  await insertMember(c.db, 'o-expiry-customer', MEMBER_NO, { phone: '13912350001', firstStoreId: org.storeA })
  await insertMember(c.db, org.manager, MANAGER_MEMBER_NO, { phone: '13912350002', firstStoreId: org.storeA })
})
afterAll(async () => {
  await c?.stop()
})

let seq = 0
const rid = () => `expiry-${Date.now().toString(36)}-${++seq}`

async function seedSlot(staffOpenid: string, at: Date, n = 0): Promise<string> {
  const minute = chinaMinute(at)
  const id = `${staffOpenid}:${minute}:${n}`
  await c.db.collection(COLLECTIONS.attemptSlots).add({ data: { _id: id, key: 'old', staffOpenid, minute, createdAt: at } })
  return id
}

describe('failed-attempt slots', () => {
  it('are swept when a new minute’s first slot is taken, keeping this and the previous minute', async () => {
    const now = Date.now()
    const old = [
      await seedSlot('o-gone-staff', new Date(now - 3 * DAY)),
      await seedSlot('o-gone-staff', new Date(now - 3 * DAY), 1),
      await seedSlot(org.clerk, new Date(now - 10 * 60_000)),
      await seedSlot('o-other-staff', new Date(now - 3 * 60_000)),
    ]
    const recent = await seedSlot('o-other-staff', new Date(now - 60_000))
    // A wrong typed number: the manager takes this minute's first slot.
    const res = await c.admin(org.manager, 'members.lookup', { memberNo: '49999999' })
    expect(res).toMatchObject({ ok: true })
    const ids = (await all(c.db, COLLECTIONS.attemptSlots)).map((s) => s._id)
    for (const id of old) expect(ids).not.toContain(id)
    expect(ids).toContain(recent)
    expect(ids.filter((id) => id.startsWith(`${org.manager}:`))).toHaveLength(1)
  })

  it('still limits a parallel burst while sweeping (many first slots at once)', async () => {
    const now = Date.now()
    for (let i = 0; i < 20; i += 1) await seedSlot(`o-stale-${i}`, new Date(now - 5 * DAY))
    await c.ok(org.owner, 'settings.update', { cashier: { approvalAboveFen: 50_000, clerkDailyCapFen: 500_000_000, storeDailyCapFen: 900_000_000, typedNumberCheck: 'phoneLast4', failedAttemptsPerMinute: 4 } })
    const hunters = [org.hq, org.owner, org.clerk]
    const results = await Promise.all(hunters.flatMap((h) => Array.from({ length: 12 }, (_, i) => c.admin(h, 'members.lookup', { memberNo: String(48_000_000 + i) }))))
    // Each guess is looked at (finding nobody) or refused by the limit; nothing else.
    for (const r of results) if (!r.ok) expect(r.code).toBe('TOO_MANY_ATTEMPTS')
    const slots = await all(c.db, COLLECTIONS.attemptSlots)
    expect(slots.filter((s) => s.staffOpenid.startsWith('o-stale-'))).toEqual([])
    for (const h of hunters) {
      const perMinute = new Map<string, number>()
      for (const s of slots.filter((x) => x.staffOpenid === h)) perMinute.set(s.minute, (perMinute.get(s.minute) ?? 0) + 1)
      for (const n of perMinute.values()) expect(n).toBeLessThanOrEqual(4)
    }
    // At most 4 per minute each (8 across a minute boundary) of the 12 guesses got through.
    expect(results.filter((r) => !r.ok).length).toBeGreaterThanOrEqual(hunters.length * (12 - 8))
    await c.ok(org.owner, 'settings.update', { cashier: { approvalAboveFen: 50_000, clerkDailyCapFen: 500_000_000, storeDailyCapFen: 900_000_000, typedNumberCheck: 'managerApproval', failedAttemptsPerMinute: 10 } })
  })
})

describe('refused cashier attempts', () => {
  it('expire after the retention: hidden at once, removed by the next refusal', async () => {
    const base = { staffOpenid: org.clerk, staffName: '店员小赵', staffRole: 'clerk', storeId: org.storeA, amountFen: 100, code: 'CASHIER_SELF', message: '不能为自己的会员账户记录消费' }
    const member = (await all(c.db, COLLECTIONS.members, { memberNo: MEMBER_NO }))[0]
    const expired = await c.db.collection(COLLECTIONS.cashierAttempts).add({ data: { ...base, memberId: member._id, memberNo: MEMBER_NO, amountFen: 111, createdAt: new Date(Date.now() - CASHIER_ATTEMPT_RETENTION_MS - DAY) } })
    const kept = await c.db.collection(COLLECTIONS.cashierAttempts).add({ data: { ...base, memberId: member._id, memberNo: MEMBER_NO, amountFen: 222, createdAt: new Date(Date.now() - CASHIER_ATTEMPT_RETENTION_MS + DAY) } })
    // Before any sweep the profile already leaves the expired line out.
    const profile = await c.ok(org.manager, 'members.profile', { memberNo: MEMBER_NO, page: 1 })
    const texts = profile.cashierLog.map((l: any) => l.text).join('\n')
    expect(texts).toContain('¥2.22')
    expect(texts).not.toContain('¥1.11')
    // A new refusal (the manager for their own membership) sweeps the expired one.
    expect(await c.admin(org.manager, 'cashier.capture', { storeId: org.storeA, amountFen: 100, memberCode: memberCode(MANAGER_MEMBER_NO), clientRequestId: rid() })).toMatchObject({ ok: false, code: 'CASHIER_SELF' })
    const ids = (await all(c.db, COLLECTIONS.cashierAttempts)).map((a) => a._id)
    expect(ids).not.toContain(expired._id)
    expect(ids).toContain(kept._id)
    expect((await all(c.db, COLLECTIONS.cashierAttempts, { memberNo: MANAGER_MEMBER_NO })).length).toBe(1)
  })
})
