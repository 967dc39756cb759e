import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { all, getMember, insertMember, ledgerSums, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'
import { activeTemplate, couponDoc, memberOk, setFields, templateDoc } from '../coupons/helpers'

/** 消费有礼 (issue 13): granted with the payment's capture, once per order, and reversed by its refund. */
let c: AdminCloud
let org: Org
let templateId = ''

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  templateId = (await activeTemplate(c, org, { title: '满额礼券', stock: 100 })).id
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

const rule = (extra: Record<string, unknown>) => ({ name: '满额送礼', minSpendFen: 2000, firstPaymentOnly: false, storeId: null, gift: { kind: 'points', points: 50 }, active: true, ...extra })

async function paidOrder(openid: string, amountFen: number, storeId = org.storeA, times = 1): Promise<string> {
  const created = await memberOk(c, openid, 'createOrder', { storeId, amountFen })
  await c.pay(created.outTradeNo, { times, concurrent: times > 1 })
  return created.outTradeNo
}

describe('post-payment reward rules', () => {
  it('refuses bad rules with specific codes and changes nothing', async () => {
    const before = await snapshot(c.db)
    for (const bad of [
      rule({ name: '' }),
      rule({ name: '名'.repeat(21) }),
      rule({ minSpendFen: 0 }),
      rule({ minSpendFen: 12.5 }),
      rule({ gift: { kind: 'points', points: 0 } }),
      rule({ gift: { kind: 'cash', valueFen: 100 } }),
      rule({ gift: { kind: 'chances', gameId: 'g', count: 21 } }),
      rule({ extra: true }),
    ]) {
      expect([bad, await c.admin(org.owner, 'rewards.savePayRule', bad)]).toEqual([bad, expect.objectContaining({ ok: false, code: 'INVALID_INPUT' })])
    }
    expect(await c.admin(org.owner, 'rewards.savePayRule', rule({ gift: { kind: 'chances', gameId: 'no-game', count: 1 } }))).toMatchObject({ ok: false, code: 'GAME_NOT_FOUND' })
    expect(await c.admin(org.owner, 'rewards.savePayRule', rule({ gift: { kind: 'coupon', templateId: 'missing' } }))).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    const draft = await c.ok(org.owner, 'couponTemplates.create', { storeId: null, title: '草稿券', value: { type: 'cash', valueFen: 500 }, validity: { kind: 'relative', days: 30 }, stock: 10 })
    const afterDraft = await snapshot(c.db)
    expect(await c.admin(org.owner, 'rewards.savePayRule', rule({ gift: { kind: 'coupon', templateId: draft.template.id } }))).toMatchObject({ ok: false, code: 'TEMPLATE_NOT_USABLE' })
    expect(await c.admin(org.owner, 'rewards.savePayRule', rule({ storeId: 'store-nope' }))).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await c.admin(org.owner, 'rewards.savePayRule', rule({ ruleId: 'r-unknown' }))).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await c.admin(org.manager, 'rewards.savePayRule', rule({}))).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await snapshot(c.db)).toBe(afterDraft)
    expect(before).not.toBe(afterDraft) // the draft template itself
  })

  it('20 concurrent callback replays grant points, a coupon and game chances exactly once; the pay result lists them with a path to each', async () => {
    // The games area's game (its collection exists only once that area is deployed).
    await c.db.createCollection('games').catch(() => undefined) // already there once the games area's schema is merged
    await c.db.collection('games').add({ data: { _id: 'g-wheel', title: '幸运转盘' } })
    await c.ok(org.owner, 'rewards.savePayRule', rule({ name: '满20送50积分' }))
    await c.ok(org.owner, 'rewards.savePayRule', rule({ name: '满20送券', gift: { kind: 'coupon', templateId } }))
    await c.ok(org.owner, 'rewards.savePayRule', rule({ name: '满20抽奖', gift: { kind: 'chances', gameId: 'g-wheel', count: 2 } }))
    await c.ok(org.owner, 'rewards.savePayRule', rule({ name: '满1000才送', minSpendFen: 100_000 }))
    const stockBefore = (await templateDoc(c, templateId)).remaining
    const outTradeNo = await paidOrder('o-pr-burst', 3000, org.storeA, 20)
    const m = await getMember(c.db, 'o-pr-burst')
    const grants = await all(c.db, COLLECTIONS.rewardGrants, { outTradeNo })
    expect(grants).toHaveLength(1)
    expect(grants[0].items.map((i: any) => [i.ruleName, i.outcome])).toEqual([['满20送50积分', 'granted'], ['满20送券', 'granted'], ['满20抽奖', 'granted']])
    // 30 points for ¥30 (tier ×1) plus the rule's 50, once.
    expect(m.points).toBe(80)
    expect(await ledgerSums(c.db, m._id)).toMatchObject({ delta: 80, lines: 2 })
    expect(await all(c.db, COLLECTIONS.coupons, { openid: 'o-pr-burst' })).toHaveLength(1)
    expect((await templateDoc(c, templateId)).remaining).toBe(stockBefore - 1)
    expect((await all(c.db, COLLECTIONS.gameChances, { openid: 'o-pr-burst' }))[0]).toMatchObject({ balance: 2 })
    const shown = await memberOk(c, 'o-pr-burst', 'orderRewards', { outTradeNo })
    expect(shown.rewards).toEqual([
      { kind: 'points', ruleName: '满20送50积分', text: '50 积分', path: '/pages/points/index' },
      { kind: 'coupon', ruleName: '满20送券', text: '优惠券「满额礼券」', path: expect.stringMatching(/^\/coupons\/pages\/detail\/index\?id=/) },
      { kind: 'chances', ruleName: '满20抽奖', text: '2 次游戏机会', path: expect.stringContaining('gameId=g-wheel') },
    ])
    // Another member asking about this order learns nothing.
    expect(await memberOk(c, 'o-pr-stranger', 'orderRewards', { outTradeNo })).toEqual({ rewards: [] })
  }, 180_000)

  it('a refund revokes the unused coupon and unplayed chances and takes the points back (never below zero: debt)', async () => {
    const outTradeNo = await paidOrder('o-pr-refund', 2500)
    const m0 = await getMember(c.db, 'o-pr-refund')
    expect(m0.points).toBe(75)
    // The member spent 60 of their points meanwhile: the refund takes back 25 + 50 = 75 from 15.
    await setFields(c, COLLECTIONS.members, m0._id, { points: 15 })
    const [coupon] = await all(c.db, COLLECTIONS.coupons, { openid: 'o-pr-refund' })
    const res = await c.ok(org.owner, 'orders.refund', { outTradeNo })
    expect(res).toMatchObject({ status: 'refunded' })
    const m = await getMember(c.db, 'o-pr-refund')
    expect([m.points, m.pointsDebt]).toEqual([0, 60])
    const lines = await all(c.db, COLLECTIONS.pointsLedger, { memberId: m._id })
    expect(lines.find((l: any) => l._id.startsWith('reward-refund:'))).toMatchObject({ delta: 0, debtDelta: 50, balanceAfter: 0 })
    // Revoked = ended at once (coupon-grant.ts): the member's list shows it expired.
    expect(new Date((await couponDoc(c, coupon._id)).validUntil).getTime()).toBeLessThanOrEqual(Date.now())
    expect((await all(c.db, COLLECTIONS.gameChances, { openid: 'o-pr-refund' }))[0]).toMatchObject({ balance: 0 })
    const [grant] = await all(c.db, COLLECTIONS.rewardGrants, { outTradeNo })
    expect(grant.items.map((i: any) => i.reversal)).toEqual(['taken', 'revoked', 'revoked'])
    expect(grant.reversedAt).not.toBeNull()
    expect((await memberOk(c, 'o-pr-refund', 'orderRewards', { outTradeNo })).rewards).toEqual([])
  }, 120_000)

  it('a used coupon stays with the member on refund and is recorded as used', async () => {
    const outTradeNo = await paidOrder('o-pr-used', 2000)
    const [coupon] = await all(c.db, COLLECTIONS.coupons, { openid: 'o-pr-used' })
    await setFields(c, COLLECTIONS.coupons, coupon._id, { status: 'used', usedAt: new Date(), usedStoreId: org.storeA, usedOrder: 'V-counter' })
    await c.ok(org.owner, 'orders.refund', { outTradeNo })
    expect((await couponDoc(c, coupon._id)).status).toBe('used')
    const [grant] = await all(c.db, COLLECTIONS.rewardGrants, { outTradeNo })
    expect(grant.items.find((i: any) => i.kind === 'coupon').reversal).toBe('used')
  }, 120_000)

  it('first-payment-only and per-store rules apply only where they say', async () => {
    const { rules } = await c.ok(org.owner, 'rewards.get', {}).then((r: any) => ({ rules: r.payRules }))
    // Only the new rules below from here.
    for (const r of rules) await c.ok(org.owner, 'rewards.savePayRule', { ruleId: r.id, name: r.name, minSpendFen: r.minSpendFen, firstPaymentOnly: r.firstPaymentOnly, storeId: r.storeId, gift: r.gift, active: false })
    await c.ok(org.owner, 'rewards.savePayRule', rule({ name: '首单礼', minSpendFen: 100, firstPaymentOnly: true, gift: { kind: 'points', points: 7 } }))
    await c.ok(org.owner, 'rewards.savePayRule', rule({ name: '静安店礼', minSpendFen: 100, storeId: org.storeB, gift: { kind: 'points', points: 3 } }))
    await insertMember(c.db, 'o-pr-regular', '60000001', { paidOrderCount: 4 })
    const a = await paidOrder('o-pr-new', 1000, org.storeA)
    const b = await paidOrder('o-pr-new', 1000, org.storeB)
    const d = await paidOrder('o-pr-regular', 1000, org.storeA)
    const names = async (o: string) => ((await all(c.db, COLLECTIONS.rewardGrants, { outTradeNo: o }))[0]?.items ?? []).map((i: any) => i.ruleName)
    expect(await names(a)).toEqual(['首单礼'])
    expect(await names(b)).toEqual(['静安店礼'])
    expect(await names(d)).toEqual([])
  }, 180_000)
})
