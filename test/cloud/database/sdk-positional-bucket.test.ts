import { rejection, useSdkDatabase } from './helpers/db-server'

/**
 * The positional update `items.$.n` (the first array element the query matched) and $bucket's
 * boundaries (lower bound inclusive, upper exclusive; empty buckets are not output), both of
 * which mingo 7.2.6 gets wrong on its own (see local-cloud/src/database/pipeline.ts, query.ts).
 */
const fx = useSdkDatabase({ carts: { indexes: [] }, scores: { indexes: [] } })

interface Cart {
  _id: string
  items: Array<{ id: string; n: number }>
}

beforeAll(async () => {
  await fx.db.collection('carts').add({
    data: [
      { _id: 'c1', items: [{ id: 'a', n: 1 }, { id: 'b', n: 1 }, { id: 'b', n: 7 }] },
      { _id: 'c2', items: [{ id: 'a', n: 5 }] },
    ],
  })
  await fx.db.collection('scores').add({ data: [10, 49, 50, 99, 100, 150, -1].map((v, i) => ({ _id: `s${i}`, v })) })
})

describe('positional $ update', () => {
  it("where({'items.id': x}).update({'items.$.n': …}) changes the first matching element only (it used to fail)", async () => {
    const _ = fx.db.command
    const res = await fx.db.collection('carts').where({ 'items.id': 'b' }).update({ data: { 'items.$.n': _.inc(10) } })
    expect(res.stats.updated).toBe(1)
    const c1 = (await fx.db.collection('carts').doc('c1').get()).data as Cart
    expect(c1.items).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 11 }, { id: 'b', n: 7 }])
    // Across documents: each matched document gets its own first match.
    await fx.db.collection('carts').where({ 'items.id': 'a' }).update({ data: { 'items.$.n': 0 } })
    expect(((await fx.db.collection('carts').doc('c1').get()).data as Cart).items[0]).toEqual({ id: 'a', n: 0 })
    expect(((await fx.db.collection('carts').doc('c2').get()).data as Cart).items).toEqual([{ id: 'a', n: 0 }])
  })

  it('without the array in the query the positional update is refused', async () => {
    const err = await rejection(fx.db.collection('carts').doc('c2').update({ data: { 'items.$.n': 3 } }))
    // MongoDB: "The positional operator did not find the match needed from the query".
    expect(err).toMatchObject({ errCode: -502001, errMsg: expect.stringContaining("'.$'") })
    expect(((await fx.db.collection('carts').doc('c2').get()).data as Cart).items).toEqual([{ id: 'a', n: 0 }])
  })
})

describe('aggregate().bucket()', () => {
  it('a value equal to a boundary goes to the bucket it starts (it used to go to the one below); no empty buckets', async () => {
    const $ = fx.db.command.aggregate
    const res = (await fx.db
      .collection('scores')
      .aggregate()
      .bucket({ groupBy: '$v', boundaries: [0, 50, 100, 200, 300], default: 'other', output: { count: $.sum(1), values: $.push('$v') } })
      .end()) as { list: Array<{ _id: unknown; count: number; values: number[] }> }
    expect(res.list).toEqual([
      { _id: 0, count: 2, values: [10, 49] },
      { _id: 50, count: 2, values: [50, 99] },
      { _id: 100, count: 2, values: [100, 150] },
      { _id: 'other', count: 1, values: [-1] },
    ])
  })

  it('without default, a value outside every bucket fails', async () => {
    const err = await rejection(fx.db.collection('scores').aggregate().bucket({ groupBy: '$v', boundaries: [0, 100] }).end())
    expect(String(err.errMsg)).toContain('default')
  })
})
