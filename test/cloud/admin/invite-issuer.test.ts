import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { all, seedChain, snapshot, startAdminCloud, type AdminCloud, type Chain } from './helpers'

/**
 * An invite is only as good as its issuer is at the moment it is redeemed (issue 17, chain
 * gaps): removed, demoted to or below the invite's role, or moved out of the invite's store,
 * sub-brand or region — the code is refused at join and nothing changes.
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
/** A new manager of store A, joined through the owner's invite. */
async function newManager(storeId = org.storeA): Promise<string> {
  n += 1
  const openid = `o-issuer-${n}`
  const inv = await c.ok(org.owner, 'staff.invite', { role: 'manager', storeId })
  await c.ok(openid, 'joinStaff', { code: inv.code, name: `店长${n}` })
  return openid
}

async function refusedJoin(code: string, joiner: string): Promise<void> {
  const before = await snapshot(c.db)
  expect(await c.admin(joiner, 'joinStaff', { code })).toMatchObject({ ok: false, code: 'INVITE_ISSUER_GONE', message: expect.stringContaining('邀请人已离职或权限已变更') })
  expect(await snapshot(c.db)).toBe(before)
  expect(await c.ok(joiner, 'me')).toEqual({ staff: null })
}

describe("a removed or demoted issuer's invites", () => {
  it('refuses the invite of a removed manager, keeps that of one still in post', async () => {
    const gone = await newManager()
    const stays = await newManager()
    const bad = await c.ok(gone, 'staff.invite', { role: 'clerk', storeId: org.storeA })
    const good = await c.ok(stays, 'staff.invite', { role: 'clerk', storeId: org.storeA })
    await c.ok(org.owner, 'staff.remove', { staffId: gone })
    await refusedJoin(bad.code, 'o-joiner-removed')
    expect(await c.ok('o-joiner-kept', 'joinStaff', { code: good.code })).toMatchObject({ role: 'clerk' })
    // The refused code stays unused (not burnt) and is still refused later.
    const [invite] = await all(c.db, COLLECTIONS.staffInvites, { _id: bad.code })
    expect(invite).toMatchObject({ usedBy: null })
    await refusedJoin(bad.code, 'o-joiner-removed-2')
  })

  it('refuses an invite for a role the issuer can no longer give (demoted to it or below)', async () => {
    const m = await newManager()
    const inv = await c.ok(m, 'staff.invite', { role: 'clerk', storeId: org.storeA })
    await c.ok(org.owner, 'staff.update', { staffId: m, role: 'clerk', storeIds: [org.storeA] })
    await refusedJoin(inv.code, 'o-joiner-demoted')
    // Promoted back, the same code works again: the rule reads the issuer as they are now.
    await c.ok(org.owner, 'staff.update', { staffId: m, role: 'manager', storeIds: [org.storeA] })
    expect(await c.ok('o-joiner-demoted', 'joinStaff', { code: inv.code })).toMatchObject({ role: 'clerk' })
  })

  it('refuses an invite for a store the issuer no longer has', async () => {
    const m = await newManager()
    const inv = await c.ok(m, 'staff.invite', { role: 'clerk', storeId: org.storeA })
    await c.ok(org.owner, 'staff.update', { staffId: m, role: 'manager', storeIds: [org.storeB] })
    await refusedJoin(inv.code, 'o-joiner-moved')
  })

  it("follows the tree: a region manager's invite ends when the store leaves the region", async () => {
    const inv = await c.ok(org.region, 'staff.invite', { role: 'manager', storeId: org.storeA })
    await c.ok(org.owner, 'stores.assign', { storeId: org.storeA, subBrandId: org.b1, regionId: org.r2 })
    await refusedJoin(inv.code, 'o-joiner-tree')
    await c.ok(org.owner, 'stores.assign', { storeId: org.storeA, subBrandId: org.b1, regionId: org.r1 })
    expect(await c.ok('o-joiner-tree', 'joinStaff', { code: inv.code })).toMatchObject({ role: 'manager' })
  })

  it('refuses a sub-brand operator invite once its HQ issuer is demoted below operator', async () => {
    const hq2 = 'o-hq-2'
    const h = await c.ok(org.owner, 'staff.invite', { role: 'hq' })
    await c.ok(hq2, 'joinStaff', { code: h.code, name: '总部小周' })
    const inv = await c.ok(hq2, 'staff.invite', { role: 'brand', subBrandId: org.b2 })
    await c.ok(org.owner, 'staff.update', { staffId: hq2, role: 'region', regionIds: [org.r3] })
    await refusedJoin(inv.code, 'o-joiner-brand')
  })

  it('a removal racing joins: each join either succeeds before the removal or is refused, never after it', async () => {
    const m = await newManager()
    const invites = await Promise.all(Array.from({ length: 6 }, () => c.ok(m, 'staff.invite', { role: 'clerk', storeId: org.storeA })))
    const [removal, ...joins] = await Promise.all([
      c.admin(org.owner, 'staff.remove', { staffId: m }),
      ...invites.map((inv, i) => c.admin(`o-racer-${i}`, 'joinStaff', { code: inv.code })),
    ])
    // The join and the removal both go through the issuer's document, so any outcome is consistent:
    // joins refused for the issuer or conflicting, or joined while the issuer still stood.
    expect(removal).toMatchObject({ ok: true })
    for (const j of joins) {
      if (!j.ok) expect(['INVITE_ISSUER_GONE', 'CONFLICT']).toContain(j.code)
    }
    // After the removal, none of the unused codes works.
    const unused = invites.filter((_inv, i) => !joins[i].ok)
    for (const inv of unused) await refusedJoin(inv.code, `o-after-${inv.code}`)
    const joined = (await all(c.db, COLLECTIONS.staff)).filter((s: any) => s.invitedBy === m)
    expect(joined.length).toBe(joins.filter((j) => j.ok).length)
  })
})
