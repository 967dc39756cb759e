/**
 * Reconciliation meets coupons: an order placed with a coupon and never paid is closed by the
 * reconciliation job (at WeChat and here), and the coupon locked to it is usable again — in the
 * same transaction as the close, once, however often the job runs. A paid order's coupon stays used.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { CLOSE_MIN_AGE_MS } from '../../../local-cloud/src/pay'
import { get, post } from '../local-cloud/helpers'
import { seedCodeSecret, seedOrg, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'

const MIN = 60_000
let app: AdminCloud
let org: Org

beforeAll(async () => {
  // No redelivery, and WeChat's 5-minute rule for closeOrder, as in the reconciliation tests.
  app = await startAdminCloud({ payRetryDelaysMs: [], payCloseMinAgeMs: CLOSE_MIN_AGE_MS })
  org = await seedOrg(app)
  await seedCodeSecret(app.db)
}, 120_000)

const stored = async (no: string): Promise<any> => (await app.db.collection(COLLECTIONS.orders).doc(no).get()).data
const atWechat = async (no: string): Promise<any> => (await get(`${app.lc.url}/pay/orders/${no}`)).body.order
const runJob = (): Promise<any> => app.lc.runTimer('member', 'reconcilePayments')
async function olderBy(no: string, ms: number): Promise<void> {
  await app.db.collection(COLLECTIONS.orders).doc(no).update({ data: { createdAt: new Date(Date.now() - ms) } })
  const moved = await post(`${app.lc.url}/pay/clock`, { advanceMs: ms })
  if (moved.status !== 200) throw new Error(JSON.stringify(moved.body))
}
afterAll(() => app.stop())

async function claimCoupon(openid: string): Promise<string> {
  const made = await app.invoke('admin', 'couponTemplates.create', { storeId: null, title: '满30减5', value: { type: 'threshold', valueFen: 500, thresholdFen: 3000 }, validity: { kind: 'relative', days: 30 }, stock: 10 }, org.owner)
  if (!made.ok) throw new Error(made.code)
  await app.invoke('admin', 'couponTemplates.setStatus', { templateId: made.data.template.id, to: 'active' }, org.owner)
  const claimed = await app.invoke('member', 'claimCoupon', { templateId: made.data.template.id }, openid)
  if (!claimed.ok) throw new Error(claimed.code)
  return claimed.data.coupon.id
}

const coupon = async (id: string): Promise<any> => (await app.db.collection(COLLECTIONS.coupons).doc(id).get()).data

describe('an unpaid order placed with a coupon', () => {
  it('is closed by the job and its coupon released, once; the coupon then pays another order', async () => {
    const openid = 'o-close-coupon'
    const couponId = await claimCoupon(openid)
    const placed = await app.invoke('member', 'createOrder', { storeId: org.storeA, amountFen: 4000, couponId }, openid)
    if (!placed.ok) throw new Error(`createOrder: ${placed.code}`)
    expect(placed.data).toMatchObject({ amountFen: 3500, discountFen: 500, couponId })
    const no: string = placed.data.outTradeNo
    expect(await coupon(couponId)).toMatchObject({ status: 'locked', lockOrder: no })

    await olderBy(no, 31 * MIN)
    expect(await runJob()).toMatchObject({ closed: 1 })
    expect(await stored(no)).toMatchObject({ status: 'closed', closeReason: 'unpaid' })
    expect((await atWechat(no)).state).toBe('CLOSED')
    expect(await coupon(couponId)).toMatchObject({ status: 'available', lockOrder: null })
    const released = (await app.db.collection(COLLECTIONS.couponEvents).where({ couponId, kind: 'released' }).get()).data
    expect(released.map((e: any) => e.ref)).toEqual([no])

    // Another pass changes nothing: one release event, the coupon still available.
    await runJob()
    expect((await app.db.collection(COLLECTIONS.couponEvents).where({ couponId, kind: 'released' }).get()).data).toHaveLength(1)

    // The released coupon pays a new order, and is used by its capture.
    const again = await app.invoke('member', 'createOrder', { storeId: org.storeA, amountFen: 4000, couponId }, openid)
    if (!again.ok) throw new Error(`createOrder: ${again.code}`)
    expect(again.data).toMatchObject({ amountFen: 3500, couponId })
    await app.pay(again.data.outTradeNo)
    expect(await coupon(couponId)).toMatchObject({ status: 'used', usedOrder: again.data.outTradeNo })
  })
})
