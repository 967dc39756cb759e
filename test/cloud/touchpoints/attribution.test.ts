/**
 * Touchpoints through real invocations: staff create a code, visitors open it (member.touchpointOpen),
 * pay (createOrder + WeChat Pay's callback) and the touchpoint's report shows visits, new members,
 * first purchases, attributed sales, ROI and cost per member. Dedup per person per touchpoint per
 * day, first touch, the attribution window's edges, a badge's clerk, and refusals.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { chinaDay } from '../../../cloudfunctions/services/day-counters'
import { dateOfDay } from '../../../miniprogram/shared/touchpoint-rules'
import { all, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'

let c: AdminCloud
let org: Org
const today = () => dateOfDay(chinaDay(new Date()))
const DAY = 86_400_000

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

async function newTouchpoint(extra: Record<string, unknown> = {}, as = org.owner) {
  const res = await c.ok(as, 'touchpoints.create', { storeId: org.storeA, name: '桌牌 A1', kind: 'tableTent', costFen: 10_000, target: { kind: 'pay' }, ...extra })
  return res.touchpoint as { id: string; shortId: string; storeId: string }
}

async function open(shortId: string, openid: string) {
  const res = await c.invoke('member', 'touchpointOpen', { shortId }, openid)
  if (!res.ok) throw new Error(`touchpointOpen: ${res.code} ${res.message}`)
  return res.data as { counted: boolean; target: { page: string; query: Record<string, string>; tab: boolean } }
}

async function payAt(openid: string, amountFen: number, storeId = org.storeA): Promise<string> {
  const res = await c.invoke('member', 'createOrder', { storeId, amountFen }, openid)
  if (!res.ok) throw new Error(`createOrder: ${res.code} ${res.message}`)
  const results = await c.pay(res.data.outTradeNo)
  expect(results[0]).toMatchObject({ errcode: 0 })
  return res.data.outTradeNo
}

async function report(touchpointId: string, as = org.owner) {
  const r = await c.ok(as, 'touchpoints.report', { touchpointId, fromDate: today(), toDate: today() })
  return r.figures
}

describe('touchpoints', () => {
  it('a visitor scans, pays twice, and the report shows the visit, the new member, the first purchase and the sales', async () => {
    const tp = await newTouchpoint()
    expect(tp.shortId).toMatch(/^[A-Za-z0-9]{8}$/)
    const opened = await open(tp.shortId, 'o-tp-visitor')
    expect(opened).toEqual({ counted: true, target: { page: 'pages/pay/index', query: { storeId: org.storeA, touchpoint: tp.id }, tab: false } })
    await payAt('o-tp-visitor', 3000)
    await payAt('o-tp-visitor', 2000)
    const member = (await all(c.db, COLLECTIONS.members, { openid: 'o-tp-visitor' }))[0]
    expect(member.sourceTouchpoint).toBe(tp.id)
    expect(await report(tp.id)).toEqual({ visits: 1, newMembers: 1, firstPurchases: 1, orders: 2, salesFen: 5000, costFen: 10_000, roi: 0.5, costPerMemberFen: 10_000 })
  })

  it('counts a visit once per person per touchpoint per day, however many concurrent opens', async () => {
    const tp = await newTouchpoint({ name: '海报 P1', kind: 'poster' })
    const results = await Promise.all(Array.from({ length: 12 }, () => open(tp.shortId, 'o-tp-many')))
    expect(results.filter((r) => r.counted)).toHaveLength(1)
    await open(tp.shortId, 'o-tp-other')
    expect((await report(tp.id)).visits).toBe(2)
    expect(await all(c.db, COLLECTIONS.tpVisits, { touchpointId: tp.id })).toHaveLength(2)
  })

  it('first touch wins: a later code neither replaces the source nor takes the sales', async () => {
    const first = await newTouchpoint({ name: '小票 R1', kind: 'receipt' })
    const second = await newTouchpoint({ name: '橱窗 S1', kind: 'sticker' })
    await open(first.shortId, 'o-tp-first')
    await open(second.shortId, 'o-tp-first')
    await payAt('o-tp-first', 1500)
    expect((await all(c.db, COLLECTIONS.members, { openid: 'o-tp-first' }))[0].sourceTouchpoint).toBe(first.id)
    expect(await report(first.id)).toMatchObject({ visits: 1, newMembers: 1, salesFen: 1500 })
    expect(await report(second.id)).toMatchObject({ visits: 1, newMembers: 0, salesFen: 0, orders: 0 })
    // An existing member scanning a code is a visit, not a new source.
    const third = await newTouchpoint({ name: '线上 O1', kind: 'online', target: { kind: 'home' } })
    expect((await open(third.shortId, 'o-tp-first')).target).toEqual({ page: 'pages/home/index', query: {}, tab: true })
    await payAt('o-tp-first', 700)
    expect(await report(third.id)).toMatchObject({ visits: 1, salesFen: 0 })
    expect(await report(first.id)).toMatchObject({ salesFen: 2200, orders: 2 })
  })

  it('attributes within the window only (30 days by default): one minute inside yes, one minute past no', async () => {
    const tp = await newTouchpoint({ name: '窗口测试', kind: 'poster' })
    await open(tp.shortId, 'o-tp-inside')
    await open(tp.shortId, 'o-tp-outside')
    // The first visits happened long ago (test setup moves them back in time).
    await c.db.collection(COLLECTIONS.tpSources).doc('o-tp-inside').update({ data: { firstAt: new Date(Date.now() - 30 * DAY + 60_000) } })
    await c.db.collection(COLLECTIONS.tpSources).doc('o-tp-outside').update({ data: { firstAt: new Date(Date.now() - 30 * DAY - 60_000) } })
    await payAt('o-tp-inside', 4000)
    await payAt('o-tp-outside', 9000)
    expect(await report(tp.id)).toMatchObject({ newMembers: 1, firstPurchases: 1, salesFen: 4000, orders: 1 })
    // The member still carries the first touch; only the sale is outside the window.
    expect((await all(c.db, COLLECTIONS.members, { openid: 'o-tp-outside' }))[0].sourceTouchpoint).toBe(tp.id)
    // A shorter window set by HQ applies to the next payment.
    await c.ok(org.owner, 'commission.setRules', { storeBp: 0, couponFeeFen: 0, clerkBp: 0, includeBroughtIn: false, attributionDays: 7 })
    await payAt('o-tp-inside', 100)
    expect((await report(tp.id)).salesFen).toBe(4000)
    await c.ok(org.owner, 'commission.setRules', { storeBp: 0, couponFeeFen: 0, clerkBp: 0, includeBroughtIn: false, attributionDays: 30 })
  })

  it('a staff badge attributes the sale to its clerk; a refund takes the sale back from the report', async () => {
    const badge = await newTouchpoint({ name: '小赵的工牌', kind: 'badge', costFen: 0, clerkOpenid: org.clerk }, org.manager)
    await open(badge.shortId, 'o-tp-badge')
    const outTradeNo = await payAt('o-tp-badge', 6600)
    const fact = (await all(c.db, COLLECTIONS.orderFacts, { _id: outTradeNo }))[0]
    expect(fact).toMatchObject({ touchpointId: badge.id, badgeClerkOpenid: org.clerk, nth: 1, joined: true, state: 'paid' })
    expect(await report(badge.id, org.manager)).toMatchObject({ salesFen: 6600, roi: null, costPerMemberFen: 0 })
    await c.ok(org.manager, 'orders.refund', { outTradeNo })
    expect(await report(badge.id, org.manager)).toMatchObject({ salesFen: 0, orders: 0, firstPurchases: 0, newMembers: 1 })
    expect((await all(c.db, COLLECTIONS.orderFacts, { _id: outTradeNo }))[0]).toMatchObject({ state: 'refunded' })
  })

  it('answers a code image and share path with a short scene', async () => {
    const tp = await newTouchpoint({ name: '码图', kind: 'poster', target: { kind: 'checkin' } })
    const link = await c.ok(org.manager, 'touchpoints.link', { touchpointId: tp.id })
    expect(link.scene).toBe(`tp=${tp.shortId}`)
    expect(link.scene.length).toBeLessThanOrEqual(32)
    expect(link.sharePath).toBe(`touch/pages/open/index?tp=${tp.shortId}`)
    expect(link.qrDataUrl).toMatch(/^data:image\/png;base64,/)
  })

  it('refuses bad input and other stores with specific codes, and changes nothing', async () => {
    const other = await newTouchpoint({ storeId: org.storeB, name: '静安海报', kind: 'poster' })
    const before = await snapshot(c.db)
    const cases: Array<[string, string, unknown, string]> = [
      [org.manager, 'touchpoints.create', { storeId: org.storeB, name: '越权', kind: 'poster', costFen: 1, target: { kind: 'pay' } }, 'FORBIDDEN'],
      [org.manager, 'touchpoints.create', { storeId: null, name: '总部', kind: 'poster', costFen: 1, target: { kind: 'home' } }, 'FORBIDDEN'],
      [org.manager, 'touchpoints.update', { touchpointId: other.id, costFen: 1 }, 'FORBIDDEN'],
      [org.manager, 'touchpoints.report', { touchpointId: other.id, fromDate: today(), toDate: today() }, 'FORBIDDEN'],
      [org.clerk, 'touchpoints.list', {}, 'FORBIDDEN'],
      [org.owner, 'touchpoints.create', { storeId: org.storeA, name: '负成本', kind: 'poster', costFen: -1, target: { kind: 'pay' } }, 'INVALID_INPUT'],
      [org.owner, 'touchpoints.create', { storeId: org.storeA, name: '小数', kind: 'poster', costFen: 1.5, target: { kind: 'pay' } }, 'INVALID_INPUT'],
      [org.owner, 'touchpoints.create', { storeId: org.storeA, name: 'a\u202Eb', kind: 'poster', costFen: 1, target: { kind: 'pay' } }, 'INVALID_INPUT'],
      [org.owner, 'touchpoints.create', { storeId: org.storeA, name: '未知类型', kind: 'flyer', costFen: 1, target: { kind: 'pay' } }, 'INVALID_INPUT'],
      [org.owner, 'touchpoints.create', { storeId: null, name: '总部付款', kind: 'poster', costFen: 1, target: { kind: 'pay' } }, 'INVALID_INPUT'],
      [org.owner, 'touchpoints.create', { storeId: org.storeA, name: '工牌无人', kind: 'badge', costFen: 1, target: { kind: 'pay' } }, 'INVALID_INPUT'],
      [org.owner, 'touchpoints.create', { storeId: org.storeA, name: '工牌外人', kind: 'badge', costFen: 1, target: { kind: 'pay' }, clerkOpenid: 'o-not-staff' }, 'NOT_FOUND'],
      [org.owner, 'touchpoints.create', { storeId: org.storeA, name: '无券', kind: 'poster', costFen: 1, target: { kind: 'coupon', templateId: 'ct-missing' } }, 'NOT_FOUND'],
      [org.owner, 'touchpoints.create', { storeId: 'no-such-store', name: '无店', kind: 'poster', costFen: 1, target: { kind: 'home' } }, 'NOT_FOUND'],
      [org.owner, 'touchpoints.report', { touchpointId: other.id, fromDate: '2026-02-01', toDate: '2026-01-01' }, 'INVALID_INPUT'],
      [org.owner, 'touchpoints.report', { touchpointId: other.id, fromDate: '2020-01-01', toDate: '2026-01-01' }, 'INVALID_INPUT'],
      [org.owner, 'touchpoints.update', { touchpointId: 'tp-missing', costFen: 1 }, 'NOT_FOUND'],
      [org.owner, 'touchpoints.update', { touchpointId: other.id }, 'INVALID_INPUT'],
      [org.owner, 'commission.setRules', { storeBp: 0, couponFeeFen: 0, clerkBp: 0, includeBroughtIn: false, attributionDays: 0 }, 'INVALID_INPUT'],
    ]
    for (const [who, action, input, code] of cases) {
      const res = await c.admin(who, action, input)
      expect([action, JSON.stringify(input), res.ok ? 'ok' : res.code]).toEqual([action, JSON.stringify(input), code])
    }
    const bad = await c.invoke('member', 'touchpointOpen', { shortId: 'nope!' }, 'o-tp-bad')
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await c.invoke('member', 'touchpointOpen', { shortId: 'ZZZZZZZZ' }, 'o-tp-bad')).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await c.invoke('member', 'touchpointOpen', { shortId: other.shortId }, '')).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })
    expect(await snapshot(c.db)).toBe(before)
  })

  it('an archived code opens the home page and counts nothing; a manager lists only their store', async () => {
    const tp = await newTouchpoint({ name: '旧桌牌' })
    await c.ok(org.owner, 'touchpoints.update', { touchpointId: tp.id, status: 'archived' })
    expect(await open(tp.shortId, 'o-tp-archived')).toEqual({ counted: false, target: { page: 'pages/home/index', query: {}, tab: true } })
    expect((await report(tp.id)).visits).toBe(0)
    expect(await all(c.db, COLLECTIONS.tpSources, { _id: 'o-tp-archived' })).toHaveLength(0)
    const listed = await c.ok(org.manager, 'touchpoints.list', {})
    expect(listed.touchpoints.length).toBeGreaterThan(0)
    expect(listed.touchpoints.every((t: { storeId: string }) => t.storeId === org.storeA)).toBe(true)
    const first = listed.touchpoints.find((t: { name: string }) => t.name === '桌牌 A1')
    expect(first.last30).toMatchObject({ salesFen: 5000, visits: 1 })
  })
})
