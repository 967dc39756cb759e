import { useSdkDatabase } from './helpers/db-server'

/** aggregate().…end() through the real wx-server-sdk (errors there are "path B", docs/cloud-protocol.md §1.5). */
const fx = useSdkDatabase({ sales: { indexes: [{ name: 'cat', keys: { cat: 1 } }] }, people: { indexes: [] } })

type Row = Record<string, unknown>

beforeAll(async () => {
  await fx.db.collection('sales').add({
    data: [
      { _id: 's1', cat: 'fruit', v: 3, who: 'p1', tags: ['a', 'b'] },
      { _id: 's2', cat: 'fruit', v: 5, who: 'p2', tags: ['b'] },
      { _id: 's3', cat: 'veg', v: 2, who: 'p1', tags: [] },
      { _id: 's4', cat: 'meat', v: 10, who: 'p3', tags: ['a'] },
    ],
  })
  await fx.db.collection('people').add({
    data: [
      { _id: 'p1', name: 'Ann', level: 1 },
      { _id: 'p2', name: 'Bob', level: 2 },
    ],
  })
})

describe('aggregation through the SDK', () => {
  it('match + group with accumulators + sort', async () => {
    const $ = fx.db.command.aggregate
    const res = await fx.db
      .collection('sales')
      .aggregate()
      .match({ v: fx.db.command.gt(1) })
      .group({ _id: '$cat', total: $.sum('$v'), n: $.sum(1), avg: $.avg('$v'), max: $.max('$v'), all: $.push('$_id') })
      .sort({ total: -1 })
      .end()
    expect(res.errMsg).toBe('collection.aggregate:ok')
    expect(res.list).toEqual([
      { _id: 'meat', total: 10, n: 1, avg: 10, max: 10, all: ['s4'] },
      { _id: 'fruit', total: 8, n: 2, avg: 4, max: 5, all: ['s1', 's2'] },
      { _id: 'veg', total: 2, n: 1, avg: 2, max: 2, all: ['s3'] },
    ])
  })

  it('project, addFields with expressions, skip, limit', async () => {
    const $ = fx.db.command.aggregate
    const res = await fx.db
      .collection('sales')
      .aggregate()
      .sort({ v: 1 })
      .addFields({ double: $.multiply(['$v', 2]) })
      .project({ _id: 0, cat: 1, double: 1 })
      .skip(1)
      .limit(2)
      .end()
    expect(res.list).toEqual([
      { cat: 'fruit', double: 6 },
      { cat: 'fruit', double: 10 },
    ])
  })

  it('unwind, sortByCount, count', async () => {
    const unwound = await fx.db.collection('sales').aggregate().unwind('$tags').sortByCount('$tags').end()
    expect(unwound.list).toEqual(
      expect.arrayContaining([
        { _id: 'a', count: 2 },
        { _id: 'b', count: 2 },
      ]),
    )
    expect(unwound.list).toHaveLength(2)
    const counted = await fx.db.collection('sales').aggregate().match({ cat: 'fruit' }).count('n').end()
    expect(counted.list).toEqual([{ n: 2 }])
  })

  it('lookup joins another collection (and never changes it)', async () => {
    const res = await fx.db
      .collection('sales')
      .aggregate()
      .match({ cat: 'fruit' })
      .lookup({ from: 'people', localField: 'who', foreignField: '_id', as: 'buyer' })
      .unwind('$buyer')
      .addFields({ 'buyer.level': 99 })
      .project({ _id: 1, name: '$buyer.name', level: '$buyer.level' })
      .end()
    expect(res.list).toEqual([
      { _id: 's1', name: 'Ann', level: 99 },
      { _id: 's2', name: 'Bob', level: 99 },
    ])
    expect(((await fx.db.collection('people').doc('p1').get()).data as Row).level).toBe(1)
    const stored = await fx.db.collection('sales').doc('s1').get()
    expect(stored.data).not.toHaveProperty('buyer')
  })

  it('sample picks documents from the collection', async () => {
    const res = await fx.db.collection('sales').aggregate().sample({ size: 2 }).end()
    expect(res.list).toHaveLength(2)
    for (const row of res.list as Row[]) expect(['s1', 's2', 's3', 's4']).toContain(row._id)
  })

  it('an unknown stage fails with a clear error on the TcbError', async () => {
    const err = await fx.db
      .collection('sales')
      .aggregate()
      .addFields({ x: { $noSuchOperator: 1 } })
      .end()
      .then(
        () => null,
        (e: unknown) => e as Record<string, unknown>,
      )
    expect(err).not.toBeNull()
    expect(err?.code).toBe('DATABASE_INVALID_OPERRATOR')
    expect(String(err?.errMsg)).toContain('collection.aggregate:fail')
  })
})
