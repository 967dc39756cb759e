import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { all, seedChain, snapshot, startAdminCloud, STORE_INPUT, type AdminCloud, type Chain } from './helpers'

/**
 * A chain's back office (issue 17): the tree decides what sub-brand operators and region
 * managers act on, on every call; staff are changed and removed only below oneself and within
 * one's scope; invites are revoked; every change leaves its audit line, readable by owner and HQ.
 */
let c: AdminCloud
let org: Chain

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedChain(c)
})
afterAll(async () => {
  await c?.stop()
})

let n = 0
async function clerkAt(storeId: string, issuer = org.owner): Promise<string> {
  n += 1
  const inv = await c.ok(issuer, 'staff.invite', { role: 'clerk', storeId })
  const openid = `o-chain-clerk-${n}`
  await c.ok(openid, 'joinStaff', { code: inv.code, name: `店员${n}` })
  return openid
}

const auditOf = async (action: string) => (await all(c.db, COLLECTIONS.audit, { action })).length

describe('the tree decides the scope, on every call', () => {
  it('gives the operator every store of the sub-brand and the region manager those of the region', async () => {
    const brand = await c.ok(org.brand, 'me')
    expect(brand.staff).toMatchObject({ role: 'brand', roleName: '子品牌运营', subBrands: [{ id: org.b1, name: '拾光咖啡' }], regions: [] })
    expect(brand.staff.storeIds.sort()).toEqual([org.storeA, org.storeC].sort())
    const region = await c.ok(org.region, 'me')
    expect(region.staff).toMatchObject({ role: 'region', roleName: '区域经理', storeIds: [org.storeA], regions: [{ id: org.r1, name: '浦西区' }] })
    expect(region.staff.capabilities.actions['orders.refund']).toEqual([org.storeA])
    expect((await c.ok(org.region, 'stores.list')).stores.map((s: any) => s.id)).toEqual([org.storeA])
  })

  it('follows a store moved in or out at the next call', async () => {
    expect(await c.admin(org.region, 'stores.update', { storeId: org.storeC, hours: '09:00-21:00' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    await c.ok(org.owner, 'stores.assign', { storeId: org.storeC, subBrandId: org.b1, regionId: org.r1 })
    expect(await c.admin(org.region, 'stores.update', { storeId: org.storeC, hours: '09:00-21:00' })).toMatchObject({ ok: true })
    // Out of the sub-brand: the operator loses it at once.
    await c.ok(org.owner, 'stores.assign', { storeId: org.storeC, subBrandId: org.b2, regionId: null })
    expect(await c.admin(org.brand, 'stores.update', { storeId: org.storeC, hours: '10:00-21:00' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.region, 'stores.update', { storeId: org.storeC, hours: '10:00-21:00' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    await c.ok(org.owner, 'stores.assign', { storeId: org.storeC, subBrandId: org.b1, regionId: null })
    expect(await c.admin(org.brand, 'stores.update', { storeId: org.storeC, hours: '10:00-21:00' })).toMatchObject({ ok: true })
  })

  it('lets the operator edit their own sub-brand only, and shows each their part of the tree', async () => {
    expect(await c.admin(org.brand, 'subBrands.update', { subBrandId: org.b1, card: { background: '#112233', textColor: '#ffffff' } })).toMatchObject({ ok: true })
    expect(await c.admin(org.brand, 'subBrands.update', { subBrandId: org.b2, brandName: '抢来的' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const forBrand = await c.ok(org.brand, 'subBrands.list')
    expect(forBrand.subBrands.map((b: any) => [b.name, b.editable])).toEqual([['拾光咖啡', true]])
    expect(forBrand.unassignedStores).toEqual([])
    const forRegion = await c.ok(org.region, 'subBrands.list')
    expect(forRegion.subBrands).toEqual([expect.objectContaining({ id: org.b1, editable: false, regions: [expect.objectContaining({ id: org.r1, stores: [{ id: org.storeA, name: '徐汇店' }] })] })])
    const forOwner = await c.ok(org.owner, 'subBrands.list')
    expect(forOwner.subBrands.map((b: any) => b.name).sort()).toEqual(['拾光咖啡', '拾光茶饮'].sort())
  })

  it('refuses bad tree input with specific codes and changes nothing', async () => {
    const before = await snapshot(c.db)
    const refusals: Array<[string, unknown, string]> = [
      ['stores.assign', { storeId: org.storeA, subBrandId: org.b2, regionId: org.r1 }, 'INVALID_INPUT'],
      ['stores.assign', { storeId: org.storeA, subBrandId: null, regionId: org.r1 }, 'INVALID_INPUT'],
      ['stores.assign', { storeId: 'no-such-store', subBrandId: org.b1 }, 'NOT_FOUND'],
      ['stores.assign', { storeId: org.storeA, subBrandId: 'no-such-brand' }, 'NOT_FOUND'],
      ['stores.assign', { storeId: org.storeA, subBrandId: org.b1, regionId: 'no-such-region' }, 'NOT_FOUND'],
      ['subBrands.create', { name: '' }, 'INVALID_INPUT'],
      ['subBrands.create', { name: '品'.repeat(21) }, 'INVALID_INPUT'],
      ['subBrands.create', { name: '拾光\u202e茶饮' }, 'INVALID_INPUT'],
      ['subBrands.create', { name: '拾光', card: { background: 'red', textColor: '#ffffff' } }, 'INVALID_INPUT'],
      ['subBrands.update', { subBrandId: org.b1 }, 'INVALID_INPUT'],
      ['subBrands.update', { subBrandId: 'no-such-brand', name: '新' }, 'NOT_FOUND'],
      ['regions.create', { subBrandId: 'no-such-brand', name: '新区' }, 'NOT_FOUND'],
      ['regions.update', { regionId: 'no-such-region', name: '新区' }, 'NOT_FOUND'],
      ['regions.update', { regionId: org.r1, name: '' }, 'INVALID_INPUT'],
    ]
    for (const [action, input, code] of refusals) expect([action, input, await c.admin(org.owner, action, input)]).toEqual([action, input, expect.objectContaining({ ok: false, code })])
    expect(await snapshot(c.db)).toBe(before)
  })
})

describe('staff management', () => {
  it('never promotes to or above oneself, never touches oneself or those not below, and changes nothing when refusing', async () => {
    const clerk = await clerkAt(org.storeA)
    const before = await snapshot(c.db)
    const refusals: Array<[string, string, unknown, string]> = [
      [org.manager, 'staff.update', { staffId: clerk, role: 'manager', storeIds: [org.storeA] }, 'FORBIDDEN'],
      [org.region, 'staff.update', { staffId: clerk, role: 'region', regionIds: [org.r1] }, 'FORBIDDEN'],
      [org.brand, 'staff.update', { staffId: clerk, role: 'brand', subBrandIds: [org.b1] }, 'FORBIDDEN'],
      [org.brand, 'staff.update', { staffId: org.brand, role: 'region', regionIds: [org.r1] }, 'FORBIDDEN'],
      [org.manager, 'staff.update', { staffId: org.manager, role: 'clerk', storeIds: [org.storeA] }, 'FORBIDDEN'],
      [org.region, 'staff.update', { staffId: org.brand, role: 'clerk', storeIds: [org.storeA] }, 'FORBIDDEN'],
      [org.hq, 'staff.remove', { staffId: org.owner }, 'FORBIDDEN'],
      [org.hq, 'staff.remove', { staffId: org.hq }, 'FORBIDDEN'],
      [org.manager, 'staff.remove', { staffId: org.region }, 'FORBIDDEN'],
      // Within scope only: a manager cannot move their clerk to a store that is not theirs.
      [org.manager, 'staff.update', { staffId: clerk, role: 'clerk', storeIds: [org.storeB] }, 'FORBIDDEN'],
      [org.region, 'staff.update', { staffId: clerk, role: 'clerk', storeIds: [org.storeA, org.storeC] }, 'FORBIDDEN'],
      [org.clerk, 'staff.remove', { staffId: clerk }, 'FORBIDDEN'],
      // Bad inputs, with their own codes.
      [org.owner, 'staff.update', { staffId: clerk, role: 'clerk', subBrandIds: [org.b1] }, 'INVALID_INPUT'],
      [org.owner, 'staff.update', { staffId: clerk, role: 'clerk' }, 'INVALID_INPUT'],
      [org.owner, 'staff.update', { staffId: clerk, role: 'region', regionIds: ['no-such-region'] }, 'NOT_FOUND'],
      [org.owner, 'staff.update', { staffId: clerk, role: 'clerk', storeIds: ['no-such-store'] }, 'NOT_FOUND'],
      [org.owner, 'staff.update', { staffId: clerk, role: 'janitor', storeIds: [org.storeA] }, 'INVALID_INPUT'],
      [org.owner, 'staff.update', { staffId: 'o-nobody', role: 'clerk', storeIds: [org.storeA] }, 'NOT_FOUND'],
      [org.owner, 'staff.remove', { staffId: 'o-nobody' }, 'NOT_FOUND'],
      [org.owner, 'staff.remove', { staffId: '' }, 'INVALID_INPUT'],
      [org.hq, 'staff.invite', { role: 'brand' }, 'INVALID_INPUT'],
      [org.hq, 'staff.invite', { role: 'region', regionId: 'no-such-region' }, 'NOT_FOUND'],
      [org.brand, 'staff.invite', { role: 'region', regionId: org.r3 }, 'FORBIDDEN'],
      [org.region, 'staff.invite', { role: 'region', regionId: org.r1 }, 'FORBIDDEN'],
    ]
    for (const [who, action, input, code] of refusals) {
      expect([who, action, input, await c.admin(who, action, input)]).toEqual([who, action, input, expect.objectContaining({ ok: false, code })])
    }
    expect(await snapshot(c.db)).toBe(before)
  })

  it('changes a role and stores within scope, and the changed member acts on the new scope at once', async () => {
    const clerk = await clerkAt(org.storeA)
    expect(await c.admin(clerk, 'orders.refund', { outTradeNo: 'Cnone' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const lines = await auditOf('staff.update')
    const res = await c.ok(org.brand, 'staff.update', { staffId: clerk, role: 'manager', storeIds: [org.storeA, org.storeC] })
    expect(res).toMatchObject({ role: 'manager', storeIds: [org.storeA, org.storeC] })
    expect(await auditOf('staff.update')).toBe(lines + 1)
    const me = await c.ok(clerk, 'me')
    expect(me.staff).toMatchObject({ role: 'manager', roleName: '店长' })
    expect(me.staff.storeIds.sort()).toEqual([org.storeA, org.storeC].sort())
    // The brand operator may make them a region manager of a region of B1, not of B2.
    expect(await c.admin(org.brand, 'staff.update', { staffId: clerk, role: 'region', regionIds: [org.r2] })).toMatchObject({ ok: true })
    expect((await c.ok(clerk, 'me')).staff).toMatchObject({ role: 'region', regions: [{ id: org.r2, name: expect.any(String) }], storeIds: [] })
  })

  it('refuses a removed staff member at their very next call, even with calls in flight', async () => {
    const clerk = await clerkAt(org.storeA, org.manager)
    expect(await c.admin(clerk, 'stores.list', {})).toMatchObject({ ok: true })
    const inFlight = Array.from({ length: 8 }, () => c.admin(clerk, 'stores.list', {}))
    const removed = await c.ok(org.manager, 'staff.remove', { staffId: clerk })
    expect(removed).toEqual({ staffId: clerk, removed: true })
    await Promise.all(inFlight)
    // Every call from now on: refused, every action.
    const after = await Promise.all([
      c.admin(clerk, 'stores.list', {}),
      c.admin(clerk, 'settings.get', {}),
      c.admin(clerk, 'members.lookup', { memberNo: '12345678' }),
      c.admin(clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 100, memberNo: '12345678', clientRequestId: 'removed-clerk-1' }),
    ])
    for (const res of after) expect(res).toMatchObject({ ok: false, code: 'FORBIDDEN', message: '仅限商家员工使用，请先通过邀请码加入' })
    expect(await c.ok(clerk, 'me')).toEqual({ staff: null })
    expect(await c.admin(org.manager, 'staff.remove', { staffId: clerk })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })

  it('two managers changing one clerk at once: each change applies from the state it checked, or is refused', async () => {
    const clerk = await clerkAt(org.storeA)
    const lines = await auditOf('staff.update')
    const results = await Promise.all([
      c.admin(org.owner, 'staff.update', { staffId: clerk, role: 'clerk', storeIds: [org.storeB] }),
      c.admin(org.brand, 'staff.update', { staffId: clerk, role: 'clerk', storeIds: [org.storeC] }),
      c.admin(org.hq, 'staff.remove', { staffId: clerk }),
      c.admin(org.manager, 'staff.update', { staffId: clerk, role: 'clerk', storeIds: [org.storeA] }),
    ])
    for (const r of results) expect(r.ok || ['CONFLICT', 'NOT_FOUND', 'FORBIDDEN'].includes(r.code)).toBe(true)
    const okUpdates = results.filter((r, i) => r.ok && i !== 2).length
    expect(await auditOf('staff.update')).toBe(lines + okUpdates)
    expect(results.some((r) => r.ok)).toBe(true)
  })
})

describe('invites', () => {
  it('lists unused invites in scope and revokes one: the code no longer joins', async () => {
    const inv = await c.ok(org.region, 'staff.invite', { role: 'clerk', storeId: org.storeA })
    const other = await c.ok(org.owner, 'staff.invite', { role: 'clerk', storeId: org.storeB })
    const listed = await c.ok(org.region, 'staff.invites', {})
    const codes = listed.invites.map((i: any) => i.code)
    expect(codes).toContain(inv.code)
    expect(codes).not.toContain(other.code)
    expect(listed.invites.find((i: any) => i.code === inv.code)).toMatchObject({ role: 'clerk', roleName: '店员', where: ['徐汇店'], issuedByName: '区域小孙', expired: false })
    expect(await c.admin(org.region, 'staff.revokeInvite', { code: other.code })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const lines = await auditOf('staff.revokeInvite')
    expect(await c.ok(org.manager, 'staff.revokeInvite', { code: inv.code })).toEqual({ code: inv.code, revoked: true, alreadyRevoked: false })
    expect(await c.ok(org.manager, 'staff.revokeInvite', { code: inv.code })).toEqual({ code: inv.code, revoked: true, alreadyRevoked: true })
    expect(await auditOf('staff.revokeInvite')).toBe(lines + 1)
    expect(await c.admin('o-too-late', 'joinStaff', { code: inv.code })).toMatchObject({ ok: false, code: 'INVITE_REVOKED' })
    expect((await c.ok(org.region, 'staff.invites', {})).invites.map((i: any) => i.code)).not.toContain(inv.code)
  })

  it('does not revoke a used invite, and refuses unknown codes', async () => {
    const inv = await c.ok(org.owner, 'staff.invite', { role: 'clerk', storeId: org.storeA })
    await c.ok('o-used-invite', 'joinStaff', { code: inv.code })
    const before = await snapshot(c.db)
    expect(await c.admin(org.owner, 'staff.revokeInvite', { code: inv.code })).toMatchObject({ ok: false, code: 'INVITE_USED' })
    expect(await c.admin(org.owner, 'staff.revokeInvite', { code: 'ABCDEFGH' })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await c.admin(org.owner, 'staff.revokeInvite', { code: 'not a code' })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await snapshot(c.db)).toBe(before)
  })

  it('revoke and join of one code at once: exactly one wins, and the audit says which', async () => {
    for (let round = 0; round < 4; round += 1) {
      const inv = await c.ok(org.owner, 'staff.invite', { role: 'clerk', storeId: org.storeA })
      const lines = await auditOf('staff.revokeInvite')
      const [revoke, join] = await Promise.all([c.admin(org.manager, 'staff.revokeInvite', { code: inv.code }), c.admin(`o-race-${round}`, 'joinStaff', { code: inv.code })])
      const joined = (await all(c.db, COLLECTIONS.staff, { openid: `o-race-${round}` })).length === 1
      expect([revoke.ok, join.ok]).toEqual([!joined, joined])
      expect(await auditOf('staff.revokeInvite')).toBe(lines + (joined ? 0 : 1))
    }
  })

  it('invites a sub-brand operator (HQ) and a region manager (the operator), who join with that scope', async () => {
    const b = await c.ok(org.hq, 'staff.invite', { role: 'brand', subBrandId: org.b2 })
    await c.ok('o-brand-b2', 'joinStaff', { code: b.code, name: '茶饮运营' })
    expect((await c.ok('o-brand-b2', 'me')).staff).toMatchObject({ role: 'brand', storeIds: [org.storeB], subBrands: [{ id: org.b2, name: '拾光茶饮' }] })
    const r = await c.ok('o-brand-b2', 'staff.invite', { role: 'region', regionId: org.r3 })
    await c.ok('o-region-r3', 'joinStaff', { code: r.code })
    expect((await c.ok('o-region-r3', 'me')).staff).toMatchObject({ role: 'region', storeIds: [org.storeB] })
    const list = await c.ok('o-brand-b2', 'staff.list', {})
    expect(list.staff.find((s: any) => s.id === 'o-region-r3')).toMatchObject({ roleName: '区域经理', manageable: true, regions: [{ id: org.r3, name: '静安区' }] })
    expect(list.staff.find((s: any) => s.id === org.brand)).toBeUndefined()
  })
})

describe('the audit list', () => {
  it('is for the owner and HQ, newest first, filtered by action, store, actor and dates, in pages', async () => {
    expect(await c.admin(org.brand, 'audit.list', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const first = await c.ok(org.hq, 'audit.list', {})
    expect(first.lines).toHaveLength(20)
    expect(first.hasMore).toBe(true)
    const times = first.lines.map((l: any) => l.createdAt)
    expect([...times].sort().reverse()).toEqual(times)
    const second = await c.ok(org.hq, 'audit.list', { page: 2 })
    expect(second.lines[0].createdAt <= first.lines[19].createdAt).toBe(true)
    expect(new Set([...first.lines, ...second.lines].map((l: any) => l.id)).size).toBe(first.lines.length + second.lines.length)

    const assigns = await c.ok(org.owner, 'audit.list', { action: 'stores.assign' })
    expect(assigns.lines.length).toBeGreaterThanOrEqual(3)
    for (const l of assigns.lines) expect(l).toMatchObject({ action: 'stores.assign', actionLabel: '门店划归', summary: expect.stringContaining('划归') })
    const byHq = await c.ok(org.owner, 'audit.list', { actorOpenid: org.hq })
    expect(byHq.lines.length).toBeGreaterThan(0)
    for (const l of byHq.lines) expect(l).toMatchObject({ actorName: '总部小王', actorRoleName: '总部运营' })
    const atB = await c.ok(org.owner, 'audit.list', { storeId: org.storeB })
    for (const l of atB.lines) expect(l).toMatchObject({ storeId: org.storeB, storeName: '静安店' })
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)
    expect((await c.ok(org.owner, 'audit.list', { from: today, to: today })).lines.length).toBe(20)
    expect((await c.ok(org.owner, 'audit.list', { to: '2020-01-01' })).lines).toEqual([])
    expect(first.filters.actions).toEqual(expect.arrayContaining([{ value: 'staff.remove', label: '移除员工' }]))
  })

  it('refuses bad filters with INVALID_INPUT', async () => {
    for (const input of [{ from: '2026-13-01' }, { from: '2026-02-02', to: '2026-02-01' }, { action: 'stores.list' }, { page: 0 }, { extra: 1 }, { from: 'yesterday' }]) {
      expect([input, await c.admin(org.owner, 'audit.list', input)]).toEqual([input, expect.objectContaining({ ok: false, code: 'INVALID_INPUT' })])
    }
  })

  it('writes one line per accepted change under a burst of concurrent store edits and none for the refused', async () => {
    const store = (await c.ok(org.owner, 'stores.create', { name: '并发店', ...STORE_INPUT })).store.id
    const before = await auditOf('stores.update')
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => c.admin(i % 2 ? org.owner : org.manager, 'stores.update', { storeId: store, hours: `0${i}:00-22:00` })),
    )
    expect(results.filter((r) => r.ok).length).toBe(5)
    expect(results.filter((r) => !r.ok && r.code === 'FORBIDDEN').length).toBe(5)
    expect(await auditOf('stores.update')).toBe(before + 5)
  })
})

describe('the member card', () => {
  it('shows the look of the sub-brand where the member joined; points and tier stay group-wide', async () => {
    await c.ok(org.brand, 'subBrands.update', { subBrandId: org.b1, brandName: '拾光咖啡·浦西', card: { background: '#3b2a1a', textColor: '#f5e6c8' } })
    const order = (await c.lc.invoke('member', { action: 'createOrder', input: { storeId: org.storeA, amountFen: 2500 } }, { openid: 'o-card-member' })) as any
    await c.pay(order.data.outTradeNo)
    const card = (await c.lc.invoke('member', { action: 'card', input: {} }, { openid: 'o-card-member' })) as any
    expect(card.data.brand).toMatchObject({ name: '拾光咖啡·浦西', cardBackground: '#3b2a1a', cardTextColor: '#f5e6c8', subBrandName: '拾光咖啡' })
    // The same member paying in the other sub-brand keeps one membership: points add up.
    const points = card.data.member.points
    const again = (await c.lc.invoke('member', { action: 'createOrder', input: { storeId: org.storeB, amountFen: 1000 } }, { openid: 'o-card-member' })) as any
    await c.pay(again.data.outTradeNo)
    const after = (await c.lc.invoke('member', { action: 'card', input: {} }, { openid: 'o-card-member' })) as any
    expect(after.data.member.points).toBeGreaterThan(points)
    expect(after.data.brand.name).toBe('拾光咖啡·浦西')
    const visitor = (await c.lc.invoke('member', { action: 'card', input: {} }, { openid: 'o-no-member' })) as any
    expect(visitor.data.brand).toMatchObject({ subBrandName: null })
  })
})
