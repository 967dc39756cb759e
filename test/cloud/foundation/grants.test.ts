import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { runTransaction, txGet } from '../../../cloudfunctions/services/db-util'
import { memberIdOf, type MemberDoc } from '../../../cloudfunctions/services/documents'
import { grantCouponInTx, revokeGrantedCoupon } from '../../../cloudfunctions/services/coupon-grant'
import { chanceBalance, grantChances, revokeChances, spendChance } from '../../../cloudfunctions/services/chances'
import { bumpCounters, chinaDay, readCounters } from '../../../cloudfunctions/services/day-counters'
import { creditPoints, spendPoints } from '../../../cloudfunctions/services/points'
import { getMember, insertMember, ledgerSums, seedOrg, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'
import { activeTemplate, count, couponDoc, setFields, templateDoc } from '../coupons/helpers'

/** The shared marketing primitives, run as the features run them: inside transactions, many at once. */
let c: AdminCloud
let org: Org

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

const grant = (templateId: string, openid: string, cause: string, respectMemberLimit = false) =>
  runTransaction(c.db, (t) => grantCouponInTx(t, { templateId, openid, cause, source: 'reward', now: new Date(), respectMemberLimit }))

describe('grantCouponInTx', () => {
  it('40 concurrent grants against a stock of 10 issue exactly 10 coupons, and never below zero', async () => {
    const tpl = await activeTemplate(c, org, { title: '奖励券', stock: 10 })
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => grant(tpl.id, `o-g${i}`, `reward:o${i}:r1`)))
    expect(outcomes.filter((o) => o.ok).length).toBe(10)
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.reason)).toEqual(Array(30).fill('SOLD_OUT'))
    expect((await templateDoc(c, tpl.id)).remaining).toBe(0)
    expect(await count(c, COLLECTIONS.coupons, { templateId: tpl.id })).toBe(10)
    expect(await count(c, COLLECTIONS.couponGrants, { templateId: tpl.id })).toBe(10)
  })

  it('one cause grants once however often it is replayed at once', async () => {
    const tpl = await activeTemplate(c, org, { title: '一次券', stock: 50 })
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => grant(tpl.id, 'o-replay', 'reward:same-order:r1')))
    expect(outcomes.filter((o) => o.ok).length).toBe(1)
    expect(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.reason === 'ALREADY')).toBe(true)
    expect((await templateDoc(c, tpl.id)).remaining).toBe(49)
  })

  it('with the member limit, concurrent grants to one member stop at the limit and take claim slots', async () => {
    const tpl = await activeTemplate(c, org, { title: '限领券', stock: 50, perMemberLimit: 2 })
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => grant(tpl.id, 'o-limited', `campaign:c${i}:o-limited`, true)))
    expect(outcomes.filter((o) => o.ok).length).toBe(2)
    expect(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.reason === 'LIMIT_REACHED')).toBe(true)
    expect(await count(c, COLLECTIONS.couponClaims, { templateId: tpl.id, openid: 'o-limited' })).toBe(2)
  })

  it('refuses a template that is not active or does not exist, writing nothing', async () => {
    const tpl = await activeTemplate(c, org, { title: '暂停券', stock: 5 })
    await c.ok(org.owner, 'couponTemplates.setStatus', { templateId: tpl.id, to: 'paused' })
    expect(await grant(tpl.id, 'o-x', 'reward:paused')).toEqual({ ok: false, reason: 'TEMPLATE_NOT_ACTIVE' })
    expect(await grant('no-such-template', 'o-x', 'reward:missing')).toEqual({ ok: false, reason: 'NOT_FOUND' })
    expect(await count(c, COLLECTIONS.couponGrants, { openid: 'o-x' })).toBe(0)
    expect((await templateDoc(c, tpl.id)).remaining).toBe(5)
  })

  it('revoking takes back an unused coupon (stock and slot back) and leaves a used one, saying so', async () => {
    const tpl = await activeTemplate(c, org, { title: '可撤回', stock: 5, perMemberLimit: 1 })
    const a = await grant(tpl.id, 'o-rv', 'reward:rv1', true)
    if (!a.ok) throw new Error('grant failed')
    expect(await runTransaction(c.db, (t) => revokeGrantedCoupon(t, 'reward:rv1', new Date()))).toBe('revoked')
    expect((await templateDoc(c, tpl.id)).remaining).toBe(5)
    expect(await count(c, COLLECTIONS.couponClaims, { templateId: tpl.id })).toBe(0)
    expect(new Date((await couponDoc(c, a.coupon._id)).validUntil).getTime()).toBeLessThanOrEqual(Date.now())
    expect(await runTransaction(c.db, (t) => revokeGrantedCoupon(t, 'reward:rv1', new Date()))).toBe('none')

    const b = await grant(tpl.id, 'o-rv2', 'reward:rv2')
    if (!b.ok) throw new Error('grant failed')
    await setFields(c, COLLECTIONS.coupons, b.coupon._id, { status: 'used', usedAt: new Date() })
    expect(await runTransaction(c.db, (t) => revokeGrantedCoupon(t, 'reward:rv2', new Date()))).toBe('used')
    expect((await templateDoc(c, tpl.id)).remaining).toBe(4)
  })

  it('a grant inside a transaction that fails later leaves nothing behind', async () => {
    const tpl = await activeTemplate(c, org, { title: '回滚券', stock: 3 })
    await expect(
      runTransaction(c.db, async (t) => {
        await grantCouponInTx(t, { templateId: tpl.id, openid: 'o-rb', cause: 'reward:rb', source: 'game', now: new Date() })
        throw new Error('injected fault after the grant')
      }),
    ).rejects.toThrow('injected fault')
    expect((await templateDoc(c, tpl.id)).remaining).toBe(3)
    expect(await count(c, COLLECTIONS.coupons, { templateId: tpl.id })).toBe(0)
    expect(await count(c, COLLECTIONS.couponGrants, { _id: 'reward:rb' })).toBe(0)
  })
})

describe('game chances', () => {
  it('a grant replayed at once counts once; 10 concurrent plays with 3 chances spend exactly 3', async () => {
    const tx = (f: Parameters<typeof runTransaction>[1]) => runTransaction(c.db, f)
    const grants = await Promise.all(Array.from({ length: 8 }, () => tx((t) => grantChances(t, { gameId: 'g1', openid: 'o-ch', count: 3, cause: 'reward:ord-1:rule-1', source: 'reward', now: new Date() }))))
    expect(grants.filter(Boolean).length).toBe(1)
    expect(await chanceBalance(c.db, 'g1', 'o-ch')).toBe(3)
    const spends = await Promise.all(Array.from({ length: 10 }, (_, i) => tx((t) => spendChance(t, { gameId: 'g1', openid: 'o-ch', cause: `play:g1:o-ch:${i}`, now: new Date() }))))
    expect(spends.filter(Boolean).length).toBe(3)
    expect(await chanceBalance(c.db, 'g1', 'o-ch')).toBe(0)
  })

  it('revoking a grant takes back only the unplayed chances', async () => {
    const tx = (f: Parameters<typeof runTransaction>[1]) => runTransaction(c.db, f)
    await tx((t) => grantChances(t, { gameId: 'g2', openid: 'o-rc', count: 3, cause: 'reward:ord-2:rule-1', source: 'reward', now: new Date() }))
    await tx((t) => spendChance(t, { gameId: 'g2', openid: 'o-rc', cause: 'play:g2:o-rc:1', now: new Date() }))
    expect(await tx((t) => revokeChances(t, 'reward:ord-2:rule-1', new Date()))).toEqual({ revoked: 2, alreadySpent: 1 })
    expect(await chanceBalance(c.db, 'g2', 'o-rc')).toBe(0)
    expect(await tx((t) => revokeChances(t, 'reward:ord-2:rule-1', new Date()))).toEqual({ revoked: 0, alreadySpent: 0 })
  })
})

describe('points moved by features', () => {
  it('concurrent spends never overdraw, and every move has its ledger line', async () => {
    await insertMember(c.db, 'o-pts', '70000001', { points: 100 })
    const spend = (i: number) =>
      runTransaction(c.db, async (t) => {
        const member = (await txGet<MemberDoc>(t, COLLECTIONS.members, memberIdOf('o-pts')))!
        return spendPoints(t, member, 30, { _id: `exchange:o-pts:${i}`, kind: 'exchange', title: '积分兑换' }, new Date())
      })
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => spend(i)))
    expect(results.filter((r) => r !== null).length).toBe(3)
    const after = await getMember(c.db, 'o-pts')
    expect(after.points).toBe(10)
    expect(await ledgerSums(c.db, after._id)).toMatchObject({ delta: -90, lines: 3 })
    await runTransaction(c.db, async (t) => {
      const member = (await txGet<MemberDoc>(t, COLLECTIONS.members, after._id))!
      await creditPoints(t, member, 25, { _id: 'checkin:o-pts:20261202:s1', kind: 'checkin', title: '到店签到' }, new Date())
    })
    expect((await getMember(c.db, 'o-pts')).points).toBe(35)
  })
})

describe('day counters', () => {
  it('concurrent bumps in transactions add up across shards, negative deltas included', async () => {
    const now = new Date()
    const day = chinaDay(now)
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        runTransaction(c.db, (t) => bumpCounters(t, ['store:s-count', 'all'], now, { orders: 1, salesFen: 1000 + i, refunds: i % 10 === 0 ? 1 : 0 })),
      ),
    )
    await runTransaction(c.db, (t) => bumpCounters(t, ['store:s-count'], now, { orders: -1, salesFen: -1000 }))
    const [figures] = await readCounters(c.db, 'store:s-count', day, day)
    expect(figures).toEqual({ day, n: { orders: 29, salesFen: 30 * 1000 + 435 - 1000, refunds: 3 } })
    expect((await readCounters(c.db, 'all', day, day))[0].n.orders).toBe(30)
    expect(await readCounters(c.db, 'store:s-count', '20000101', '20000131')).toEqual([])
  })

  it('China day boundary: 15:59:59 UTC is one day, 16:00 UTC the next', () => {
    expect(chinaDay(new Date('2026-12-01T15:59:59.999Z'))).toBe('20261201')
    expect(chinaDay(new Date('2026-12-01T16:00:00.000Z'))).toBe('20261202')
  })
})
