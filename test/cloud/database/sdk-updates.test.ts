import { EventEmitter } from 'events'
import { useSdkDatabase } from './helpers/db-server'

// 500 parallel SDK calls put more than 10 listeners on the SDK's pooled sockets; not a leak.
EventEmitter.defaultMaxListeners = 1000

/** Writes through the real wx-server-sdk: every update operator, set/upsert, remove, serverDate. */
const fx = useSdkDatabase({ docs: { indexes: [] } })

type AnyDoc = Record<string, unknown>

async function fresh(id: string, data: AnyDoc): Promise<void> {
  await fx.db.collection('docs').doc(id).set({ data })
}
async function read(id: string): Promise<AnyDoc> {
  return (await fx.db.collection('docs').doc(id).get()).data
}

describe('update operators through the SDK', () => {
  it('plain fields (merged as $set with dot paths), set, remove, inc, mul, min, max, rename', async () => {
    const _ = fx.db.command
    await fresh('u1', { n: 5, m: 3, lo: 10, hi: 10, nested: { k: true, keep: 1 }, obj: { old: 1 }, gone: 'x', old: 'o' })
    const res = await fx.db
      .collection('docs')
      .doc('u1')
      .update({
        data: {
          n: _.inc(2),
          m: _.mul(4),
          lo: _.min(3),
          hi: _.max(20),
          nested: { k: false, deep: { x: 1 } },
          obj: _.set({ fresh: 2 }),
          gone: _.remove(),
          old: _.rename('renamed'),
          title: 'updated',
        },
      })
    expect(res).toEqual({ stats: { updated: 1 }, errMsg: 'document.update:ok' })
    expect(await read('u1')).toEqual({
      _id: 'u1',
      n: 7,
      m: 12,
      lo: 3,
      hi: 20,
      nested: { k: false, keep: 1, deep: { x: 1 } },
      obj: { fresh: 2 },
      renamed: 'o',
      title: 'updated',
    })
  })

  it('array operators: push (each/position/sort/slice), unshift, pop, shift, pull, pullAll, addToSet', async () => {
    const _ = fx.db.command
    await fresh('a1', { p: ['a'], q: [5, 1], u: ['z'], s: [1, 2, 3], t: [1, 2, 3], pl: [1, 5, 9, 2], pa: [1, 2, 3, 1], set: [1] })
    await fx.db
      .collection('docs')
      .doc('a1')
      .update({
        data: {
          p: _.push(['b', 'c']),
          q: _.push({ each: [9, 3], sort: 1, slice: -3 }),
          u: _.unshift(['x', 'y']),
          s: _.pop(),
          t: _.shift(),
          pl: _.pull(_.gt(4)),
          pa: _.pullAll([1, 3]),
          set: _.addToSet({ $each: [1, 2, 2] }),
        },
      })
    expect(await read('a1')).toEqual({
      _id: 'a1',
      p: ['a', 'b', 'c'],
      q: [3, 5, 9],
      u: ['x', 'y', 'z'],
      s: [1, 2],
      t: [2, 3],
      pl: [1, 2],
      pa: [2],
      set: [1, 2],
    })
    await fx.db.collection('docs').doc('a1').update({ data: { p: _.push({ each: ['first'], position: 0 }), fresh: _.addToSet('v') } })
    const after = await read('a1')
    expect(after.p).toEqual(['first', 'a', 'b', 'c'])
    expect(after.fresh).toEqual(['v'])
  })

  it('update of a missing document is not an error (updated 0)', async () => {
    const res = await fx.db.collection('docs').doc('nope').update({ data: { a: 1 } })
    expect(res.stats.updated).toBe(0)
  })

  it('where().update updates every match, or one with multi:false', async () => {
    await fx.db.collection('docs').add({ data: [1, 2, 3, 4].map((i) => ({ grp: 'w', i, flag: false })) })
    const all = await fx.db.collection('docs').where({ grp: 'w', i: fx.db.command.gt(1) }).update({ data: { flag: true } })
    expect(all).toEqual({ stats: { updated: 3 }, errMsg: 'collection.update:ok' })
    // `multi` is missing from the SDK's typings; pass it through an untyped-by-literal object.
    const onlyFirst = { data: { one: true }, multi: false }
    const one = await fx.db
      .collection('docs')
      .where({ grp: 'w' })
      .update(onlyFirst)
    expect(one.stats.updated).toBe(1)
    expect((await fx.db.collection('docs').where({ grp: 'w', one: true }).count()).total).toBe(1)
    // A no-op update modifies nothing (MongoDB's nModified).
    expect((await fx.db.collection('docs').where({ grp: 'w', i: 2 }).update({ data: { flag: true } })).stats.updated).toBe(0)
  })

  it('set replaces the whole document, creating it if missing (upsert)', async () => {
    const created = await fx.db.collection('docs').doc('s1').set({ data: { a: 1, b: { c: 2 } } })
    expect(created).toEqual({ _id: 's1', errMsg: 'document.set:ok', stats: { updated: 0, created: 1 } })
    const replaced = await fx.db.collection('docs').doc('s1').set({ data: { z: 'only' } })
    expect(replaced.stats).toEqual({ updated: 1, created: 0 })
    expect(await read('s1')).toEqual({ _id: 's1', z: 'only' })
  })

  it('serverDate() in set and update, with offset, and in queries', async () => {
    const before = Date.now()
    await fx.db.collection('docs').doc('d1').set({ data: { at: fx.db.serverDate() } })
    await fx.db.collection('docs').doc('d1').update({ data: { later: (fx.db.serverDate as (opts?: { offset: number }) => unknown)({ offset: 60_000 }) /* typed without options */ } })
    const d = await read('d1')
    expect(d.at).toBeInstanceOf(Date)
    const at = (d.at as Date).getTime()
    expect(at).toBeGreaterThanOrEqual(before)
    expect(at).toBeLessThanOrEqual(Date.now())
    expect((d.later as Date).getTime() - at).toBeGreaterThanOrEqual(59_000)
    const found = await fx.db.collection('docs').where({ _id: 'd1', at: fx.db.command.lte(fx.db.serverDate()) }).get()
    expect(found.data).toHaveLength(1)
  })

  it('remove: doc, where (multi), and the whole collection with query ""', async () => {
    await fx.db.createCollection('trash')
    await fx.db.collection('trash').add({ data: [1, 2, 3, 4, 5].map((i) => ({ _id: `t${i}`, i })) })
    expect(await fx.db.collection('trash').doc('t1').remove()).toEqual({ stats: { removed: 1 }, errMsg: 'document.remove:ok' })
    expect((await fx.db.collection('trash').doc('t1').remove()).stats.removed).toBe(0)
    const where = await fx.db.collection('trash').where({ i: fx.db.command.gte(4) }).remove()
    expect(where).toEqual({ stats: { removed: 2 }, errMsg: 'collection.remove:ok' })
    const all = await fx.db.collection('trash').where({}).remove()
    expect(all.stats.removed).toBe(2)
    expect((await fx.db.collection('trash').count()).total).toBe(0)
    const reply = fx.engine.handleSync({ action: 'database.removeDocument', collectionName: 'trash', query: '', queryType: 'WHERE', multi: true })
    expect(reply.data).toEqual({ deleted: 0 })
  })

  it('add returns generated 32-hex ids and keeps given ones', async () => {
    const one = await fx.db.collection('docs').add({ data: { v: 1 } })
    expect(one._id).toMatch(/^[0-9a-f]{32}$/)
    const many = await fx.db.collection('docs').add({ data: [{ _id: 'given', v: 2 }, { v: 3 }] })
    expect((many as unknown as { _ids: string[] })._ids[0]).toBe('given')
    expect((many as unknown as { _ids: string[] })._ids[1]).toMatch(/^[0-9a-f]{32}$/)
  })

  it('numbers, dates, nested arrays and regexps round-trip with their types', async () => {
    const when = new Date('2021-06-01T00:00:00Z')
    const data = { i: 7, d: 1.5, big: 2 ** 40, neg: -3, when, arr: [[1, 2], { x: 'y' }], re: /ab+c/i, t: true, nul: null }
    await fx.db.collection('docs').doc('types').set({ data })
    const back = await read('types')
    expect(back).toMatchObject({ i: 7, d: 1.5, big: 2 ** 40, neg: -3, arr: [[1, 2], { x: 'y' }], t: true, nul: null })
    expect((back.when as Date).getTime()).toBe(when.getTime())
  })
})

describe('conditional updates are atomic', () => {
  it('500 concurrent conditional decrements against stock 100 sell exactly 100', async () => {
    const _ = fx.db.command
    await fx.db.createCollection('stock')
    await fx.db.collection('stock').add({ data: { _id: 'sku', stock: 100 } })
    const results = await Promise.all(
      Array.from({ length: 500 }, () =>
        fx.db
          .collection('stock')
          .where({ _id: 'sku', stock: _.gt(0) })
          .update({ data: { stock: _.inc(-1) } }),
      ),
    )
    const sold = results.filter((r) => r.stats.updated === 1).length
    expect(sold).toBe(100)
    expect(results.every((r) => r.stats.updated === 0 || r.stats.updated === 1)).toBe(true)
    expect(((await fx.db.collection('stock').doc('sku').get()).data as AnyDoc).stock).toBe(0)
  })
})
