/**
 * Pay = join through real invocations: createOrder as a consumer, WeChat Pay delivers the
 * callback (SOURCE wx_paycallback), and the member appears exactly once whatever the replays.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { addStore, memberState, startAppCloud, type AppCloud } from '../support/app-cloud'

let app: AppCloud
beforeAll(async () => {
  app = await startAppCloud()
  await addStore(app.db, 'store-1', '徐汇店')
})
afterAll(() => app.stop())

async function order(openid: string, amountFen: number, storeId = 'store-1') {
  const res = await app.call('member', 'createOrder', { storeId, amountFen }, openid)
  expect(res.ok).toBe(true)
  return res.data as { outTradeNo: string; payment: Record<string, string> }
}

describe('pay = join', () => {
  it('first payment creates exactly one member and one ledger line', async () => {
    const o = await order('o-first', 3880)
    expect(o.outTradeNo).toMatch(/^\d{24}$/)
    expect(o.payment.package).toMatch(/^prepay_id=/)
    const before = await app.call('member', 'card', {}, 'o-first')
    expect(before.data.member).toBeNull()

    const results = await app.pay(o.outTradeNo)
    expect(results).toEqual([{ errcode: 0, errmsg: 'OK' }])

    const { member, ledger, ledgerSum } = await memberState(app.db, 'o-first')
    expect(member).toMatchObject({ openid: 'o-first', points: 38, growth: 38, totalSpentFen: 3880, visitCount: 1, firstStoreId: 'store-1' })
    expect(member.memberNo).toMatch(/^\d{8}$/)
    expect(ledger).toHaveLength(1)
    expect(ledgerSum).toBe(member.points)
    expect(member.autoTags).toEqual(expect.arrayContaining(['新会员', '活跃']))

    const status = await app.call('member', 'orderStatus', { outTradeNo: o.outTradeNo }, 'o-first')
    expect(status.data).toMatchObject({ status: 'paid', pointsEarned: 38, joined: true, tierName: '银卡会员' })
    const card = await app.call('member', 'card', {}, 'o-first')
    expect(card.data.member).toMatchObject({ points: 38, tierName: '银卡会员', nextTierName: '金卡会员', growthToNext: 462 })
  })

  it('a callback delivered 20 times concurrently changes nothing after the first', async () => {
    const o = await order('o-replay', 12345)
    const results = await app.pay(o.outTradeNo, { times: 20, concurrent: true })
    expect(results).toHaveLength(20)
    for (const r of results) expect(r.errcode).toBe(0)
    const { member, ledger, ledgerSum } = await memberState(app.db, 'o-replay')
    expect(ledger).toHaveLength(1)
    expect(member).toMatchObject({ points: 123, visitCount: 1, totalSpentFen: 12345, paidOrderCount: 1 })
    expect(ledgerSum).toBe(member.points)
    expect((await app.db.collection(COLLECTIONS.members).where({ openid: 'o-replay' }).count()).total).toBe(1)

    // And replayed again later, sequentially: still nothing.
    await app.pay(o.outTradeNo, { times: 3 })
    expect((await memberState(app.db, 'o-replay')).ledger).toHaveLength(1)
  })

  it('tier upgrades when growth crosses a threshold and the multiplier applies from then on', async () => {
    const first = await order('o-tier', 60000) // 600 yuan → 600 growth → 金卡
    await app.pay(first.outTradeNo)
    let s = await memberState(app.db, 'o-tier')
    expect(s.member).toMatchObject({ points: 600, tierLevel: 2 })
    const second = await order('o-tier', 10000) // 100 points × 1.2
    await app.pay(second.outTradeNo)
    s = await memberState(app.db, 'o-tier')
    expect(s.member.points).toBe(720)
    expect(s.ledgerSum).toBe(720)
    expect(s.member.visitCount).toBe(2)
  })

  it('a callback invoked by a client, not WeChat Pay, is rejected and changes nothing', async () => {
    const o = await order('o-forge', 5000)
    const forged = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: o.outTradeNo, totalFee: 5000, openid: 'o-forge' }
    const viaGateway = await app.lc.invoke('member', forged, { openid: 'o-forge', source: 'wx_client' })
    expect(viaGateway).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    const viaSdk = await app.sdk.callFunction({ name: 'member', data: forged })
    expect(viaSdk.result).toMatchObject({ ok: false })
    expect((await memberState(app.db, 'o-forge')).member).toBeNull()
    const stored = (await app.db.collection(COLLECTIONS.orders).doc(o.outTradeNo).get()).data
    expect(stored.status).toBe('created')
  })

  it('a real callback with a wrong amount or payer is rejected and changes nothing', async () => {
    const o = await order('o-amount', 5000)
    const event = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: o.outTradeNo, totalFee: 1, openid: 'o-amount', transactionId: 't' }
    // Judged and refused for good: errcode 0 (no redelivery can fix it) with the reason.
    const wrongAmount = (await app.lc.invoke('member', event, { openid: 'o-amount', source: 'wx_paycallback' })) as { errcode: number; errmsg: string }
    expect(wrongAmount).toEqual({ errcode: 0, errmsg: 'rejected: amount or payer mismatch' })
    const wrongPayer = (await app.lc.invoke('member', { ...event, totalFee: 5000 }, { openid: 'o-someone-else', source: 'wx_paycallback' })) as { errcode: number; errmsg: string }
    expect(wrongPayer).toEqual({ errcode: 0, errmsg: 'rejected: amount or payer mismatch' })
    const unknown = (await app.lc.invoke('member', { ...event, outTradeNo: 'nope' }, { openid: 'o-amount', source: 'wx_paycallback' })) as { errmsg: string }
    expect(unknown.errmsg).toBe('rejected: unknown order')
    expect((await memberState(app.db, 'o-amount')).member).toBeNull()
    expect((await memberState(app.db, 'o-someone-else')).member).toBeNull()
    expect((await app.db.collection(COLLECTIONS.orders).doc(o.outTradeNo).get()).data.status).toBe('created')
  })

  it('many concurrent payments by one member keep the balance equal to the ledger', async () => {
    const orders = await Promise.all(Array.from({ length: 12 }, (_, i) => order('o-hammer', 1000 + i * 100)))
    const burst = await Promise.all(orders.map((o) => app.pay(o.outTradeNo, { times: 3, concurrent: true })))
    // 36 transactions on one member document: a callback that lost every retry answers non-zero,
    // and WeChat delivers it again later — as here, once more each.
    const failed = burst.flat().filter((r: { errcode: number }) => r.errcode !== 0).length
    for (const o of orders) expect((await app.pay(o.outTradeNo))[0]).toEqual({ errcode: 0, errmsg: expect.stringMatching(/^OK/) })
    console.log(`one member, 36 concurrent callbacks: ${failed} answered non-zero and were redelivered`)
    const s = await memberState(app.db, 'o-hammer')
    expect(s.ledger).toHaveLength(12)
    expect(s.member.paidOrderCount).toBe(12)
    expect(s.member.points).toBe(s.ledgerSum)
    const expected = orders.reduce((sum, _o, i) => sum + Math.floor((1000 + i * 100) / 100), 0)
    expect(s.member.points).toBe(expected)
    expect((await app.db.collection(COLLECTIONS.members).where({ openid: 'o-hammer' }).count()).total).toBe(1)
  })
})

describe('createOrder refuses bad input and changes nothing', () => {
  const cases: [string, unknown][] = [
    ['negative amount', { storeId: 'store-1', amountFen: -100 }],
    ['zero amount', { storeId: 'store-1', amountFen: 0 }],
    ['non-integer amount', { storeId: 'store-1', amountFen: 12.5 }],
    ['amount as string', { storeId: 'store-1', amountFen: '100' }],
    ['amount too large', { storeId: 'store-1', amountFen: 1e12 }],
    ['huge store id', { storeId: 'x'.repeat(100_000), amountFen: 100 }],
    ['extra field', { storeId: 'store-1', amountFen: 100, openid: 'o-victim' }],
  ]
  it.each(cases)('%s → INVALID_INPUT', async (_name, input) => {
    const before = (await app.db.collection(COLLECTIONS.orders).count()).total
    const res = await app.send('member', 'createOrder', input, 'o-bad')
    expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(res.message).toContain('输入有误')
    expect((await app.db.collection(COLLECTIONS.orders).count()).total).toBe(before)
  })

  it('unknown store → NOT_FOUND', async () => {
    const res = await app.call('member', 'createOrder', { storeId: 'nope', amountFen: 100 }, 'o-bad')
    expect(res).toMatchObject({ ok: false, code: 'NOT_FOUND', message: '门店不存在或已停止营业' })
  })

  it('another user cannot read my order', async () => {
    const o = await order('o-private', 100)
    expect(await app.call('member', 'orderStatus', { outTradeNo: o.outTradeNo }, 'o-snoop')).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })
})

describe('daily tag refresh (timer trigger)', () => {
  it('cannot be run by a client sending a timer-shaped event', async () => {
    const res = await app.send('member', 'ignored', {}, 'o-attacker')
    expect(res).toMatchObject({ ok: false })
    const forged = await app.lc.invoke('member', { Type: 'Timer', TriggerName: 'refreshTags' }, { openid: 'o-attacker', source: 'wx_client' })
    expect(forged).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
  })

  it('moves a member whose last visit is long past from 活跃 to 沉睡', async () => {
    const o = await order('o-sleepy', 2000)
    await app.pay(o.outTradeNo)
    const longAgo = new Date(Date.now() - 120 * 86_400_000)
    await app.db.collection(COLLECTIONS.members).doc('m_o-sleepy').update({ data: { lastVisitAt: longAgo, createdAt: longAgo } })
    const result = (await app.lc.runTimer('member', 'refreshTags')) as { scanned: number; updated: number }
    expect(result.scanned).toBeGreaterThan(0)
    expect(result.updated).toBeGreaterThanOrEqual(1)
    const { member } = await memberState(app.db, 'o-sleepy')
    expect(member.autoTags).toContain('沉睡')
    expect(member.autoTags).not.toContain('活跃')
    expect(member.autoTags).not.toContain('新会员')
    const again = (await app.lc.runTimer('member', 'refreshTags')) as { updated: number }
    expect(again.updated).toBe(0)
  })
})
