import { useSdkDatabase } from './helpers/db-server'

/**
 * Result sizes as the cloud answers them when the caller sets no limit, and the maximum.
 * get(): the SDK sends limit 100 by default and clamps limit(n) to 1000 itself (docs/cloud-protocol.md §3.4;
 * Collection.limit: 云函数端默认及最大上限为 1000); a request above 1000 is refused.
 * aggregate(): without a limit stage the cloud answers 20 records (user reports; README).
 */
const fx = useSdkDatabase({ many: { indexes: [] } })

beforeAll(async () => {
  const docs = Array.from({ length: 1100 }, (_, i) => ({ _id: `m${String(i).padStart(4, '0')}`, i, even: i % 2 === 0 }))
  for (let i = 0; i < docs.length; i += 500) await fx.db.collection('many').add({ data: docs.slice(i, i + 500) })
})

it('aggregate() without a limit stage answers 20 records (it used to answer all 550)', async () => {
  const res = (await fx.db.collection('many').aggregate().match({ even: true }).end()) as { list: unknown[] }
  expect(res.list).toHaveLength(20)
  const limited = (await fx.db.collection('many').aggregate().match({ even: true }).limit(600).end()) as { list: unknown[] }
  expect(limited.list).toHaveLength(550)
  // A pipeline that ends in fewer rows is unaffected.
  const $ = fx.db.command.aggregate
  const grouped = (await fx.db.collection('many').aggregate().group({ _id: '$even', n: $.sum(1) }).end()) as { list: Array<{ n: number }> }
  expect(grouped.list.map((r) => r.n).sort()).toEqual([550, 550])
})

it('a get() limit above 1000 is refused (it used to be clamped); the SDK itself clamps limit(5000)', async () => {
  const reply = await fx.engine.handle({ action: 'database.getDocument', collectionName: 'many', queryType: 'WHERE', limit: 1001 })
  expect(reply).toMatchObject({ code: 'INVALID_PARAM', message: expect.stringContaining('limit 不能超过 1000') })
  const ok = await fx.engine.handle({ action: 'database.getDocument', collectionName: 'many', queryType: 'WHERE', limit: 1000 })
  expect((ok.data as { list: unknown[] }).list).toHaveLength(1000)
  expect((await fx.db.collection('many').limit(5000).get()).data).toHaveLength(1000)
  expect((await fx.db.collection('many').get()).data).toHaveLength(100)
})
