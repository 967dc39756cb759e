import { sdkDatabase, useSdkDatabase } from './helpers/db-server'

/** Reads through the real wx-server-sdk: every query operator, paging, projection, count. */
const fx = useSdkDatabase({ items: { indexes: [{ name: 'cat', keys: { cat: 1 } }] } })

interface Item {
  _id: string
  n: number
  cat: string
  title: string
  tags: string[]
  nested: { k: boolean; deep: { x: number } }
  at: Date
  scores?: { s: number; t: string }[]
  opt?: string | null
}

const base = new Date('2024-01-01T00:00:00Z').getTime()
const items: Item[] = Array.from({ length: 12 }, (_, i) => ({
  _id: `item-${String(i).padStart(2, '0')}`,
  n: i,
  cat: i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : 'c',
  title: i % 2 === 0 ? `Open ${i}` : `closed ${i}`,
  tags: i % 4 === 0 ? ['red', 'blue'] : ['green'],
  nested: { k: i % 2 === 0, deep: { x: i * 10 } },
  at: new Date(base + i * 86_400_000),
  scores: [
    { s: i, t: 'x' },
    { s: i * 2, t: 'y' },
  ],
  ...(i < 3 ? { opt: i === 0 ? null : 'set' } : {}),
}))

beforeAll(async () => {
  await fx.db.collection('items').add({ data: items })
})

async function ids(q: Record<string, unknown>): Promise<string[]> {
  const res = await fx.db.collection('items').where(q).limit(1000).get()
  return (res.data as Item[]).map((d) => d._id).sort()
}
const idOf = (...ns: number[]): string[] => ns.map((i) => `item-${String(i).padStart(2, '0')}`).sort()

describe('query operators through the SDK', () => {
  it('plain equality, nested objects (dot paths) and arrays', async () => {
    const _ = fx.db.command
    expect(await ids({ cat: 'a' })).toEqual(idOf(0, 3, 6, 9))
    expect(await ids({ nested: { k: true }, cat: 'a' })).toEqual(idOf(0, 6))
    expect(await ids({ 'nested.deep.x': 30 })).toEqual(idOf(3))
    expect(await ids({ tags: 'red' })).toEqual(idOf(0, 4, 8))
    expect(await ids({ cat: _.eq('b') })).toEqual(idOf(1, 4, 7, 10))
  })

  it('comparison: neq gt gte lt lte in nin, and dates', async () => {
    const _ = fx.db.command
    expect(await ids({ n: _.gt(9) })).toEqual(idOf(10, 11))
    expect(await ids({ n: _.gte(10) })).toEqual(idOf(10, 11))
    expect(await ids({ n: _.lt(2) })).toEqual(idOf(0, 1))
    expect(await ids({ n: _.lte(1) })).toEqual(idOf(0, 1))
    expect(await ids({ cat: _.neq('a'), n: _.lt(4) })).toEqual(idOf(1, 2))
    expect(await ids({ n: _.in([1, 5, 99]) })).toEqual(idOf(1, 5))
    expect(await ids({ n: _.nin([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) })).toEqual(idOf(10, 11))
    expect(await ids({ at: _.lt(new Date(base + 2 * 86_400_000)) })).toEqual(idOf(0, 1))
    expect(await ids({ _id: _.in(['item-03', 'item-04', 'nope']) })).toEqual(idOf(3, 4))
  })

  it('logical: and, or, nor, not, chained and', async () => {
    const _ = fx.db.command
    expect(await ids({ n: _.gte(5).and(_.lte(6)) })).toEqual(idOf(5, 6))
    expect(await ids({ n: _.in([1, 2, 3]).and(_.neq(2)) })).toEqual(idOf(1, 3))
    expect(await ids(_.or([{ n: 0 }, { n: 11 }]) as unknown as Record<string, unknown>)).toEqual(idOf(0, 11))
    expect(await ids(_.and([{ cat: 'a' }, { n: _.gt(5) }]) as unknown as Record<string, unknown>)).toEqual(idOf(6, 9))
    expect(await ids(_.nor([{ n: _.lt(10) }]) as unknown as Record<string, unknown>)).toEqual(idOf(10, 11))
    expect(await ids({ n: _.not(_.lt(10)) })).toEqual(idOf(10, 11))
    expect(await ids({ n: _.gt(8).or(_.lt(1)) })).toEqual(idOf(0, 9, 10, 11))
  })

  it('element and array: exists, size, all, elemMatch, mod', async () => {
    const _ = fx.db.command
    expect(await ids({ opt: _.exists(true) })).toEqual(idOf(0, 1, 2))
    expect(await ids({ opt: _.exists(false), n: _.lt(5) })).toEqual(idOf(3, 4))
    expect(await ids({ tags: _.size(2) })).toEqual(idOf(0, 4, 8))
    expect(await ids({ tags: _.all(['blue', 'red']) })).toEqual(idOf(0, 4, 8))
    expect(await ids({ scores: _.elemMatch({ s: _.gte(20), t: 'y' }) })).toEqual(idOf(10, 11))
    expect(await ids({ n: _.mod(5, 1) })).toEqual(idOf(1, 6, 11))
    expect(await ids({ 'scores.t': 'y', n: 2 })).toEqual(idOf(2))
  })

  it('regular expressions: JS literals and db.RegExp', async () => {
    expect(await ids({ title: /^open/i, n: _lt(5) })).toEqual(idOf(0, 2, 4))
    expect(await ids({ title: fx.db.RegExp({ regexp: '^closed 1', options: '' }) })).toEqual(idOf(1, 11))
    function _lt(v: number): unknown {
      return fx.db.command.lt(v)
    }
  })

  it('null matches null and missing fields', async () => {
    expect(await ids({ opt: null, n: fx.db.command.lt(4) })).toEqual(idOf(0, 3))
  })
})

describe('paging, ordering, projection, count', () => {
  it('orderBy on several fields, skip, limit', async () => {
    const res = await fx.db.collection('items').orderBy('cat', 'desc').orderBy('n', 'asc').skip(1).limit(3).get()
    expect((res.data as Item[]).map((d) => d._id)).toEqual(['item-05', 'item-08', 'item-11'])
    expect(res.errMsg).toBe('collection.get:ok')
  })

  it('defaults to 100 documents and clamps limit to 1000', async () => {
    const many = Array.from({ length: 1100 }, (_, i) => ({ i }))
    await fx.db.createCollection('many')
    for (let k = 0; k < many.length; k += 500) await fx.db.collection('many').add({ data: many.slice(k, k + 500) })
    expect((await fx.db.collection('many').get()).data).toHaveLength(100)
    expect((await fx.db.collection('many').limit(5000).get()).data).toHaveLength(1000)
    const last = await fx.db.collection('many').orderBy('i', 'asc').skip(1000).limit(1000).get()
    expect(last.data).toHaveLength(100)
    expect((await fx.db.collection('many').count()).total).toBe(1100)
  })

  it('field() includes or excludes, and slices arrays', async () => {
    const inc = await fx.db.collection('items').doc('item-04').field({ title: true, 'nested.deep': true }).get()
    expect(inc.data).toEqual({ _id: 'item-04', title: 'Open 4', nested: { deep: { x: 40 } } })
    const exc = await fx.db.collection('items').where({ n: 4 }).field({ scores: false, at: false, nested: false }).get()
    expect(exc.data[0]).toEqual({ _id: 'item-04', n: 4, cat: 'b', title: 'Open 4', tags: ['red', 'blue'] })
    const sliced = await fx.db
      .collection('items')
      .doc('item-04')
      .field({ tags: fx.db.command.project.slice(1) })
      .get()
    expect((sliced.data as Item).tags).toEqual(['red'])
  })

  it('count with and without a query', async () => {
    expect(await fx.db.collection('items').count()).toEqual({ total: 12, errMsg: 'collection.count:ok' })
    expect((await fx.db.collection('items').where({ cat: 'c' }).count()).total).toBe(4)
  })

  it('doc(id).get returns the document with its types', async () => {
    const res = await fx.db.collection('items').doc('item-03').get()
    expect(res.errMsg).toBe('document.get:ok')
    const d = res.data as Item
    expect(d.at).toBeInstanceOf(Date)
    expect(d.at.getTime()).toBe(base + 3 * 86_400_000)
    expect(d.nested).toEqual({ k: false, deep: { x: 30 } })
  })

  it('doc(id).get of a missing document throws; throwOnNotFound:false gives null', async () => {
    await expect(fx.db.collection('items').doc('missing-id').get()).rejects.toMatchObject({
      errMsg: expect.stringContaining('document with _id missing-id does not exist'),
    })
    const lenient = sdkDatabase(fx.cloud, { throwOnNotFound: false })
    expect((await lenient.collection('items').doc('missing-id').get()).data).toBeNull()
  })

  it('uses the hash index for indexed equality and _id (same answers as a scan)', async () => {
    const byIndex = await fx.db.collection('items').where({ cat: 'b', n: fx.db.command.gt(3) }).get()
    expect((byIndex.data as Item[]).map((d) => d.n).sort((a, b) => a - b)).toEqual([4, 7, 10])
  })
})
