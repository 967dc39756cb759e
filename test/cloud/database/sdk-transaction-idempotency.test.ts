import { useSdkDatabase } from './helpers/db-server'

/**
 * The "process once" pattern under races: each transaction reads an order, and if it is still
 * open records a ledger line keyed by the order and closes it. A transaction that lost the race
 * must be retried (and then see the order closed), not fail on the ledger line's duplicate _id.
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

it('eight concurrent transactions on one order: one processes it, the others are retried and see it done', async () => {
  await fx.db.collection('orders').add({ data: { _id: 'o1', status: 'open' } })
  const results = await Promise.all(Array.from({ length: 8 }, () => processOnce('o1')))
  expect(results.filter((r) => r === 'processed')).toHaveLength(1)
  expect(results.filter((r) => r === 'already')).toHaveLength(7)
  expect((await fx.db.collection('ledger').count()).total).toBe(1)
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
