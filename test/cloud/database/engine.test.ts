import * as fs from 'fs'
import { DatabaseEngine } from '../../../local-cloud/src/database/engine'
import { TransactionManager } from '../../../local-cloud/src/database/transactions'
import { tempDataDir } from './helpers/db-server'

/** Engine-level behaviour the SDK cannot easily show: expiry, reply shapes, closed engine. */
describe('DatabaseEngine', () => {
  const dir = tempDataDir('engine')
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('answers with requestId and canonical EJSON strings, never throwing', async () => {
    const engine = await DatabaseEngine.open({ dataDir: dir, schema: { c: { indexes: [] } }, reset: true })
    const ins = await engine.handle({ action: 'database.insertDocument', collectionName: 'c', data: ['{"n":{"$numberInt":"1"},"d":1.5}'] })
    const id = (ins.data as { insertedIds: string[] }).insertedIds[0]
    const got = await engine.handle({ action: 'database.getDocument', collectionName: 'c', queryType: 'DOC', query: JSON.stringify({ _id: id }) })
    expect((got.data as { list: string[] }).list).toEqual([`{"_id":"${id}","n":{"$numberInt":"1"},"d":{"$numberDouble":"1.5"}}`])
    expect(typeof got.requestId).toBe('string')
    expect(await engine.handle(null as unknown as Record<string, unknown>)).toMatchObject({ code: 'INVALID_PARAM' })
    expect(engine.stats().collections).toEqual({ c: 1 })
    await engine.close()
    expect(await engine.handle({ action: 'database.getDocument', collectionName: 'c' })).toMatchObject({ code: 'SYS_ERR' })
  })

  it('drops transactions left idle past their timeout', () => {
    const m = new TransactionManager(30_000)
    const t = m.start(0)
    expect(m.get(t.id, 10_000)).toBe(t) // use keeps it alive until 40 s
    m.sweep(39_999)
    expect(m.size).toBe(1)
    m.sweep(40_000)
    expect(m.size).toBe(0)
    expect(m.get(t.id, 40_001)).toBeUndefined()
  })
})
