/**
 * The product's own payment callback under WeChat's redelivery: when `member` cannot process a
 * payment (here the merchant's tiers are momentarily empty, so capture throws and the wrapper
 * answers errcode 1), the simulated WeChat Pay delivers the callback again on its schedule until
 * `member` answers { errcode: 0 }; the payment is then counted exactly once, whatever more
 * deliveries follow.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { MERCHANT_DOC_ID } from '../../../cloudfunctions/services/documents'
import { addStore, memberState, startAppCloud, type AppCloud } from '../support/app-cloud'

// A first redelivery a second later (time to repair the settings), then quick ones.
const SCHEDULE = [1000, ...Array.from({ length: 14 }, () => 300)]

let app: AppCloud
beforeAll(async () => {
  app = await startAppCloud({ payRetryDelaysMs: SCHEDULE })
  await addStore(app.db, 'store-r', '静安店')
})
afterAll(() => app.stop())

async function payView(outTradeNo: string): Promise<any> {
  const res = await fetch(`${app.lc.url}/pay/orders/${outTradeNo}`)
  return ((await res.json()) as { order: any }).order
}

async function untilAcknowledged(outTradeNo: string, ms = 60_000): Promise<any> {
  const end = Date.now() + ms
  for (;;) {
    const order = await payView(outTradeNo)
    if (order.notify?.acknowledged) return order
    if (Date.now() > end) throw new Error(`never acknowledged: ${JSON.stringify(order.notify)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('member payment callback redelivered by WeChat Pay', () => {
  it('is delivered again after answering errcode 1, and the payment is counted once', async () => {
    const openid = 'o-redelivered'
    const created = await app.call('member', 'createOrder', { storeId: 'store-r', amountFen: 2580 }, openid)
    expect(created.ok).toBe(true)
    const { outTradeNo } = created.data as { outTradeNo: string }

    const merchant = app.db.collection(COLLECTIONS.merchant).doc(MERCHANT_DOC_ID)
    await merchant.set({ data: { tiers: [] } })
    const first = await app.pay(outTradeNo)
    expect(first).toEqual([{ errcode: 1, errmsg: 'merchant has no tiers' }])
    expect((await app.db.collection(COLLECTIONS.orders).doc(outTradeNo).get()).data.status).toBe('created')
    await merchant.remove()

    const order = await untilAcknowledged(outTradeNo)
    const d = order.notify.deliveries
    expect(d[0]).toMatchObject({ trigger: 'first', acknowledged: false, reply: { errcode: 1 } })
    expect(d[d.length - 1]).toMatchObject({ trigger: 'retry', acknowledged: true, reply: { errcode: 0, errmsg: 'OK' } })
    // Any redelivery before the repair failed the same way, and only the last one was answered 0.
    for (const x of d.slice(0, -1)) expect(x).toMatchObject({ acknowledged: false, reply: { errcode: 1 } })

    let s = await memberState(app.db, openid)
    expect(s.member).toMatchObject({ points: 25, totalSpentFen: 2580, visitCount: 1, paidOrderCount: 1 })
    expect(s.ledger).toHaveLength(1)

    // WeChat may still deliver it again (and a developer can): answered as processed, nothing moves.
    const replays = await app.pay(outTradeNo, { times: 3, concurrent: true })
    for (const r of replays) expect(r).toEqual({ errcode: 0, errmsg: 'OK (already processed)' })
    s = await memberState(app.db, openid)
    expect(s.ledger).toHaveLength(1)
    expect(s.member).toMatchObject({ points: 25, paidOrderCount: 1 })
    expect(s.ledgerSum).toBe(s.member.points)
    const stored = (await app.db.collection(COLLECTIONS.orders).doc(outTradeNo).get()).data
    expect(stored).toMatchObject({ status: 'paid', pointsEarned: 25, transactionId: order.transactionId })
    expect((await payView(outTradeNo)).notify.deliveries).toHaveLength(d.length + 3)
  })
})
