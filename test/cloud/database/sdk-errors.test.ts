import { rejection, useSdkDatabase } from './helpers/db-server'

/** Error replies as the SDK surfaces them (docs/cloud-protocol.md §1.5), plus all-or-nothing writes. */
const fx = useSdkDatabase({
  members: {
    indexes: [
      { name: 'openid_unique', keys: { openid: 1 }, unique: true },
      { name: 'phone', keys: { phone: 1 } },
    ],
  },
  pairs: { indexes: [{ name: 'a_b_unique', keys: { a: 1, b: 1 }, unique: true }] },
})

describe('collections', () => {
  it('createCollection works once, then fails with DATABASE_COLLECTION_ALREADY_EXIST', async () => {
    const ok = await fx.db.createCollection('fresh')
    expect(ok).toMatchObject({ errMsg: 'createCollection:ok' })
    expect(typeof (ok as { requestId: unknown }).requestId).toBe('string')
    const err = await rejection(fx.db.createCollection('fresh'))
    expect(err.code).toBe('DATABASE_COLLECTION_ALREADY_EXIST')
    expect(err.errMsg).toContain('createCollection:fail')
    // Schema collections exist from the start.
    expect((await rejection(fx.db.createCollection('members'))).code).toBe('DATABASE_COLLECTION_ALREADY_EXIST')
  })

  it('a missing collection gives -502005 with the cloud message on add/get/update/remove/count', async () => {
    const c = fx.db.collection('nope')
    const msg = '[ResourceNotFound] Db or Table not exist. Please check your request, but if the problem cannot be solved, contact us.'
    const add = await rejection(c.add({ data: { a: 1 } }))
    expect(add.errCode).toBe(-502005)
    expect(add.errMsg).toBe(`collection.add:fail -502005 database collection not exists. ${msg}`)
    expect((await rejection(c.get())).errCode).toBe(-502005)
    expect((await rejection(c.doc('x').get())).errCode).toBe(-502005)
    expect((await rejection(c.doc('x').update({ data: { a: 1 } }))).errCode).toBe(-502005)
    expect((await rejection(c.where({}).remove())).errCode).toBe(-502005)
    expect((await rejection(c.count())).errCode).toBe(-502005)
    const agg = await rejection(c.aggregate().match({}).end())
    expect(agg.code).toBe('DATABASE_COLLECTION_NOT_EXIST')
  })
})

describe('unique indexes', () => {
  it('a duplicate _id is rejected with -502001 E11000', async () => {
    await fx.db.collection('members').add({ data: { _id: 'm1', openid: 'o1' } })
    const err = await rejection(fx.db.collection('members').add({ data: { _id: 'm1', openid: 'o-other' } }))
    expect(err.errCode).toBe(-502001)
    expect(err.errMsg).toContain('E11000 duplicate key error collection: local.members index: _id_ dup key: { _id: "m1" }')
  })

  it('a duplicate unique key is rejected on add, update and set', async () => {
    await fx.db.collection('members').add({ data: { _id: 'm2', openid: 'o2' } })
    const add = await rejection(fx.db.collection('members').add({ data: { openid: 'o1' } }))
    expect(add.errCode).toBe(-502001)
    expect(add.errMsg).toContain('E11000 duplicate key error collection: local.members index: openid_unique dup key: { openid: "o1" }')
    expect((await rejection(fx.db.collection('members').doc('m2').update({ data: { openid: 'o1' } }))).errCode).toBe(-502001)
    expect((await rejection(fx.db.collection('members').doc('m3').set({ data: { openid: 'o1' } }))).errCode).toBe(-502001)
    // Updating a document to its own key is fine.
    await fx.db.collection('members').doc('m2').update({ data: { openid: 'o2', x: 1 } })
    // Not sparse, as on the cloud: a missing key counts as null, so only one document may lack it.
    await fx.db.collection('members').add({ data: { phone: '1' } })
    const second = await rejection(fx.db.collection('members').add({ data: { phone: '2' } }))
    expect(second.errMsg).toContain('index: openid_unique dup key: { openid: null }')
    await fx.db.collection('members').where({ phone: '1' }).remove()
    // Compound unique keys compare all fields together.
    await fx.db.collection('pairs').add({ data: [{ a: 1, b: 1 }, { a: 1, b: 2 }] })
    expect((await rejection(fx.db.collection('pairs').add({ data: { a: 1, b: 2 } }))).errCode).toBe(-502001)
  })

  it('a multi-document insert failing on its 3rd document writes nothing', async () => {
    const before = (await fx.db.collection('members').count()).total
    const docs = [{ openid: 'n1' }, { openid: 'n2' }, { openid: 'o1' }, { openid: 'n4' }, { openid: 'n5' }]
    expect((await rejection(fx.db.collection('members').add({ data: docs }))).errCode).toBe(-502001)
    expect((await fx.db.collection('members').count()).total).toBe(before)
    expect((await fx.db.collection('members').where({ openid: 'n1' }).get()).data).toEqual([])
  })

  it('an update of many documents hitting a unique key changes none of them', async () => {
    await fx.db.collection('members').add({ data: [{ openid: 'g1', grp: 'g' }, { openid: 'g2', grp: 'g' }] })
    const err = await rejection(fx.db.collection('members').where({ grp: 'g' }).update({ data: { openid: 'same' } }))
    expect(err.errCode).toBe(-502001)
    const rows = (await fx.db.collection('members').where({ grp: 'g' }).get()).data as { openid: string }[]
    expect(rows.map((r) => r.openid).sort()).toEqual(['g1', 'g2'])
  })
})

describe('bad input never crashes the engine', () => {
  const call = (body: Record<string, unknown>): Record<string, unknown> => fx.engine.handleSync(body)

  it('malformed EJSON → INVALID_PARAM with a clear message', () => {
    const reply = call({ action: 'database.getDocument', collectionName: 'members', query: '{"a":', queryType: 'WHERE' })
    expect(reply.code).toBe('INVALID_PARAM')
    expect(reply.message).toMatch(/query is not valid EJSON/)
    expect(typeof reply.requestId).toBe('string')
    const data = call({ action: 'database.insertDocument', collectionName: 'members', data: ['not json'] })
    expect(data.code).toBe('INVALID_PARAM')
  })

  it('unknown actions and operators get their codes', () => {
    expect(call({ action: 'database.dropEverything' })).toMatchObject({ code: 'INVALID_PARAM', message: expect.stringContaining('unknown action') })
    expect(call({ action: 'constructor' }).code).toBe('INVALID_PARAM')
    const badQuery = call({ action: 'database.getDocument', collectionName: 'members', query: '{"a":{"$bogus":1}}', queryType: 'WHERE' })
    expect(badQuery.code).toBe('DATABASE_INVALID_OPERRATOR')
    const badUpdate = call({ action: 'database.modifyDocument', collectionName: 'members', query: '{}', queryType: 'WHERE', data: '{"$explode":{"a":1}}', merge: true, multi: true })
    expect(badUpdate.code).toBe('DATABASE_INVALID_OPERRATOR')
    const script = call({ action: 'database.getDocument', collectionName: 'members', query: '{"$where":"true"}', queryType: 'WHERE' })
    expect(script.code).toBe('DATABASE_INVALID_OPERRATOR')
    expect(call({ action: 'database.getDocument', queryType: 'WHERE' }).code).toBe('INVALID_PARAM')
  })

  it('through the SDK: an invalid operator is -502002', async () => {
    const err = await rejection(fx.db.collection('members').where({ a: { $bogus: 1 } }).get())
    expect(err.errCode).toBe(-502002)
  })
})
