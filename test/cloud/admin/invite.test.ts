import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { all, seedOrg, snapshot, startAdminCloud, SETUP_KEY, STORE_INPUT, type AdminCloud, type Org } from './helpers'

let c: AdminCloud
let org: Org

beforeAll(async () => {
  c = await startAdminCloud()
})
afterAll(async () => {
  await c?.stop()
})

describe('bootstrap of the first owner', () => {
  it('refuses a wrong key and changes nothing', async () => {
    const before = await snapshot(c.db)
    const res = await c.admin('o-owner', 'bootstrapOwner', { setupKey: 'wrong-key-0123456789', name: '张老板' })
    expect(res).toMatchObject({ ok: false, code: 'FORBIDDEN', message: '初始化密钥不正确' })
    expect(await snapshot(c.db)).toBe(before)
  })

  it('binds the first owner with the deployment key, then never again', async () => {
    org = await seedOrg(c)
    const me = await c.ok(org.owner, 'me')
    expect(me.staff).toMatchObject({ name: '张老板', role: 'owner', roleName: '老板' })
    expect(me.staff.stores.map((s: any) => s.id).sort()).toEqual([org.storeA, org.storeB].sort())
    const before = await snapshot(c.db)
    const again = await c.admin('o-usurper', 'bootstrapOwner', { setupKey: SETUP_KEY, name: '李老板' })
    expect(again).toMatchObject({ ok: false, code: 'OWNER_BOUND' })
    expect(await snapshot(c.db)).toBe(before)
  })

  it('answers a consumer with staff: null', async () => {
    expect(await c.ok('o-consumer', 'me')).toEqual({ staff: null })
  })
})

describe('invite chain owner → manager → clerk', () => {
  it('gave each joined member the right role and stores', async () => {
    const manager = await c.ok(org.manager, 'me')
    expect(manager.staff).toEqual({
      name: '店长小李',
      role: 'manager',
      roleName: '店长',
      storeIds: [org.storeA],
      stores: [{ id: org.storeA, name: '徐汇店' }],
      subBrands: [],
      regions: [],
      // What the pages may offer a manager of 徐汇店: store-scoped actions there only.
      capabilities: {
        actions: {
          'settings.get': 'all',
          'settings.update': false,
          'stores.list': 'all',
          'stores.create': false,
          'stores.update': [org.storeA],
          'staff.list': 'all',
          'staff.invite': [org.storeA],
          'members.lookup': 'all',
          'members.profile': 'all',
          'members.tag': 'all',
          'cashier.capture': [org.storeA],
          'orders.refund': [org.storeA],
          'subBrands.list': 'all',
          'subBrands.create': false,
          'subBrands.update': false,
          'regions.create': false,
          'regions.update': false,
          'stores.assign': false,
          'staff.invites': 'all',
          'staff.revokeInvite': [org.storeA],
          'staff.update': [org.storeA],
          'staff.remove': [org.storeA],
          'audit.list': false,
          // Conveniences: 客服自动回复 is for owner and HQ.
          'service.get': false,
          'service.update': false,
          // Counter fraud (issue 12).
          'cashier.approvals': 'all',
          'cashier.approval': 'all',
          'cashier.decide': [org.storeA],
          // Coupons (issue 11): a manager's templates and verification in their store.
          'couponTemplates.list': 'all',
          'couponTemplates.get': [org.storeA],
          'couponTemplates.create': [org.storeA],
          'couponTemplates.update': [org.storeA],
          'couponTemplates.setStatus': [org.storeA],
          'couponTemplates.link': [org.storeA],
          'coupons.lookup': [org.storeA],
          'coupons.verify': [org.storeA],
          'coupons.history': 'all',
          'coupons.undo': [org.storeA],
          // Segments and campaigns (segments): a manager's own store's members (scoped inside the actions).
          'segments.list': 'all',
          'segments.get': 'all',
          'segments.save': 'all',
          'segments.remove': 'all',
          'segments.preview': 'all',
          'segments.settings': false,
          'campaigns.list': 'all',
          'campaigns.get': 'all',
          'campaigns.dryRun': 'all',
          'campaigns.create': 'all',
          'campaigns.run': 'all',
          'campaigns.cancel': 'all',
          'campaigns.results': 'all',
          // Rewards (issue 13): owner and HQ configure them.
          'rewards.get': false,
          'rewards.savePayRule': false,
          'rewards.setCheckin': false,
          'rewards.setBirthday': false,
          'rewards.saveShopItem': false,
          'rewards.checkinCode': false,
          // Touchpoints, dashboard and commission (issue 16): a manager's own store.
          'touchpoints.list': 'all',
          'touchpoints.create': [org.storeA],
          'touchpoints.update': [org.storeA],
          'touchpoints.link': [org.storeA],
          'touchpoints.report': [org.storeA],
          'dashboard.get': 'all',
          'counters.reconcile': false,
          'commission.rules': false,
          'commission.setRules': false,
          'settlements.list': 'all',
          'settlements.create': false,
          'settlements.confirm': false,
          'settlements.statement': [org.storeA],
        },
        entries: { cashier: true, members: true, staffInvite: true, stores: true, settings: true, staff: true, audit: false, subBrands: true, approvals: true, segments: true },
        invitableRoles: ['clerk'],
        canEditSettings: false,
        canTagMembers: true,
        seesAllStores: false,
        canManageStaff: true,
        canEditTree: false,
        coupons: { templates: true, createForAllStores: false, verify: true, history: true, undo: true },
      },
    })
    const clerk = await c.ok(org.clerk, 'me')
    expect(clerk.staff).toMatchObject({ role: 'clerk', roleName: '店员', storeIds: [org.storeA] })
    const hq = await c.ok(org.hq, 'me')
    expect(hq.staff).toMatchObject({ role: 'hq', roleName: '总部运营' })
    expect(hq.staff.storeIds).toHaveLength(2)
    const staffDoc = (await all(c.db, COLLECTIONS.staff, { openid: org.clerk }))[0]
    expect(staffDoc).toMatchObject({ _id: org.clerk, role: 'clerk', storeIds: [org.storeA], invitedBy: org.manager })
  })

  it('issues 8-character codes from an unambiguous alphabet that expire in 48 hours', async () => {
    const t0 = Date.now()
    const inv = await c.ok(org.owner, 'staff.invite', { role: 'manager', storeId: org.storeB })
    expect(inv.code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/)
    const ttl = new Date(inv.expiresAt).getTime() - t0
    expect(ttl).toBeGreaterThan(48 * 3600_000 - 60_000)
    expect(ttl).toBeLessThanOrEqual(48 * 3600_000 + 60_000)
    const doc = (await all(c.db, COLLECTIONS.staffInvites, { _id: inv.code }))[0]
    expect(doc).toMatchObject({ role: 'manager', storeIds: [org.storeB], issuedBy: org.owner, usedBy: null, usedAt: null })
  })

  it('lets a manager invite clerks to their own store only, and nothing above clerk', async () => {
    expect(await c.admin(org.manager, 'staff.invite', { role: 'clerk', storeId: org.storeA })).toMatchObject({ ok: true })
    const before = await snapshot(c.db)
    expect(await c.admin(org.manager, 'staff.invite', { role: 'clerk', storeId: org.storeB })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.manager, 'staff.invite', { role: 'manager', storeId: org.storeA })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.manager, 'staff.invite', { role: 'hq' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.hq, 'staff.invite', { role: 'hq' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.owner, 'staff.invite', { role: 'owner' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.owner, 'staff.invite', { role: 'clerk' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await c.admin(org.owner, 'staff.invite', { role: 'clerk', storeId: 'no-such-store' })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await snapshot(c.db)).toBe(before)
  })

  it('refuses every invite from a clerk', async () => {
    const before = await snapshot(c.db)
    for (const role of ['owner', 'hq', 'manager', 'clerk']) {
      expect(await c.admin(org.clerk, 'staff.invite', { role, storeId: org.storeA })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    }
    expect(await snapshot(c.db)).toBe(before)
  })

  it('scopes staff.list: a manager sees their store, the owner everyone', async () => {
    const mine = await c.ok(org.manager, 'staff.list')
    expect(mine.staff.map((s: any) => s.name).sort()).toEqual(['店员小赵', '店长小李'].sort())
    const everyone = await c.ok(org.owner, 'staff.list')
    expect(everyone.staff.map((s: any) => s.role)).toEqual(['owner', 'hq', 'manager', 'clerk'])
    expect(everyone.staff.find((s: any) => s.role === 'clerk')).toMatchObject({ name: '店员小赵', stores: ['徐汇店'] })
  })
})

describe('redeeming a code', () => {
  it('is single use: two concurrent joins with one code → exactly one staff member', async () => {
    const inv = await c.ok(org.owner, 'staff.invite', { role: 'clerk', storeId: org.storeB })
    const staffBefore = (await all(c.db, COLLECTIONS.staff)).length
    const results = await Promise.all([
      c.admin('o-racer-1', 'joinStaff', { code: inv.code }),
      c.admin('o-racer-2', 'joinStaff', { code: inv.code }),
    ])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    const loser = results.find((r) => !r.ok)
    expect(loser).toMatchObject({ ok: false, code: 'INVITE_USED', message: expect.stringContaining('已被使用') })
    expect((await all(c.db, COLLECTIONS.staff)).length).toBe(staffBefore + 1)
    const invite = (await all(c.db, COLLECTIONS.staffInvites, { _id: inv.code }))[0]
    const winner = results[0].ok ? 'o-racer-1' : 'o-racer-2'
    expect(invite.usedBy).toBe(winner)
    expect(invite.usedAt).toBeTruthy()
    // And later, sequentially, still used.
    expect(await c.admin('o-racer-3', 'joinStaff', { code: inv.code })).toMatchObject({ ok: false, code: 'INVITE_USED' })
  })

  it('refuses an expired code and changes nothing', async () => {
    const inv = await c.ok(org.owner, 'staff.invite', { role: 'clerk', storeId: org.storeA })
    await c.db.collection(COLLECTIONS.staffInvites).doc(inv.code).update({ data: { expiresAt: new Date(Date.now() - 1000) } })
    const before = await snapshot(c.db)
    const res = await c.admin('o-late', 'joinStaff', { code: inv.code })
    expect(res).toMatchObject({ ok: false, code: 'INVITE_EXPIRED', message: expect.stringContaining('已过期') })
    expect(await snapshot(c.db)).toBe(before)
    expect(await c.ok('o-late', 'me')).toEqual({ staff: null })
  })

  it('refuses unknown and malformed codes', async () => {
    const before = await snapshot(c.db)
    expect(await c.admin('o-x', 'joinStaff', { code: 'ABCDEFGH' })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await c.admin('o-x', 'joinStaff', { code: '0000' })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await c.admin('o-x', 'joinStaff', { code: { $ne: null } })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await c.admin('o-x', 'joinStaff', { code: 'A'.repeat(100_000) })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await c.admin('', 'joinStaff', { code: 'ABCDEFGH' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })
    expect(await snapshot(c.db)).toBe(before)
  })

  it('accepts a code typed in lower case with a dash', async () => {
    const inv = await c.ok(org.owner, 'staff.invite', { role: 'clerk', storeId: org.storeA })
    const typed = `${inv.code.slice(0, 4)}-${inv.code.slice(4)}`.toLowerCase()
    expect(await c.ok('o-typist', 'joinStaff', { code: typed })).toEqual({ role: 'clerk', roleName: '店员' })
  })

  it('does not let existing staff join again', async () => {
    const inv = await c.ok(org.owner, 'staff.invite', { role: 'hq' })
    const before = await snapshot(c.db)
    const res = await c.admin(org.clerk, 'joinStaff', { code: inv.code })
    expect(res).toMatchObject({ ok: false, code: 'ALREADY_STAFF', message: expect.stringContaining('您已是店员') })
    expect(await snapshot(c.db)).toBe(before)
  })
})

describe('bootstrap without a configured key', () => {
  it('is refused with a message saying to set OWNER_SETUP_KEY', async () => {
    const bare = await startAdminCloud({ setupKey: null })
    try {
      const res = await bare.admin('o-first', 'bootstrapOwner', { setupKey: SETUP_KEY, name: '张老板' })
      expect(res).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringContaining('OWNER_SETUP_KEY') })
      // (The test process's SDK stays bound to the first cloud; ask this cloud's function instead.)
      expect(await bare.ok('o-first', 'me')).toEqual({ staff: null })
      expect((await bare.admin('o-first', 'stores.create', { name: '店', ...STORE_INPUT })).ok).toBe(false)
    } finally {
      await bare.stop()
      process.env.OWNER_SETUP_KEY = SETUP_KEY
    }
  })

  it('binds exactly one owner when two people race with the right key', async () => {
    const fresh = await startAdminCloud()
    try {
      const results = await Promise.all(
        ['o-first-a', 'o-first-b', 'o-first-c'].map((openid) => fresh.admin(openid, 'bootstrapOwner', { setupKey: SETUP_KEY, name: '老板' })),
      )
      expect(results.filter((r) => r.ok)).toHaveLength(1)
      for (const r of results.filter((x) => !x.ok)) expect(r).toMatchObject({ code: 'OWNER_BOUND' })
      const roles = await Promise.all(['o-first-a', 'o-first-b', 'o-first-c'].map((o) => fresh.ok(o, 'me')))
      expect(roles.filter((r) => r.staff?.role === 'owner')).toHaveLength(1)
      expect(roles.filter((r) => r.staff === null)).toHaveLength(2)
    } finally {
      await fresh.stop()
    }
  })
})
