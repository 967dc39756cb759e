import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { exchangeItem } from '../../../cloudfunctions/services/points-shop'
import { grantRewardCoupon, type RewardCouponGrant } from '../../../cloudfunctions/services/reward-grant'
import { all, getMember, insertMember, ledgerSums, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'
import { activeTemplate, count, member, setFields, templateDoc } from '../coupons/helpers'

/** 积分兑换 (issue 13): points and coupon together or not at all; concurrent exchanges never overdraw. */
let c: AdminCloud
let org: Org
let fnDb: any

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  fnDb = (c.sdk.database as (config: object) => unknown)({ throwOnNotFound: false })
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

let seq = 0
const rid = () => `req-exchange-${++seq}-${Date.now().toString(36)}`

async function shopItem(extra: Record<string, unknown> = {}, templateStock = 100): Promise<{ itemId: string; templateId: string }> {
  const t = await activeTemplate(c, org, { title: `兑换券${++seq}`, stock: templateStock })
  const { item } = await c.ok(org.owner, 'rewards.saveShopItem', { templateId: t.id, pricePoints: 100, stock: 5, perMemberLimit: 2, active: true, ...extra })
  return { itemId: item.id, templateId: t.id }
}

/**
 * The database as the function sees it, except that inside a transaction the write named by
 * `failOn` fails: the function killed between two steps of the exchange.
 */
function killedAt(db: any, failOn: string): any {
  const wrapT = (t: any) => ({
    collection(name: string) {
      const col = t.collection(name)
      if (name !== failOn) return col
      const killed = () => Promise.reject(new Error(`injected: killed before writing ${name}`))
      return { doc: (id: string) => ({ get: () => col.doc(id).get(), set: killed, update: killed, remove: killed }), add: killed }
    },
  })
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'runTransaction') return (body: (t: any) => Promise<unknown>, retries?: number) => target.runTransaction((t: any) => body(wrapT(t)), retries)
      const v = target[prop]
      return typeof v === 'function' ? v.bind(target) : v
    },
  })
}

describe('points exchange', () => {
  it('20 concurrent exchanges by one member with points for 2 and a limit of 2: 2 succeed, points never below zero', async () => {
    const { itemId, templateId } = await shopItem({ perMemberLimit: 3 })
    await insertMember(c.db, 'o-ex-burst', '70000001', { points: 250 })
    const results = await Promise.all(Array.from({ length: 20 }, () => member(c, 'o-ex-burst', 'exchange', { itemId, requestId: rid() })))
    expect(results.filter((r) => r.ok)).toHaveLength(2)
    expect(new Set(results.filter((r) => !r.ok).map((r: any) => r.code))).toEqual(new Set(['POINTS_SHORT']))
    const m = await getMember(c.db, 'o-ex-burst')
    expect(m.points).toBe(50)
    expect(await ledgerSums(c.db, m._id)).toMatchObject({ delta: -200, lines: 2 })
    expect(await count(c, COLLECTIONS.coupons, { openid: 'o-ex-burst', templateId })).toBe(2)
    expect((await all(c.db, COLLECTIONS.shopItems, { _id: itemId }))[0].remaining).toBe(3)
  }, 120_000)

  it('12 members racing for a stock of 5: exactly 5 exchange, nobody else loses points', async () => {
    const { itemId } = await shopItem({ perMemberLimit: 1 })
    for (let i = 0; i < 12; i += 1) await insertMember(c.db, `o-ex-race-${i}`, String(71000000 + i), { points: 100 })
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => member(c, `o-ex-race-${i}`, 'exchange', { itemId, requestId: rid() })))
    expect(results.filter((r) => r.ok)).toHaveLength(5)
    expect(new Set(results.filter((r) => !r.ok).map((r: any) => r.code))).toEqual(new Set(['SOLD_OUT']))
    const points = await Promise.all(Array.from({ length: 12 }, async (_, i) => (await getMember(c.db, `o-ex-race-${i}`)).points))
    expect(points.filter((p) => p === 0)).toHaveLength(5)
    expect(points.filter((p) => p === 100)).toHaveLength(7)
    expect((await all(c.db, COLLECTIONS.shopItems, { _id: itemId }))[0].remaining).toBe(0)
    expect(await count(c, COLLECTIONS.shopExchanges, { itemId })).toBe(5)
  }, 180_000)

  it('the same request replayed 10 times at once exchanges once and answers the same coupon', async () => {
    const { itemId } = await shopItem()
    await insertMember(c.db, 'o-ex-replay', '70000002', { points: 1000 })
    const requestId = rid()
    const results = await Promise.all(Array.from({ length: 10 }, () => member(c, 'o-ex-replay', 'exchange', { itemId, requestId })))
    expect(results.every((r) => r.ok)).toBe(true)
    expect(new Set(results.map((r: any) => r.data.couponId)).size).toBe(1)
    expect((await getMember(c.db, 'o-ex-replay')).points).toBe(900)
    expect(await count(c, COLLECTIONS.shopExchanges, { openid: 'o-ex-replay' })).toBe(1)
  }, 120_000)

  it('killed between any two steps, nothing happens: no points taken, no coupon, no stock', async () => {
    const { itemId } = await shopItem()
    await insertMember(c.db, 'o-ex-killed', '70000003', { points: 500 })
    const req = { openid: 'o-ex-killed', itemId, requestId: rid() }
    for (const step of [COLLECTIONS.pointsLedger, COLLECTIONS.members, COLLECTIONS.shopItems, COLLECTIONS.shopHoldings, COLLECTIONS.shopExchanges, COLLECTIONS.coupons, COLLECTIONS.couponTemplates]) {
      const before = await snapshot(c.db)
      await expect(exchangeItem(killedAt(fnDb, step), req, new Date(), grantRewardCoupon)).rejects.toThrow(/injected: killed/)
      expect([step, (await snapshot(c.db)) === before]).toEqual([step, true])
    }
    // Killed after the coupon was issued (the grant ran, then the function died).
    const dying: RewardCouponGrant = async (t, r) => {
      await grantRewardCoupon(t, r)
      throw new Error('injected: killed after the coupon')
    }
    const before = await snapshot(c.db)
    await expect(exchangeItem(fnDb, req, new Date(), dying)).rejects.toThrow(/injected/)
    expect(await snapshot(c.db)).toBe(before)
    // And the same request then goes through once.
    const done = await exchangeItem(fnDb, req, new Date(), grantRewardCoupon)
    expect(done).toMatchObject({ pointsAfter: 400, replayed: false })
  }, 120_000)

  it('the coupon stock exhausted mid-way (the item still has stock): refused SOLD_OUT, no points taken', async () => {
    const { itemId, templateId } = await shopItem()
    await insertMember(c.db, 'o-ex-empty', '70000004', { points: 500 })
    await setFields(c, COLLECTIONS.couponTemplates, templateId, { remaining: 0 })
    const before = await snapshot(c.db)
    expect(await member(c, 'o-ex-empty', 'exchange', { itemId, requestId: rid() })).toMatchObject({ ok: false, code: 'SOLD_OUT' })
    expect(await snapshot(c.db)).toBe(before)
    expect((await templateDoc(c, templateId)).remaining).toBe(0)
  })

  it('refuses bad input, unknown or withdrawn items and non-members with specific codes, changing nothing', async () => {
    const { itemId, templateId } = await shopItem()
    await insertMember(c.db, 'o-ex-bad', '70000005', { points: 50 })
    const before = await snapshot(c.db)
    for (const input of [{ itemId, requestId: 'short' }, { itemId: '', requestId: rid() }, { itemId: 'a b', requestId: rid() }, { itemId, requestId: rid(), points: 1 }]) {
      expect([input, await member(c, 'o-ex-bad', 'exchange', input)]).toEqual([input, expect.objectContaining({ ok: false, code: 'INVALID_INPUT' })])
    }
    expect(await member(c, 'o-ex-bad', 'exchange', { itemId: 'no-such-item', requestId: rid() })).toMatchObject({ ok: false, code: 'ITEM_UNAVAILABLE' })
    expect(await member(c, 'o-ex-bad', 'exchange', { itemId, requestId: rid() })).toMatchObject({ ok: false, code: 'POINTS_SHORT' })
    expect(await member(c, 'o-ex-visitor', 'exchange', { itemId, requestId: rid() })).toMatchObject({ ok: false, code: 'NOT_MEMBER' })
    expect(await member(c, '', 'exchange', { itemId, requestId: rid() })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })
    expect(await snapshot(c.db)).toBe(before)
    await c.ok(org.owner, 'rewards.saveShopItem', { itemId, templateId, pricePoints: 10, stock: 5, perMemberLimit: 2, active: false })
    expect(await member(c, 'o-ex-bad', 'exchange', { itemId, requestId: rid() })).toMatchObject({ ok: false, code: 'ITEM_UNAVAILABLE' })
    const shop = await c.invoke('member', 'shopItems', {}, 'o-ex-bad')
    expect(shop.ok && shop.data.items.map((i: any) => i.id)).not.toContain(itemId)
  })
})
