/**
 * Counter fraud at the cashier, played as the attacks they are (issue 12): the clerk minting
 * points for themselves, a large sale past the manager, daily caps under concurrency, a closed
 * store, and brute-forcing typed numbers. Each refusal changes nothing (snapshot() leaves out
 * only the refusal records, which are checked on their own).
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { all, getMember, insertMember, memberCode, seedCodeSecret, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'

let c: AdminCloud
let org: Org
const CUSTOMER = 'o-fraud-customer'
const MEMBER_NO = '30300001'
const CLERK_MEMBER_NO = '30300002'
const MANAGER_MEMBER_NO = '30300003'

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  await seedCodeSecret(c.db)
  await insertMember(c.db, CUSTOMER, MEMBER_NO, { phone: '13912340001', firstStoreId: org.storeA })
  // The clerk and the manager joined as members with a 1-fen payment, like the attacker did.
  await insertMember(c.db, org.clerk, CLERK_MEMBER_NO, { phone: '13912340002', firstStoreId: org.storeA })
  await insertMember(c.db, org.manager, MANAGER_MEMBER_NO, { phone: '13912340003', firstStoreId: org.storeA })
})
afterAll(async () => {
  await c?.stop()
})

let seq = 0
const rid = () => `fraud-${Date.now().toString(36)}-${++seq}`
const attempts = () => all(c.db, COLLECTIONS.cashierAttempts)

describe('self-dealing', () => {
  it('refuses a clerk recording sales for their own membership, by code or number, changing nothing and keeping the refusal', async () => {
    const before = await snapshot(c.db)
    const byCode = await c.admin(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 10_000_000, memberCode: memberCode(CLERK_MEMBER_NO), clientRequestId: rid() })
    expect(byCode).toEqual({ ok: false, code: 'CASHIER_SELF', message: '不能为自己的会员账户记录消费' })
    const byNumber = await c.admin(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 100, memberNo: CLERK_MEMBER_NO, phoneLast4: '0002', clientRequestId: rid() })
    expect(byNumber).toMatchObject({ ok: false, code: 'CASHIER_SELF' })
    // Not even the owner or a manager records for themselves.
    expect(await c.admin(org.manager, 'cashier.capture', { storeId: org.storeA, amountFen: 100, memberCode: memberCode(MANAGER_MEMBER_NO), clientRequestId: rid() })).toMatchObject({ ok: false, code: 'CASHIER_SELF' })
    expect(await snapshot(c.db)).toBe(before)
    expect((await getMember(c.db, org.clerk)).points).toBe(0)
    const kept = (await attempts()).filter((a) => a.code === 'CASHIER_SELF')
    expect(kept).toHaveLength(3)
    expect(kept[0]).toMatchObject({ staffOpenid: org.clerk, memberNo: CLERK_MEMBER_NO, amountFen: 10_000_000, message: '不能为自己的会员账户记录消费' })
  })

  it('refuses a clerk recording for another staff member; a manager may, and the audit says who', async () => {
    const before = await snapshot(c.db)
    const res = await c.admin(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 500, memberCode: memberCode(MANAGER_MEMBER_NO), clientRequestId: rid() })
    expect(res).toEqual({ ok: false, code: 'CASHIER_STAFF_MEMBER', message: '员工本人的会员消费须由店长或以上角色记录' })
    expect(await snapshot(c.db)).toBe(before)
    const ok = await c.ok(org.manager, 'cashier.capture', { storeId: org.storeA, amountFen: 500, memberCode: memberCode(CLERK_MEMBER_NO), clientRequestId: rid() })
    expect(ok).toMatchObject({ memberNo: CLERK_MEMBER_NO, pointsEarned: 5 })
    const lines = await all(c.db, COLLECTIONS.audit, { target: `member:${CLERK_MEMBER_NO}` })
    expect(lines).toEqual([expect.objectContaining({ action: 'cashier.capture', actorOpenid: org.manager, summary: expect.stringContaining('收银 ¥5.00') })])
  })
})

describe('per-sale approval', () => {
  it('puts a clerk’s sale above the line on hold; the manager sees it, approves it once (5 concurrent taps), the clerk sees the result', async () => {
    const before = await getMember(c.db, CUSTOMER)
    const id = rid()
    const input = { storeId: org.storeA, amountFen: 80_000, memberCode: memberCode(MEMBER_NO), clientRequestId: id }
    const held = await c.ok(org.clerk, 'cashier.capture', input)
    expect(held.pendingApproval).toMatchObject({ status: 'pending', reason: 'amount', amountFen: 80_000, memberNo: MEMBER_NO, clerkName: '店员小赵' })
    // A resubmit of the same sale is the same approval, not a second one.
    expect((await c.ok(org.clerk, 'cashier.capture', input)).pendingApproval.id).toBe(held.pendingApproval.id)
    expect((await getMember(c.db, CUSTOMER)).points).toBe(before.points)

    const list = await c.ok(org.manager, 'cashier.approvals', {})
    expect(list.approvals.map((a: any) => a.id)).toEqual([held.pendingApproval.id])
    expect(await c.admin(org.clerk, 'cashier.approvals', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.clerk, 'cashier.decide', { approvalId: held.pendingApproval.id, approve: true })).toMatchObject({ ok: false, code: 'FORBIDDEN' })

    const taps = await Promise.all(Array.from({ length: 5 }, () => c.admin(org.manager, 'cashier.decide', { approvalId: held.pendingApproval.id, approve: true })))
    expect(taps.filter((t) => t.ok)).toHaveLength(1)
    for (const t of taps.filter((x) => !x.ok)) expect(t).toMatchObject({ code: 'APPROVAL_DECIDED', message: '该审批已处理' })
    const after = await getMember(c.db, CUSTOMER)
    expect(after.points).toBe(before.points + 800)
    expect(await all(c.db, COLLECTIONS.orders, { clerkOpenid: org.clerk, amountFen: 80_000 })).toHaveLength(1)

    const seen = await c.ok(org.clerk, 'cashier.approval', { approvalId: held.pendingApproval.id })
    expect(seen.approval).toMatchObject({ status: 'approved', decidedByName: '店长小李', pointsEarned: 800 })
    expect((await c.ok(org.manager, 'cashier.approvals', {})).approvals).toEqual([])
    const audit = await all(c.db, COLLECTIONS.audit, { target: `member:${MEMBER_NO}` })
    expect(audit.map((a) => a.action).sort()).toEqual(['cashier.capture', 'cashier.decide'])
    // The member profile shows the request and the approval.
    const profile = await c.ok(org.manager, 'members.profile', { memberNo: MEMBER_NO, page: 1 })
    expect(profile.cashierLog.map((l: any) => l.text)).toEqual(expect.arrayContaining([expect.stringContaining('待店长审批'), expect.stringContaining('批准并记录收银 ¥800.00')]))
  })

  it('records nothing when the manager refuses, and says so to the clerk', async () => {
    const before = await snapshot(c.db)
    const held = await c.ok(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 99_000, memberCode: memberCode(MEMBER_NO), clientRequestId: rid() })
    const refused = await c.ok(org.manager, 'cashier.decide', { approvalId: held.pendingApproval.id, approve: false })
    expect(refused.approval).toMatchObject({ status: 'refused', decidedByName: '店长小李' })
    expect((await c.ok(org.clerk, 'cashier.approval', { approvalId: held.pendingApproval.id })).approval.status).toBe('refused')
    expect(await c.admin(org.manager, 'cashier.decide', { approvalId: held.pendingApproval.id, approve: true })).toMatchObject({ ok: false, code: 'APPROVAL_DECIDED' })
    // Only the approval and its two audit lines are new: no order, no points.
    const after = JSON.parse(await snapshot(c.db))
    const was = JSON.parse(before)
    expect(after[COLLECTIONS.orders]).toEqual(was[COLLECTIONS.orders])
    expect(after[COLLECTIONS.members]).toEqual(was[COLLECTIONS.members])
    expect(after[COLLECTIONS.pointsLedger]).toEqual(was[COLLECTIONS.pointsLedger])
  })
})

describe('daily caps', () => {
  it('holds the clerk’s daily cap under 6 concurrent sales, in the capture’s transaction', async () => {
    await c.ok(org.owner, 'settings.update', { cashier: { approvalAboveFen: 50_000, clerkDailyCapFen: 60_000 + (await clerkTotal()), storeDailyCapFen: 2_000_000, typedNumberCheck: 'phoneLast4', failedAttemptsPerMinute: 10 } })
    const before = await clerkTotal()
    const results = await Promise.all(
      Array.from({ length: 6 }, () => c.admin(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 20_000, memberCode: memberCode(MEMBER_NO), clientRequestId: rid() })),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(3)
    for (const r of results.filter((x) => !x.ok)) expect(r).toMatchObject({ code: 'CASHIER_CLERK_DAILY_CAP', message: expect.stringContaining('您今日的收银总额已达上限') })
    expect((await clerkTotal()) - before).toBe(60_000)
    expect((await all(c.db, COLLECTIONS.cashierAttempts, { code: 'CASHIER_CLERK_DAILY_CAP' })).length).toBe(3)
  })

  it('holds the store’s cap across staff', async () => {
    const store = await storeTotal()
    await c.ok(org.owner, 'settings.update', { cashier: { approvalAboveFen: 50_000, clerkDailyCapFen: 100_000, storeDailyCapFen: store + 30_000, typedNumberCheck: 'phoneLast4', failedAttemptsPerMinute: 10 } })
    expect(await c.ok(org.manager, 'cashier.capture', { storeId: org.storeA, amountFen: 30_000, memberCode: memberCode(MEMBER_NO), clientRequestId: rid() })).toMatchObject({ pointsEarned: expect.any(Number) })
    const before = await snapshot(c.db)
    expect(await c.admin(org.owner, 'cashier.capture', { storeId: org.storeA, amountFen: 1, memberCode: memberCode(MEMBER_NO), clientRequestId: rid() })).toMatchObject({ ok: false, code: 'CASHIER_STORE_DAILY_CAP' })
    expect(await snapshot(c.db)).toBe(before)
    await c.ok(org.owner, 'settings.update', { cashier: { approvalAboveFen: 50_000, clerkDailyCapFen: 500_000_000, storeDailyCapFen: 900_000_000, typedNumberCheck: 'phoneLast4', failedAttemptsPerMinute: 10 } })
  })
})

async function clerkTotal(): Promise<number> {
  const rows = await all(c.db, COLLECTIONS.cashierTotals)
  return rows.filter((r) => String(r._id).startsWith(`clerk:${org.clerk}:`)).reduce((s, r) => s + r.totalFen, 0)
}
async function storeTotal(): Promise<number> {
  const rows = await all(c.db, COLLECTIONS.cashierTotals)
  return rows.filter((r) => String(r._id).startsWith(`store:${org.storeA}:`)).reduce((s, r) => s + r.totalFen, 0)
}

describe('closed store', () => {
  it('refuses cashier sales at a closed store, as createOrder does', async () => {
    await c.ok(org.owner, 'stores.update', { storeId: org.storeB, status: 'closed' })
    const before = await snapshot(c.db)
    const res = await c.admin(org.owner, 'cashier.capture', { storeId: org.storeB, amountFen: 1000, memberCode: memberCode(MEMBER_NO), clientRequestId: rid() })
    expect(res).toEqual({ ok: false, code: 'NOT_FOUND', message: '门店已停止营业，不能收银' })
    const order = await c.send('member', 'createOrder', { storeId: org.storeB, amountFen: 1000 }, CUSTOMER)
    expect(order).toMatchObject({ ok: false, code: 'NOT_FOUND', message: '门店不存在或已停止营业' })
    expect(await snapshot(c.db)).toBe(before)
    await c.ok(org.owner, 'stores.update', { storeId: org.storeB, status: 'open' })
  })
})

describe('typed member numbers', () => {
  it('asks a clerk for the last 4 digits of the phone, refuses a wrong one', async () => {
    await c.ok(org.owner, 'settings.update', { cashier: { approvalAboveFen: 50_000, clerkDailyCapFen: 500_000_000, storeDailyCapFen: 900_000_000, typedNumberCheck: 'phoneLast4', failedAttemptsPerMinute: 10 } })
    const before = await snapshot(c.db)
    expect(await c.admin(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 100, memberNo: MEMBER_NO, clientRequestId: rid() })).toEqual({ ok: false, code: 'PHONE_CHECK_REQUIRED', message: '手动输入会员号时，请核对顾客手机号后 4 位' })
    expect(await c.admin(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 100, memberNo: MEMBER_NO, phoneLast4: '9999', clientRequestId: rid() })).toMatchObject({ ok: false, code: 'PHONE_CHECK_FAILED' })
    expect(await snapshot(c.db)).toBe(before)
    expect(await c.ok(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 100, memberNo: MEMBER_NO, phoneLast4: '0001', clientRequestId: rid() })).toMatchObject({ memberNo: MEMBER_NO })
  })

  it('limits a brute force of 40 guesses in parallel to the merchant’s limit per minute, with nothing recorded', async () => {
    await c.ok(org.owner, 'settings.update', { cashier: { approvalAboveFen: 50_000, clerkDailyCapFen: 500_000_000, storeDailyCapFen: 900_000_000, typedNumberCheck: 'phoneLast4', failedAttemptsPerMinute: 5 } })
    const hunter = org.manager // a different staff member: their own minute's slots
    const before = await snapshot(c.db)
    const guesses = Array.from({ length: 40 }, (_, i) => String(40_000_000 + i))
    const results = await Promise.all(guesses.map((memberNo) => c.admin(hunter, 'members.lookup', { memberNo })))
    const answered = results.filter((r) => r.ok)
    const limited = results.filter((r) => !r.ok && r.code === 'TOO_MANY_ATTEMPTS')
    // At most 5 guesses are looked at in the minute (a window edge may give a second 5).
    expect(answered.length).toBeLessThanOrEqual(10)
    expect(limited.length).toBeGreaterThanOrEqual(30)
    for (const r of limited) expect(r).toMatchObject({ message: '失败次数过多，请 1 分钟后再试' })
    expect(await snapshot(c.db)).toBe(before)
    // The slots are unique documents: never more than the limit per minute.
    const slots = await all(c.db, COLLECTIONS.attemptSlots, { staffOpenid: hunter })
    const perMinute = new Map<string, number>()
    for (const s of slots) perMinute.set(s.minute, (perMinute.get(s.minute) ?? 0) + 1)
    for (const n of perMinute.values()) expect(n).toBeLessThanOrEqual(5)
    await c.ok(org.owner, 'settings.update', { cashier: { approvalAboveFen: 50_000, clerkDailyCapFen: 500_000_000, storeDailyCapFen: 900_000_000, typedNumberCheck: 'managerApproval', failedAttemptsPerMinute: 10 } })
  })

  it('sends a clerk’s typed number to the manager when the merchant chose approval', async () => {
    const res = await c.ok(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 100, memberNo: MEMBER_NO, clientRequestId: rid() })
    expect(res.pendingApproval).toMatchObject({ reason: 'typedNumber', reasonText: '手动输入会员号', status: 'pending' })
  })
})

describe('phones', () => {
  it('gives one phone to one member: a second member binding it is refused, and lookup names the one', async () => {
    const a = await c.send('member', 'bindPhone', { code: 'local-phone-13700000001' }, CUSTOMER)
    expect(a).toMatchObject({ ok: true })
    const before = await snapshot(c.db)
    const b = await c.send('member', 'bindPhone', { code: 'local-phone-13700000001' }, org.clerk)
    expect(b).toEqual({ ok: false, code: 'PHONE_TAKEN', message: '该手机号已绑定其他会员' })
    expect(await snapshot(c.db)).toBe(before)
    expect((await c.ok(org.owner, 'members.lookup', { phone: '13700000001' })).member.memberNo).toBe(MEMBER_NO)
  })
})
