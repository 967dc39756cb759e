import { rejection, useSdkDatabase } from './helpers/db-server'

/**
 * What the cloud's transactions refuse, through the real SDK (guide/database/transaction):
 * 在事务中不支持批量操作（where 语句），只支持单记录操作（collection.doc, collection.add); and its
 * locks: a document a transaction has written is locked until it ends; 其他事务的写入会直接失败,
 * 普通的更新操作会被阻塞，直到事务锁释放或者超时.
 */
const LOCK_WAIT_MS = 1500
const fx = useSdkDatabase({ accounts: { indexes: [] } }, { lockWaitMs: LOCK_WAIT_MS })

interface Account {
  _id: string
  balance: number
}
type Txn = {
  collection(name: string): ReturnType<typeof fx.db.collection>
  commit(): Promise<unknown>
  rollback(reason?: unknown): Promise<unknown>
}

/** db.command, once the fixture has connected. */
const _ = (): typeof fx.db.command => fx.db.command

async function balance(id: string): Promise<number | undefined> {
  const res = await fx.db.collection('accounts').where({ _id: id }).get()
  return (res.data[0] as Account | undefined)?.balance
}

/** Whether a promise is still pending after `ms`. */
async function pendingAfter(p: Promise<unknown>, ms: number): Promise<boolean> {
  const marker = Symbol('pending')
  const first = await Promise.race([p.then(() => 'settled', () => 'settled'), new Promise((r) => setTimeout(() => r(marker), ms))])
  return first === marker
}

beforeAll(async () => {
  await fx.db.collection('accounts').add({
    data: [
      { _id: 'a', balance: 10 },
      { _id: 'b', balance: 20 },
      { _id: 'c', balance: 30 },
    ],
  })
})

afterEach(() => {
  expect(fx.engine.stats().openTransactions).toBe(0)
})

describe('batch operations inside a transaction fail (they used to run, outside it)', () => {
  const batch: Array<[string, (t: Txn) => Promise<unknown>]> = [
    ['where().get()', (t) => t.collection('accounts').where({ balance: _().gte(0) }).get()],
    ['where().update()', (t) => t.collection('accounts').where({ _id: 'a' }).update({ data: { balance: 999 } })],
    ['where().remove()', (t) => t.collection('accounts').where({ _id: 'b' }).remove()],
    ['count()', (t) => t.collection('accounts').where({ balance: _().gte(0) }).count()],
    ['aggregate()', (t) => t.collection('accounts').aggregate().match({ _id: 'a' }).end()],
  ]

  it.each(batch)('%s in runTransaction rejects, and the transaction applies nothing', async (what, op) => {
    const err = await rejection(
      fx.db.runTransaction(async (t: Txn) => {
        await t.collection('accounts').doc('c').update({ data: { balance: 31 } })
        await op(t)
      }),
    )
    expect(String(err.errMsg ?? err.message)).toContain('事务中不支持批量操作')
    expect(String(err.errMsg ?? err.message)).toContain(what)
    // Nothing ran outside the transaction either.
    expect(await balance('a')).toBe(10)
    expect(await balance('b')).toBe(20)
    expect(await balance('c')).toBe(30)
  })

  it('the same in a manual transaction; after it ends, batch operations work again', async () => {
    const t = (await fx.db.startTransaction()) as Txn
    const err = await rejection(t.collection('accounts').count())
    expect(err.errCode).toBe(-501007)
    await t.rollback()
    expect((await fx.db.collection('accounts').count()).total).toBe(3)
    expect((await fx.db.collection('accounts').where({ _id: 'a' }).update({ data: { seen: true } })).stats.updated).toBe(1)
  })
})

describe('locks', () => {
  it("another transaction's write to a document an open transaction wrote fails at once", async () => {
    const t1 = (await fx.db.startTransaction()) as Txn
    await t1.collection('accounts').doc('a').update({ data: { balance: 11 } })
    const t2 = (await fx.db.startTransaction()) as Txn
    const started = Date.now()
    const err = await rejection(t2.collection('accounts').doc('a').update({ data: { balance: 12 } }))
    expect(Date.now() - started).toBeLessThan(LOCK_WAIT_MS)
    expect(err).toMatchObject({ errCode: -501001, errMsg: expect.stringContaining('write conflict') })
    // add() of a document another transaction created is refused the same way.
    await t1.collection('accounts').add({ data: { _id: 'new-1', balance: 1 } })
    expect(await rejection(t2.collection('accounts').add({ data: { _id: 'new-1', balance: 2 } }))).toMatchObject({ errCode: -501001 })
    await t2.rollback()
    await t1.commit()
    expect(await balance('a')).toBe(11)
    expect(await balance('new-1')).toBe(1)
  })

  it('a write outside any transaction waits for the lock and then applies on the committed document', async () => {
    const t = (await fx.db.startTransaction()) as Txn
    await t.collection('accounts').doc('b').update({ data: { balance: 25 } })
    const outside = fx.db.collection('accounts').doc('b').update({ data: { balance: _().inc(1) } })
    expect(await pendingAfter(outside, LOCK_WAIT_MS / 4)).toBe(true)
    expect(await balance('b')).toBe(20) // reads are not blocked and see the committed value
    await t.commit()
    expect((await outside).stats.updated).toBe(1)
    expect(await balance('b')).toBe(26)
  })

  it('a where().update() outside waits too; a rollback releases the lock', async () => {
    const t = (await fx.db.startTransaction()) as Txn
    await t.collection('accounts').doc('c').remove()
    // Issued from this process, where the open transaction is also this caller's: so it is the
    // engine, not the SDK, that is asked here (as another invocation would be).
    const outside = fx.engine.handle({
      action: 'database.modifyDocument',
      collectionName: 'accounts',
      queryType: 'WHERE',
      multi: true,
      merge: true,
      query: '{"balance":{"$gte":{"$numberInt":"30"}}}',
      data: '{"$inc":{"balance":{"$numberInt":"1"}}}',
      wxCloudApiToken: 'another-invocation',
    })
    expect(await pendingAfter(outside, LOCK_WAIT_MS / 4)).toBe(true)
    await t.rollback()
    expect(await outside).toMatchObject({ data: { updated: 1 } })
    expect(await balance('c')).toBe(31)
  })

  it('a write outside fails when the lock is held past the wait limit', async () => {
    const t = (await fx.db.startTransaction()) as Txn
    await t.collection('accounts').doc('c').update({ data: { balance: 0 } })
    const started = Date.now()
    const err = await rejection(fx.db.collection('accounts').doc('c').update({ data: { balance: 100 } }))
    expect(Date.now() - started).toBeGreaterThanOrEqual(LOCK_WAIT_MS - 20)
    expect(err).toMatchObject({ errCode: -501001, errMsg: expect.stringContaining('locked by an open transaction') })
    await t.rollback()
    expect(await balance('c')).toBe(31)
  })

  it("a transaction's write to a document changed since it read it fails at once (it used to fail only at commit)", async () => {
    const t = (await fx.db.startTransaction()) as Txn
    const seen = (await t.collection('accounts').doc('a').get()).data as Account
    await fx.db.collection('accounts').doc('a').update({ data: { balance: _().inc(5) } })
    const err = await rejection(t.collection('accounts').doc('a').update({ data: { balance: seen.balance + 1 } }))
    expect(err).toMatchObject({ errCode: -501001, errMsg: expect.stringContaining('changed after this transaction started') })
    await t.rollback()
    expect(await balance('a')).toBe(16)
  })

  it('so does its first write to a document changed after it started, read or not', async () => {
    const t = (await fx.db.startTransaction()) as Txn
    await t.collection('accounts').doc('b').get()
    await fx.db.collection('accounts').doc('a').update({ data: { balance: _().inc(1) } })
    const err = await rejection(t.collection('accounts').doc('a').set({ data: { balance: 0 } }))
    expect(err).toMatchObject({ errCode: -501001, errMsg: expect.stringContaining('changed after this transaction started') })
    await t.rollback()
    expect(await balance('a')).toBe(17)
  })
})
