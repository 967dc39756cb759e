/**
 * The deployment's first-run setup (system.setup, services/setup.ts) on a local cloud started
 * like a new cloud environment: no collection exists until setup creates it, and the schema's
 * indexes stand for the ones the console holds — all of them, or all but one for the cloud
 * where an index was never created by hand.
 */
import { schema } from '../../../database/schema'
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { LOCAL_DEPLOYED_CONFIG } from '../../../scripts/build'
import { startAppCloud, type AppCloud } from '../support/app-cloud'

const OWNER = 'o-setup-owner'
const CONSUMER = 'o-setup-consumer'
const ALL = Object.keys(schema).sort()
const UNIQUE = Object.entries(schema).flatMap(([c, s]) => s.indexes.filter((i) => i.unique).map((i) => `${c}.${i.name}`)).sort()

/** Each index's status, as one comparable map. */
function statuses(report: any): Record<string, string> {
  return Object.fromEntries(report.indexes.map((i: any) => [`${i.collection}.${i.name}`, i.status]))
}

async function setupAs(c: AppCloud, openid: string) {
  return c.invoke('system', 'setup', {}, openid)
}

/** Documents per collection, and how many are setup probes (must be none after a run). */
async function census(db: any): Promise<{ counts: Record<string, number>; probes: number }> {
  const counts: Record<string, number> = {}
  let probes = 0
  for (const name of ALL) {
    counts[name] = (await db.collection(name).count()).total
    probes += (await db.collection(name).where({ setupProbe: db.command.exists(true) }).count()).total
  }
  return { counts, probes }
}

describe('setup on a new environment with every index created', () => {
  let c: AppCloud
  beforeAll(async () => {
    c = await startAppCloud({ createSchemaCollections: false, maxWorkersPerFunction: 8 })
  })
  afterAll(async () => c.stop())

  it('finds no collection before setup (as on a new environment)', async () => {
    await expect(c.db.collection(COLLECTIONS.members).count()).rejects.toThrow(/not exist/i)
  })

  it('creates every collection once, confirms every unique index, and runs again to the same result', async () => {
    const first = await setupAs(c, '')
    expect(first.ok).toBe(true)
    const r1 = first.ok ? first.data.report : null
    expect(r1.collections.created.sort()).toEqual(ALL)
    expect(r1.collections.failed).toEqual([])
    expect(r1.merchantCreated).toBe(true)
    expect(Object.entries(statuses(r1)).filter(([, s]) => s === 'confirmed').map(([k]) => k).sort()).toEqual(UNIQUE)
    expect(r1.indexes.filter((i: any) => !i.unique).every((i: any) => i.status === 'unverifiable')).toBe(true)
    expect(r1.ready).toBe(true)
    expect(first.ok && first.data.notice).toMatchObject({ state: 'ready', remaining: [] })
    const merchant = (await c.db.collection(COLLECTIONS.merchant).doc('default').get()).data
    expect(merchant.brandName).toBe(LOCAL_DEPLOYED_CONFIG.brandName)
    const after1 = await census(c.db)
    expect(after1.probes).toBe(0)

    const second = await setupAs(c, '')
    expect(second.ok).toBe(true)
    const r2 = second.ok ? second.data.report : null
    expect(r2.collections.created).toEqual([])
    expect(r2.collections.existing.sort()).toEqual(ALL)
    expect(r2.merchantCreated).toBe(false)
    expect(statuses(r2)).toEqual(statuses(r1))
    expect(r2.ready).toBe(true)
    expect(await census(c.db)).toEqual(after1)
  })

  it('the local cloud answers creating an existing collection as the cloud does', async () => {
    await expect(c.db.createCollection(COLLECTIONS.members)).rejects.toMatchObject({ code: 'DATABASE_COLLECTION_ALREADY_EXIST' })
  })

  it('concurrent runs do not disturb each other: every one confirms every unique index, and no probe is left', async () => {
    const before = await census(c.db)
    const runs = await Promise.all(Array.from({ length: 3 }, () => setupAs(c, '')))
    for (const r of runs) {
      expect(r.ok).toBe(true)
      if (r.ok) expect(Object.values(statuses(r.data.report)).filter((s) => s === 'confirmed')).toHaveLength(UNIQUE.length)
    }
    expect(await census(c.db)).toEqual(before)
  })

  it('runs for no WeChat user or the owner only; a consumer is refused and nothing changes', async () => {
    await c.db.collection(COLLECTIONS.staff).add({ data: { _id: OWNER, openid: OWNER, name: '店主', role: 'owner', storeIds: [], invitedBy: null, createdAt: new Date() } })
    const before = await census(c.db)
    const refused = await setupAs(c, CONSUMER)
    expect(refused).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect((await c.invoke('system', 'setupStatus', {}, CONSUMER)).ok).toBe(false)
    expect(await census(c.db)).toEqual(before)
    expect((await setupAs(c, OWNER)).ok).toBe(true)
    const me = await c.ok('admin', 'me', {}, OWNER)
    expect(me.staff?.setup).toMatchObject({ state: 'ready', remaining: [] })
  })
})
