import { useSdkDatabase } from './helpers/db-server'

/**
 * The "process once" pattern under races: each transaction reads an order, and if it is still
 * open records a ledger line keyed by the order and closes it. A transaction that lost the race
 * fails at once on the winner's lock (事务锁: 其他事务的写入会直接失败; the SDK does not retry an
 * operation's failure) or, started after the winner committed, sees the order closed. Either
 * way the order is processed once.
 */
const fx = useSdkDatabase({ orders: { indexes: [] }, ledger: { indexes: [] } })

type Txn = { collection(name: string): ReturnType<typeof fx.db.collection> }

async function processOnce(id: string): Promise<'processed' | 'already'> {
  return fx.db.runTransaction(async (t: Txn) => {
    const order = (await t.collection('orders').doc(id).get()).data as { status: string }
    if (order.status !== 'open') return 'already'
    await t.collection('ledger').add({ data: { _id: `line:${id}`, amount: 1 } })
    await t.collection('orders').doc(id).update({ data: { status: 'done' } })
    return 'processed'
  })
}

it('eight concurrent transactions on one order: one processes it, the others fail on its lock or see it done', async () => {
  await fx.db.collection('orders').add({ data: { _id: 'o1', status: 'open' } })
  const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => processOnce('o1')))
  const done = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))
  const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as { errCode?: number; errMsg?: string }] : []))
  expect(done.filter((r) => r === 'processed')).toHaveLength(1)
  expect(done.filter((r) => r === 'already').length + failed.length).toBe(7)
  for (const e of failed) expect(e).toMatchObject({ errCode: -501001, errMsg: expect.stringContaining('write conflict') })
  expect((await fx.db.collection('ledger').count()).total).toBe(1)
  expect((await fx.db.collection('orders').doc('o1').get()).data.status).toBe('done')
  // Run again (what a caller does with such a failure), each of them sees the order done.
  expect(await Promise.all(failed.map(() => processOnce('o1')))).toEqual(failed.map(() => 'already'))
})

it('a genuine duplicate _id inside a fresh transaction still fails at once', async () => {
  await fx.db.collection('ledger').add({ data: { _id: 'dup', amount: 1 } })
  await expect(
    fx.db.runTransaction(async (t: Txn) => {
      await t.collection('ledger').add({ data: { _id: 'dup', amount: 2 } })
    }),
  ).rejects.toMatchObject({ errCode: -502001 })
  expect((await fx.db.collection('ledger').doc('dup').get()).data.amount).toBe(1)
})
