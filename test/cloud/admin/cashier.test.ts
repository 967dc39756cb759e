import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { memberIdOf } from '../../../cloudfunctions/services/documents'
import { CODE_WINDOW_MS } from '../../../cloudfunctions/domain/member-code'
import { all, getMember, insertMember, ledgerSums, memberCode, seedCodeSecret, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from './helpers'

let c: AdminCloud
let org: Org
const CUSTOMER = 'o-customer-1'
const MEMBER_NO = '20240001'

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  await seedCodeSecret(c.db)
  await insertMember(c.db, CUSTOMER, MEMBER_NO, { phone: '13812345678', firstStoreId: org.storeA })
})
afterAll(async () => {
  await c?.stop()
})

let seq = 0
const requestId = () => `req-${Date.now().toString(36)}-${++seq}`

async function expectBalanced(openid: string): Promise<void> {
  const m = await getMember(c.db, openid)
  const sums = await ledgerSums(c.db, memberIdOf(openid))
  expect(m.points).toBe(sums.delta)
  expect(m.pointsDebt).toBe(sums.debt)
}

describe('cashier.capture', () => {
  it('records a consumption by member number', async () => {
    const res = await c.ok(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 3850, memberNo: MEMBER_NO, phoneLast4: '5678', clientRequestId: requestId() })
    expect(res).toEqual({ outTradeNo: expect.stringMatching(/^C[0-9a-f]{30}$/), memberNo: MEMBER_NO, pointsEarned: 38, tierName: '银卡会员', joined: false, alreadyRecorded: false })
    const order = (await all(c.db, COLLECTIONS.orders, { _id: res.outTradeNo }))[0]
    expect(order).toMatchObject({ status: 'paid', channel: 'cashier', clerkOpenid: org.clerk, storeId: org.storeA, amountFen: 3850, openid: CUSTOMER, pointsEarned: 38 })
    const m = await getMember(c.db, CUSTOMER)
    expect(m).toMatchObject({ points: 38, totalSpentFen: 3850, visitCount: 1, storeVisits: { [org.storeA]: 1 } })
    await expectBalanced(CUSTOMER)
  })

  it('records a consumption by a freshly scanned member code', async () => {
    const before = (await getMember(c.db, CUSTOMER)).points
    const res = await c.ok(org.manager, 'cashier.capture', { storeId: org.storeA, amountFen: 10000, memberCode: memberCode(MEMBER_NO), clientRequestId: requestId() })
    expect(res).toMatchObject({ memberNo: MEMBER_NO, pointsEarned: 100, alreadyRecorded: false })
    expect((await getMember(c.db, CUSTOMER)).points).toBe(before + 100)
    // A code from the previous window (shown just before it rotated) still works.
    const prev = await c.ok(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 100, memberCode: memberCode(MEMBER_NO, Date.now() - CODE_WINDOW_MS), clientRequestId: requestId() })
    expect(prev).toMatchObject({ memberNo: MEMBER_NO, pointsEarned: 1 })
    await expectBalanced(CUSTOMER)
  })

  it('records one order, one ledger line and one credit for 10 concurrent submits of one request', async () => {
    const before = await getMember(c.db, CUSTOMER)
    const id = requestId()
    const input = { storeId: org.storeA, amountFen: 5000, memberNo: MEMBER_NO, phoneLast4: '5678', clientRequestId: id }
    const results = await Promise.all(Array.from({ length: 10 }, () => c.admin(org.clerk, 'cashier.capture', input)))
    for (const r of results) expect(r).toMatchObject({ ok: true })
    const data = results.map((r) => (r as { ok: true; data: any }).data)
    expect(new Set(data.map((d) => d.outTradeNo)).size).toBe(1)
    expect(data.filter((d) => !d.alreadyRecorded)).toHaveLength(1)
    for (const d of data) expect(d.pointsEarned).toBe(50)
    const outTradeNo = data[0].outTradeNo
    expect(await all(c.db, COLLECTIONS.orders, { clientRequestKey: `${org.clerk}:${id}` })).toHaveLength(1)
    expect(await all(c.db, COLLECTIONS.pointsLedger, { _id: `purchase:${outTradeNo}` })).toHaveLength(1)
    const after = await getMember(c.db, CUSTOMER)
    expect(after.points).toBe(before.points + 50)
    expect(after.visitCount).toBe(before.visitCount + 1)
    expect(after.totalSpentFen).toBe(before.totalSpentFen + 5000)
    await expectBalanced(CUSTOMER)
    // Submitted again later: still one.
    expect(await c.ok(org.clerk, 'cashier.capture', input)).toMatchObject({ outTradeNo, alreadyRecorded: true })
    expect((await getMember(c.db, CUSTOMER)).points).toBe(after.points)
  })

  it('refuses to reuse a request id for a different consumption', async () => {
    const id = requestId()
    await c.ok(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 1200, memberNo: MEMBER_NO, phoneLast4: '5678', clientRequestId: id })
    const before = await snapshot(c.db)
    const res = await c.admin(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 9900, memberNo: MEMBER_NO, phoneLast4: '5678', clientRequestId: id })
    expect(res).toMatchObject({ ok: false, code: 'CONFLICT' })
    expect(await snapshot(c.db)).toBe(before)
  })

  it('refuses forged, expired and malformed member codes with the clear message, changing nothing', async () => {
    const good = memberCode(MEMBER_NO)
    const forged = good.slice(0, 18) + String((Number(good[18]) + 1) % 10)
    const expired = memberCode(MEMBER_NO, Date.now() - 3 * CODE_WINDOW_MS)
    const otherMember = '99999999' + good.slice(8)
    const before = await snapshot(c.db)
    for (const code of [forged, expired, otherMember, '1234', 'not-a-code']) {
      for (const action of ['cashier.capture', 'members.lookup']) {
        const input = action === 'cashier.capture' ? { storeId: org.storeA, amountFen: 1000, memberCode: code, clientRequestId: requestId() } : { memberCode: code }
        const res = await c.admin(org.clerk, action, input)
        expect(res).toEqual({ ok: false, code: 'INVALID_INPUT', message: '会员码已过期或无效，请让顾客刷新后重试' })
      }
    }
    expect(await snapshot(c.db)).toBe(before)
  })

  it('refuses bad amounts and huge strings with INVALID_INPUT, changing nothing', async () => {
    const before = await snapshot(c.db)
    const base = { storeId: org.storeA, memberNo: MEMBER_NO, clientRequestId: 'bad-input-0001' }
    const bad: unknown[] = [
      { ...base, amountFen: 0 },
      { ...base, amountFen: -100 },
      { ...base, amountFen: 1.5 },
      { ...base, amountFen: '100' },
      { ...base, amountFen: 1e9 },
      { ...base, amountFen: 10_000_001 },
      { ...base, amountFen: null },
      { ...base, amountFen: { $gt: 0 } },
      { ...base },
      { ...base, amountFen: 100, clientRequestId: 'x'.repeat(100_000) },
      { ...base, amountFen: 100, clientRequestId: 'short' },
      { ...base, amountFen: 100, clientRequestId: 'has space 123' },
      { ...base, amountFen: 100, memberNo: '1'.repeat(100_000) },
      { ...base, amountFen: 100, storeId: 's'.repeat(100_000) },
      { storeId: org.storeA, amountFen: 100, clientRequestId: 'bad-input-0002', memberCode: '9'.repeat(100_000) },
      { storeId: org.storeA, amountFen: 100, clientRequestId: 'bad-input-0003' },
      { ...base, amountFen: 100, memberCode: memberCode(MEMBER_NO) },
      { ...base, amountFen: 100, extra: 'field' },
      { ...base, amountFen: 100, openid: 'o-someone-else' },
    ]
    for (const input of bad) {
      const res = await c.admin(org.clerk, 'cashier.capture', input)
      expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringMatching(/\S/) })
    }
    expect(await snapshot(c.db)).toBe(before)
  })

  it('tells the clerk a customer without the card should pay in the mini program first', async () => {
    const before = await snapshot(c.db)
    const res = await c.admin(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 1000, memberNo: '11112222', clientRequestId: requestId() })
    expect(res).toMatchObject({ ok: false, code: 'NOT_FOUND', message: expect.stringContaining('小程序内完成一次支付') })
    const unknownStore = await c.admin(org.owner, 'cashier.capture', { storeId: 'no-such-store', amountFen: 1000, memberNo: MEMBER_NO, clientRequestId: requestId() })
    expect(unknownStore).toMatchObject({ ok: false, code: 'NOT_FOUND', message: '门店不存在' })
    expect(await snapshot(c.db)).toBe(before)
  })

  it('keeps a clerk to their own store', async () => {
    const before = await snapshot(c.db)
    const res = await c.admin(org.clerk, 'cashier.capture', { storeId: org.storeB, amountFen: 1000, memberNo: MEMBER_NO, phoneLast4: '5678', clientRequestId: requestId() })
    expect(res).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await snapshot(c.db)).toBe(before)
  })
})

describe('members', () => {
  it('looks a member up by phone, number or code, phone masked', async () => {
    const byPhone = await c.ok(org.clerk, 'members.lookup', { phone: '138 1234 5678' })
    expect(byPhone.member).toMatchObject({ memberNo: MEMBER_NO, phone: '138****5678', tierName: '银卡会员', favouriteStoreName: '徐汇店' })
    expect(JSON.stringify(byPhone)).not.toContain('13812345678')
    expect(JSON.stringify(byPhone)).not.toContain(CUSTOMER)
    expect((await c.ok(org.clerk, 'members.lookup', { memberNo: MEMBER_NO })).member.memberNo).toBe(MEMBER_NO)
    expect((await c.ok(org.clerk, 'members.lookup', { memberCode: memberCode(MEMBER_NO) })).member.memberNo).toBe(MEMBER_NO)
    expect(await c.ok(org.clerk, 'members.lookup', { memberNo: '00000000' })).toEqual({ member: null })
    expect(await c.admin(org.clerk, 'members.lookup', { phone: '138', memberNo: MEMBER_NO })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await c.admin(org.clerk, 'members.lookup', {})).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
  })

  it('pages the profile ledger newest first', async () => {
    const first = await c.ok(org.clerk, 'members.profile', { memberNo: MEMBER_NO, page: 1 })
    expect(first.member).toMatchObject({ memberNo: MEMBER_NO, firstStoreName: '徐汇店', sourceTouchpoint: 'poster', referrerMemberNo: null })
    expect(first.ledger.length).toBeGreaterThan(0)
    const times = first.ledger.map((l: any) => new Date(l.createdAt).getTime())
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    expect(first.ledger[0]).toMatchObject({ title: '消费得积分', delta: expect.any(Number) })
    const total = first.ledger.reduce((s: number, l: any) => s + l.delta, 0)
    expect(total).toBe((await getMember(c.db, CUSTOMER)).points)
    expect(first.hasMore).toBe(false)
    expect(await c.admin(org.clerk, 'members.profile', { memberNo: '00000000', page: 1 })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })

  it('adds and removes manual tags, at most 10 of 1..10 characters', async () => {
    expect(await c.ok(org.manager, 'members.tag', { memberNo: MEMBER_NO, tag: '燕麦奶' })).toEqual({ tags: ['燕麦奶'] })
    expect(await c.ok(org.manager, 'members.tag', { memberNo: MEMBER_NO, tag: '燕麦奶' })).toEqual({ tags: ['燕麦奶'] })
    for (let i = 1; i < 10; i += 1) await c.ok(org.manager, 'members.tag', { memberNo: MEMBER_NO, tag: `标签${i}` })
    expect((await getMember(c.db, CUSTOMER)).manualTags).toHaveLength(10)
    const before = await snapshot(c.db)
    expect(await c.admin(org.manager, 'members.tag', { memberNo: MEMBER_NO, tag: '第十一个' })).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('10') })
    expect(await c.admin(org.manager, 'members.tag', { memberNo: MEMBER_NO, tag: '一二三四五六七八九十一' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await c.admin(org.manager, 'members.tag', { memberNo: MEMBER_NO, tag: '   ' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await c.admin(org.manager, 'members.tag', { memberNo: MEMBER_NO, tag: 'x'.repeat(100_000) })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await snapshot(c.db)).toBe(before)
    const removed = await c.ok(org.manager, 'members.tag', { memberNo: MEMBER_NO, tag: '燕麦奶', remove: true })
    expect(removed.tags).toHaveLength(9)
    expect(removed.tags).not.toContain('燕麦奶')
    expect((await getMember(c.db, CUSTOMER)).manualTags).toEqual(removed.tags)
    const looked = await c.ok(org.clerk, 'members.lookup', { memberNo: MEMBER_NO })
    expect(looked.member.tags).toEqual(expect.arrayContaining(removed.tags))
  })
})

describe('error messages', () => {
  it('are Chinese and name the problem', async () => {
    const res = await c.admin(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 1.5, memberNo: MEMBER_NO, phoneLast4: '5678', clientRequestId: 'msg-check-0001' })
    expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('金额应为整数') })
    const both = await c.admin(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 100, memberNo: MEMBER_NO, memberCode: memberCode(MEMBER_NO), clientRequestId: 'msg-check-0002' })
    expect(both).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('二选一') })
    const none = await c.admin(org.clerk, 'members.lookup', {})
    expect(none).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('三选一') })
  })
})
