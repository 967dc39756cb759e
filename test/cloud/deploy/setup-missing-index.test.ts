/**
 * The deployment's first-run setup where a unique index was never created by hand: a local
 * cloud started like a new environment whose console holds every index but members.memberNo_unique
 * (its own file: the test process's SDK binds to the first cloud a file starts).
 */
import { schema, type Schema } from '../../../database/schema'
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { startAppCloud, type AppCloud } from '../support/app-cloud'

const OWNER = 'o-setup-owner'
const UNIQUE = Object.entries(schema).flatMap(([c, s]) => s.indexes.filter((i) => i.unique).map((i) => `${c}.${i.name}`)).sort()

/** Each index's status, as one comparable map. */
function statuses(report: any): Record<string, string> {
  return Object.fromEntries(report.indexes.map((i: any) => [`${i.collection}.${i.name}`, i.status]))
}

async function setupAs(c: AppCloud, openid: string) {
  return c.invoke('system', 'setup', {}, openid)
}

describe('setup where a unique index was never created', () => {
  // members.memberNo_unique dropped: the console never got it.
  const withoutMemberNo: Schema = {
    ...schema,
    [COLLECTIONS.members]: { indexes: schema[COLLECTIONS.members].indexes.filter((i) => i.name !== 'memberNo_unique') },
  }
  let c: AppCloud
  beforeAll(async () => {
    c = await startAppCloud({ createSchemaCollections: false, schema: withoutMemberNo })
  })
  afterAll(async () => c.stop())

  it('the owner sees that setup has not run yet', async () => {
    await setupAs(c, '') // collections first, so the owner can be seeded
    await c.db.collection(COLLECTIONS.systemStatus).doc('setup').remove()
    await c.db.collection(COLLECTIONS.staff).add({ data: { _id: OWNER, openid: OWNER, name: '店主', role: 'owner', storeIds: [], invitedBy: null, createdAt: new Date() } })
    const me = await c.ok('admin', 'me', {}, OWNER)
    expect(me.staff?.setup?.state).toBe('not-run')
  })

  it('reports the missing index with its fields and uniqueness, twice the same, and the owner is warned', async () => {
    const runs = [await setupAs(c, ''), await setupAs(c, '')]
    for (const run of runs) {
      expect(run.ok).toBe(true)
      if (!run.ok) continue
      const r = run.data.report
      expect(r.ready).toBe(false)
      const missing = r.indexes.filter((i: any) => i.status === 'missing')
      expect(missing).toEqual([{ collection: 'members', name: 'memberNo_unique', keys: { memberNo: 1 }, unique: true, status: 'missing' }])
      expect(Object.values(statuses(r)).filter((s) => s === 'confirmed')).toHaveLength(UNIQUE.length - 1)
      expect(run.data.notice.state).toBe('incomplete')
    }
    expect(runs[0].ok && statuses(runs[0].data.report)).toEqual(runs[1].ok && statuses(runs[1].data.report))
    const me = await c.ok('admin', 'me', {}, OWNER)
    expect(me.staff?.setup?.state).toBe('incomplete')
    expect(me.staff?.setup?.remaining).toEqual([expect.stringContaining('集合 members 创建索引 memberNo_unique：memberNo 升序，唯一')])
    // The probe cleaned up even where the index let its duplicate in.
    expect((await c.db.collection(COLLECTIONS.members).where({ setupProbe: c.db.command.exists(true) }).count()).total).toBe(0)
  })
})
