import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { all, insertMember, memberCode, seedCodeSecret, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'
import { activeTemplate, codesOf, couponDoc, memberOk, requestId, setFields } from './helpers'

let c: AdminCloud
let org: Org
const HOLDER = 'o-holder'
const HOLDER_NO = '70000001'

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  await seedCodeSecret(c.db)
  await insertMember(c.db, HOLDER, HOLDER_NO)
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

async function held(terms: Record<string, unknown> = {}): Promise<string> {
  const t = await activeTemplate(c, org, { title: '核销券', ...terms })
  return (await memberOk(c, HOLDER, 'claimCoupon', { templateId: t.id })).coupon.id
}

async function ticketFor(couponId: string, clerk: string, storeId = org.storeA, amountFen?: number): Promise<string> {
  const { code } = await codesOf(c, couponId)
  const found = await c.ok(clerk, 'coupons.lookup', { storeId, code, ...(amountFen ? { amountFen } : {}) })
  return found.coupons[0].ticket
}

describe('verification at the counter (核销)', () => {
  it('looks up by scan code, short code (with spaces) and member code; shows what, whose, where, until when', async () => {
    const id = await held({ title: '三种查法' })
    const { code, shortCode } = await codesOf(c, id)
    const byScan = await c.ok(org.clerk, 'coupons.lookup', { storeId: org.storeA, code })
    expect(byScan).toMatchObject({ kind: 'coupon', memberNo: HOLDER_NO })
    expect(byScan.coupons[0]).toMatchObject({ id, title: '三种查法', owner: expect.stringContaining('会员'), validUntil: expect.any(String), ticket: expect.any(String) })
    const typed = shortCode.replace(/(\d{4})/g, '$1 ')
    expect((await c.ok(org.clerk, 'coupons.lookup', { storeId: org.storeA, code: typed })).coupons[0].id).toBe(id)
    const byMember = await c.ok(org.clerk, 'coupons.lookup', { storeId: org.storeA, code: memberCode(HOLDER_NO) })
    expect(byMember.kind).toBe('member')
    expect(byMember.coupons.map((x: any) => x.id)).toContain(id)
  })

  it('two clerks confirming the same coupon at once: one succeeds, the other is told 已核销 with when and where', async () => {
    const id = await held({ title: '双人核销' })
    const [a, b] = await Promise.all([ticketFor(id, org.clerk), ticketFor(id, org.manager)])
    const results = await Promise.all([
      c.admin(org.clerk, 'coupons.verify', { storeId: org.storeA, ticket: a, requestId: requestId() }),
      c.admin(org.manager, 'coupons.verify', { storeId: org.storeA, ticket: b, requestId: requestId() }),
    ])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, code: 'ALREADY_USED', message: expect.stringMatching(/已核销.*徐汇店/) })
    expect(await all(c.db, COLLECTIONS.couponVerifications, { couponId: id })).toHaveLength(1)
    expect(await couponDoc(c, id)).toMatchObject({ status: 'used', usedStoreId: org.storeA })
    expect(await all(c.db, COLLECTIONS.audit, { target: `coupon:${id}` })).toEqual([expect.objectContaining({ action: 'coupons.verify', storeId: org.storeA })])
  })

  it('a retried tap (same request id, 8 times at once) records once and answers the same verification', async () => {
    const id = await held({ title: '重试核销' })
    const ticket = await ticketFor(id, org.clerk)
    const rid = requestId()
    const results = await Promise.all(Array.from({ length: 8 }, () => c.admin(org.clerk, 'coupons.verify', { storeId: org.storeA, ticket, requestId: rid })))
    for (const r of results) expect(r).toMatchObject({ ok: true })
    const data = results.map((r) => (r as { ok: true; data: any }).data)
    expect(new Set(data.map((d) => d.verification.id)).size).toBe(1)
    expect(data.filter((d) => !d.alreadyRecorded)).toHaveLength(1)
    expect(await all(c.db, COLLECTIONS.couponVerifications, { couponId: id })).toHaveLength(1)
    expect(await all(c.db, COLLECTIONS.audit, { target: `coupon:${id}` })).toHaveLength(1)
    // Later, the same retry still answers the record, not 已核销.
    expect(await c.ok(org.clerk, 'coupons.verify', { storeId: org.storeA, ticket, requestId: rid })).toMatchObject({ alreadyRecorded: true })
  })

  it('undo within 10 minutes by a manager or above makes the coupon usable again (recorded); a clerk may not; later it is refused', async () => {
    const id = await held({ title: '撤销核销' })
    const ticket = await ticketFor(id, org.clerk)
    const done = await c.ok(org.clerk, 'coupons.verify', { storeId: org.storeA, ticket, requestId: requestId() })
    const before = await snapshot(c.db)
    expect(await c.admin(org.clerk, 'coupons.undo', { verificationId: done.verification.id })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await snapshot(c.db)).toBe(before)
    const undone = await c.ok(org.manager, 'coupons.undo', { verificationId: done.verification.id })
    expect(undone.verification).toMatchObject({ status: 'undone', undoneByName: '店长小李', undoable: false })
    expect(await couponDoc(c, id)).toMatchObject({ status: 'available', usedAt: null })
    expect(await all(c.db, COLLECTIONS.couponEvents, { couponId: id })).toEqual([expect.objectContaining({ kind: 'undone' })])
    expect((await all(c.db, COLLECTIONS.audit, { target: `coupon:${id}` })).map((l) => l.action).sort()).toEqual(['coupons.undo', 'coupons.verify'])
    expect(await c.admin(org.manager, 'coupons.undo', { verificationId: done.verification.id })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })
    // Used again, then 11 minutes pass: too late to undo.
    const again = await c.ok(org.clerk, 'coupons.verify', { storeId: org.storeA, ticket: await ticketFor(id, org.clerk), requestId: requestId() })
    await setFields(c, COLLECTIONS.couponVerifications, again.verification.id, { createdAt: new Date(Date.now() - 11 * 60_000) })
    const snap = await snapshot(c.db)
    expect(await c.admin(org.owner, 'coupons.undo', { verificationId: again.verification.id })).toMatchObject({ ok: false, code: 'UNDO_WINDOW_PASSED' })
    expect(await snapshot(c.db)).toBe(snap)
  })

  it('refuses with specific codes — another store, expired, threshold not met, no role, bad codes — and changes nothing', async () => {
    const jingan = await held({ title: '静安专用', usableStoreIds: [org.storeB] })
    const expired = await held({ title: '过期了' })
    const threshold = await held({ title: '满100减20', value: { type: 'threshold', valueFen: 2000, thresholdFen: 10000 } })
    await setFields(c, COLLECTIONS.coupons, expired, { validUntil: new Date(Date.now() - 60_000) })
    const snap = await snapshot(c.db)
    const wrongStore = await c.ok(org.clerk, 'coupons.lookup', { storeId: org.storeA, code: (await codesOf(c, jingan)).code })
    expect(wrongStore.coupons[0]).toMatchObject({ ticket: null, refusal: { code: 'COUPON_WRONG_STORE', message: expect.stringContaining('静安店') } })
    expect(await c.admin(org.clerk, 'coupons.lookup', { storeId: org.storeA, code: (await codesOf(c, expired)).code })).toMatchObject({ ok: false, code: 'EXPIRED' })
    const low = await c.ok(org.clerk, 'coupons.lookup', { storeId: org.storeA, code: (await codesOf(c, threshold)).code, amountFen: 9999 })
    expect(low.coupons[0]).toMatchObject({ ticket: null, refusal: { code: 'COUPON_THRESHOLD' } })
    const t = await ticketFor(threshold, org.clerk)
    expect(await c.admin(org.clerk, 'coupons.verify', { storeId: org.storeA, ticket: t, requestId: requestId(), orderAmountFen: 9999 })).toMatchObject({ ok: false, code: 'COUPON_THRESHOLD' })
    expect(await c.admin(org.clerk, 'coupons.verify', { storeId: org.storeA, ticket: t, requestId: requestId() })).toMatchObject({ ok: false, code: 'COUPON_THRESHOLD' })
    // A ticket is the clerk's and the store's: another clerk or store cannot use it.
    expect(await c.admin(org.manager, 'coupons.verify', { storeId: org.storeA, ticket: t, requestId: requestId(), orderAmountFen: 20000 })).toMatchObject({ ok: false, code: 'COUPON_CODE_INVALID' })
    expect(await c.admin(org.owner, 'coupons.verify', { storeId: org.storeB, ticket: t, requestId: requestId(), orderAmountFen: 20000 })).toMatchObject({ ok: false, code: 'COUPON_CODE_INVALID' })
    // Roles: HQ does not work the counter; a consumer is not staff; a clerk of 徐汇 not at 静安.
    expect(await c.admin(org.hq, 'coupons.verify', { storeId: org.storeA, ticket: t, requestId: requestId(), orderAmountFen: 20000 })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin('o-consumer', 'coupons.lookup', { storeId: org.storeA, code: (await codesOf(c, threshold)).code })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.clerk, 'coupons.lookup', { storeId: org.storeB, code: (await codesOf(c, jingan)).code })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    // Bad codes: malformed, forged, stale (two windows ago), a ticket tampered with.
    const { code } = await codesOf(c, threshold)
    const forged = code.slice(0, 15) + String((Number(code.slice(15)) + 1) % 1_000_000).padStart(6, '0')
    for (const bad of ['12345', 'abcdefghijklmnopqrstu', forged, '9'.repeat(14)]) {
      expect([bad, await c.admin(org.clerk, 'coupons.lookup', { storeId: org.storeA, code: bad })]).toEqual([bad, expect.objectContaining({ ok: false, code: 'COUPON_CODE_INVALID' })])
    }
    const tampered = t.replace(/\.(\d+)\./, (_m, exp) => `.${Number(exp) + 60_000}.`)
    expect(await c.admin(org.clerk, 'coupons.verify', { storeId: org.storeA, ticket: tampered, requestId: requestId(), orderAmountFen: 20000 })).toMatchObject({ ok: false, code: 'COUPON_CODE_INVALID' })
    expect(await c.admin(org.clerk, 'coupons.verify', { storeId: org.storeA, ticket: t, requestId: 'short', orderAmountFen: 20000 })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await c.admin(org.clerk, 'coupons.verify', { storeId: org.storeA, ticket: t, requestId: requestId(), orderAmountFen: -5 })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await snapshot(c.db)).toBe(snap)
    // With the threshold met it goes through, recording the amount and the discount.
    const ok = await c.ok(org.clerk, 'coupons.verify', { storeId: org.storeA, ticket: t, requestId: requestId(), orderAmountFen: 12000 })
    expect(ok.verification).toMatchObject({ orderAmountFen: 12000, discountFen: 2000, storeName: '徐汇店', clerkName: '店员小赵' })
  })

  it('history per store: a manager sees their store, HQ sees all', async () => {
    const a = await held({ title: '徐汇核销' })
    const b = await held({ title: '静安核销' })
    await c.ok(org.clerk, 'coupons.verify', { storeId: org.storeA, ticket: await ticketFor(a, org.clerk), requestId: requestId() })
    await c.ok(org.owner, 'coupons.verify', { storeId: org.storeB, ticket: await ticketFor(b, org.owner, org.storeB), requestId: requestId() })
    const mine = await c.ok(org.manager, 'coupons.history', {})
    expect(mine.verifications.every((v: any) => v.storeId === org.storeA)).toBe(true)
    expect(mine.verifications.map((v: any) => v.couponId)).toContain(a)
    expect(mine.verifications[0]).toMatchObject({ couponId: a, undoable: true })
    expect(await c.admin(org.manager, 'coupons.history', { storeId: org.storeB })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const hq = await c.ok(org.hq, 'coupons.history', {})
    expect(hq.verifications.map((v: any) => v.couponId)).toEqual(expect.arrayContaining([a, b]))
    const clerkView = await c.ok(org.clerk, 'coupons.history', {})
    expect(clerkView.verifications.every((v: any) => v.undoable === false)).toBe(true)
  })
})
