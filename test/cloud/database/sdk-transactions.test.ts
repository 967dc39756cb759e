import { rejection, useSdkDatabase } from './helpers/db-server'

/**
 * Transactions (docs/cloud-protocol.md §4) through the real SDK: buffered, locking the documents they write,
 * retried by the SDK when the commit conflicts. What they refuse: sdk-transaction-rules.test.ts.
 */
// Every account carries its own `no`: like the cloud's, the unique index is not sparse.
const fx = useSdkDatabase({ accounts: { indexes: [{ name: 'no_unique', keys: { no: 1 }, unique: true }] } })

interface Account {
  _id: string
  balance: number
  no?: string
}
type Txn = {
  collection(name: string): ReturnType<typeof fx.db.collection>
  commit(): Promise<unknown>
  rollback(reason?: unknown): Promise<unknown>
}

async function balance(id: string): Promise<number | undefined> {
  const res = await fx.db.collection('accounts').where({ _id: id }).get()
  return (res.data[0] as Account | undefined)?.balance
}

beforeAll(async () => {
  await fx.db.collection('accounts').add({
    data: [
      { _id: 'a', balance: 100, no: 'a' },
      { _id: 'b', balance: 0, no: 'b' },
      { _id: 'c', balance: 7, no: 'c' },
    ],
  })
})

describe('runTransaction', () => {
  it('commits all its writes and returns the callback result; reads see own writes', async () => {
    const result = await fx.db.runTransaction(async (t: Txn) => {
      const a = (await t.collection('accounts').doc('a').get()).data as Account
      await t.collection('accounts').doc('a').update({ data: { balance: fx.db.command.inc(-30) } })
      await t.collection('accounts').doc('b').update({ data: { balance: fx.db.command.inc(30) } })
      await t.collection('accounts').doc('d').set({ data: { balance: 1, no: 'd' } })
      await t.collection('accounts').add({ data: { _id: 'e', balance: 2, no: 'e' } })
      await t.collection('accounts').doc('c').remove()
      const own = (await t.collection('accounts').doc('a').get()).data as Account
      const created = (await t.collection('accounts').doc('d').get()).data as Account
      // Nothing is visible outside before the commit.
      expect(await balance('a')).toBe(100)
      expect(await balance('d')).toBeUndefined()
      return { before: a.balance, own: own.balance, created: created.balance }
    })
    expect(result).toEqual({ before: 100, own: 70, created: 1 })
    expect(await balance('a')).toBe(70)
    expect(await balance('b')).toBe(30)
    expect(await balance('c')).toBeUndefined()
    expect(await balance('d')).toBe(1)
    expect(await balance('e')).toBe(2)
  })

  it('a throwing callback rolls back: nothing applies', async () => {
    const err = await rejection(
      fx.db.runTransaction(async (t: Txn) => {
        await t.collection('accounts').doc('a').update({ data: { balance: 0 } })
        await t.collection('accounts').add({ data: { _id: 'ghost', balance: 1, no: 'ghost' } })
        throw new Error('boom')
      }),
    )
    expect(err.message).toBe('boom')
    expect(await balance('a')).toBe(70)
    expect(await balance('ghost')).toBeUndefined()
    expect(fx.engine.stats().openTransactions).toBe(0)
  })

  it('t.rollback(reason) rejects with that reason and applies nothing', async () => {
    const err = await rejection(
      fx.db.runTransaction(async (t: Txn) => {
        await t.collection('accounts').doc('a').update({ data: { balance: 1 } })
        await t.rollback({ reason: 'custom' })
      }),
    )
    expect(err).toEqual({ reason: 'custom' })
    expect(await balance('a')).toBe(70)
  })

  it('a missing document inside a transaction fails the op and aborts', async () => {
    const err = await rejection(
      fx.db.runTransaction(async (t: Txn) => {
        await t.collection('accounts').doc('a').update({ data: { balance: 5 } })
        await t.collection('accounts').doc('missing').get()
      }),
    )
    expect(String(err.errMsg)).toContain('document with _id missing does not exist')
    expect(await balance('a')).toBe(70)
  })

  it('two concurrent increments: the second write fails at once (no SDK retry); run again, both apply', async () => {
    await fx.db.collection('accounts').doc('counter').set({ data: { balance: 0, no: 'counter' } })
    let attempts = 0
    // Both read before either writes, however the machine schedules them.
    let bothRead: () => void = () => undefined
    const readBarrier = new Promise<void>((resolve) => (bothRead = resolve))
    let reads = 0
    const increment = (): Promise<unknown> =>
      fx.db.runTransaction(async (t: Txn) => {
        attempts++
        const cur = (await t.collection('accounts').doc('counter').get()).data as Account
        if (++reads === 2) bothRead()
        await readBarrier
        await t.collection('accounts').doc('counter').update({ data: { balance: cur.balance + 1 } })
      })
    const outcomes = await Promise.allSettled([increment(), increment()])
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected'])
    const lost = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')
    expect(lost?.reason).toMatchObject({ errCode: -501001, errMsg: expect.stringContaining('write conflict') })
    expect(attempts).toBe(2) // an operation's conflict is not retried by the SDK
    expect(await balance('counter')).toBe(1)
    await increment()
    expect(await balance('counter')).toBe(2)
  })

  it('snapshot isolation: reads see the data as of the start; a document only read may change meanwhile and the commit still applies', async () => {
    const t = (await fx.db.startTransaction()) as Txn
    const before = ((await t.collection('accounts').doc('b').get()).data as Account).balance
    await fx.db.collection('accounts').doc('b').update({ data: { balance: fx.db.command.inc(1) } })
    // Read again after the outside write: still the snapshot's value.
    expect(((await t.collection('accounts').doc('b').get()).data as Account).balance).toBe(before)
    await t.collection('accounts').doc('a').update({ data: { balance: fx.db.command.inc(1) } })
    await t.commit()
    expect(await balance('b')).toBe(before + 1)
    await fx.db.collection('accounts').doc('a').update({ data: { balance: fx.db.command.inc(-1) } })
  })

  it('a write to a document changed after the start is a write conflict at once (first committer wins), and nothing of it applies', async () => {
    const t = (await fx.db.startTransaction()) as Txn
    await t.collection('accounts').doc('b').get()
    await fx.db.collection('accounts').doc('b').update({ data: { balance: fx.db.command.inc(1) } })
    const after = await balance('b')
    const err = await rejection(t.collection('accounts').doc('b').update({ data: { balance: fx.db.command.inc(100) } }))
    expect(String((err as { errCode?: unknown; code?: unknown }).errCode ?? err.code)).toMatch(/-501001|DATABASE_TRANSACTION_CONFLICT/)
    await t.rollback().catch(() => undefined)
    expect(await balance('b')).toBe(after)
  })

  it('a document created by another transaction after the start is missing from the snapshot, and creating it too conflicts', async () => {
    const t = (await fx.db.startTransaction()) as Txn
    await t.collection('accounts').doc('a').get()
    await fx.db.runTransaction(async (o: Txn) => {
      await o.collection('accounts').doc('late').set({ data: { balance: 1, no: 'late' } })
    })
    expect((await rejection(t.collection('accounts').doc('late').get())).message).toMatch(/does not exist/)
    const err = await rejection(t.collection('accounts').doc('late').set({ data: { balance: 2, no: 'late2' } }))
    expect(String((err as { errCode?: unknown; code?: unknown }).errCode ?? err.code)).toMatch(/-501001|DATABASE_TRANSACTION_CONFLICT/)
    await t.rollback().catch(() => undefined)
    expect(await balance('late')).toBe(1)
  })

  it('write skew is possible, as on the cloud: two transactions that each read what the other writes both commit', async () => {
    await fx.db.collection('accounts').add({ data: [{ _id: 'x', balance: 1, no: 'x' }, { _id: 'y', balance: 1, no: 'y' }] })
    const t1 = (await fx.db.startTransaction()) as Txn
    const t2 = (await fx.db.startTransaction()) as Txn
    const total1 = ((await t1.collection('accounts').doc('x').get()).data as Account).balance + ((await t1.collection('accounts').doc('y').get()).data as Account).balance
    const total2 = ((await t2.collection('accounts').doc('x').get()).data as Account).balance + ((await t2.collection('accounts').doc('y').get()).data as Account).balance
    // Each keeps "x + y >= 1" by its own reading, and each takes 1 from a different document.
    expect([total1, total2]).toEqual([2, 2])
    await t1.collection('accounts').doc('x').update({ data: { balance: fx.db.command.inc(-1) } })
    await t2.collection('accounts').doc('y').update({ data: { balance: fx.db.command.inc(-1) } })
    await t1.commit()
    await t2.commit()
    // Both took 1: the invariant each checked is broken (a guard document both write prevents it).
    expect([await balance('x'), await balance('y')]).toEqual([0, 0])
  })

  it('a unique violation at commit applies nothing', async () => {
    await fx.db.collection('accounts').doc('u1').set({ data: { balance: 0, no: 'N1' } })
    const err = await rejection(
      fx.db.runTransaction(async (t: Txn) => {
        await t.collection('accounts').doc('a').update({ data: { balance: 0 } })
        await t.collection('accounts').doc('u2').set({ data: { balance: 0, no: 'N1' } })
      }),
    )
    expect(String(err.message)).toContain('E11000')
    expect(await balance('a')).toBe(70)
    expect(await balance('u2')).toBeUndefined()
  })
})

describe('startTransaction (manual)', () => {
  it('commit applies, rollback discards, and a finished transaction cannot be reused', async () => {
    const t = (await fx.db.startTransaction()) as Txn
    await t.collection('accounts').doc('m1').set({ data: { balance: 5, no: 'm1' } })
    const committed = await t.commit()
    expect(committed).toHaveProperty('requestId')
    expect(await balance('m1')).toBe(5)

    const r = (await fx.db.startTransaction()) as Txn
    await r.collection('accounts').doc('m1').update({ data: { balance: 50 } })
    await r.rollback()
    expect(await balance('m1')).toBe(5)
    expect((await rejection(r.commit())).code).toBe('DATABASE_TRANSACTION_FAIL')
  })

  it('an add of an existing _id inside a transaction fails at once', async () => {
    const t = (await fx.db.startTransaction()) as Txn
    const err = await rejection(t.collection('accounts').add({ data: { _id: 'a', balance: 1, no: 'a' } }))
    expect(err.errCode).toBe(-502001)
    await t.rollback()
  })
})
