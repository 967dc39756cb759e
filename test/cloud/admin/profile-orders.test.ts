/**
 * The member profile lists the member's recent orders and says, per order, whether the caller
 * may refund it — the same rule orders.refund enforces (role, and store scope by the order).
 */
import { insertMember, seedCodeSecret, seedOrg, startAdminCloud, type AdminCloud, type Org } from './helpers'

let c: AdminCloud
let org: Org
const MEMBER_NO = '40400001'

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  await seedCodeSecret(c.db)
  await insertMember(c.db, 'o-profile-customer', MEMBER_NO, { firstStoreId: org.storeA, phone: '13800001818' })
  await c.ok(org.clerk, 'cashier.capture', { storeId: org.storeA, amountFen: 1800, memberNo: MEMBER_NO, phoneLast4: '1818', clientRequestId: 'profile-a-1' })
  await c.ok(org.owner, 'cashier.capture', { storeId: org.storeB, amountFen: 2600, memberNo: MEMBER_NO, clientRequestId: 'profile-b-1' })
})
afterAll(async () => {
  await c?.stop()
})

async function refundableByStore(openid: string): Promise<Record<string, boolean>> {
  const res = await c.ok(openid, 'members.profile', { memberNo: MEMBER_NO, page: 1 })
  return Object.fromEntries(res.orders.map((o: { storeName: string; refundable: boolean }) => [o.storeName, o.refundable]))
}

it('lists recent orders newest first with store names and amounts in fen', async () => {
  const res = await c.ok(org.owner, 'members.profile', { memberNo: MEMBER_NO, page: 1 })
  expect(res.orders.map((o: { amountFen: number; storeName: string; status: string; channel: string }) => [o.amountFen, o.storeName, o.status, o.channel])).toEqual([
    [2600, '静安店', 'paid', 'cashier'],
    [1800, '徐汇店', 'paid', 'cashier'],
  ])
  expect((await c.ok(org.owner, 'members.profile', { memberNo: MEMBER_NO, page: 2 })).orders).toEqual([])
})

it('shows a store its own orders and marks refundable exactly where orders.refund would allow it', async () => {
  expect(await refundableByStore(org.owner)).toEqual({ 徐汇店: true, 静安店: true })
  expect(await refundableByStore(org.hq)).toEqual({ 徐汇店: true, 静安店: true })
  expect(await refundableByStore(org.manager)).toEqual({ 徐汇店: true })
  expect(await refundableByStore(org.clerk)).toEqual({ 徐汇店: false })

  const all = await c.ok(org.owner, 'members.profile', { memberNo: MEMBER_NO, page: 1 })
  const other = all.orders.find((o: { storeName: string }) => o.storeName === '静安店')
  expect(await c.admin(org.manager, 'orders.refund', { outTradeNo: other.outTradeNo })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  const profile = await c.ok(org.manager, 'members.profile', { memberNo: MEMBER_NO, page: 1 })
  const own = profile.orders.find((o: { storeName: string }) => o.storeName === '徐汇店')
  expect(await c.ok(org.manager, 'orders.refund', { outTradeNo: own.outTradeNo })).toMatchObject({ status: 'refunded', pointsReversed: 18 })
  const after = await c.ok(org.manager, 'members.profile', { memberNo: MEMBER_NO, page: 1 })
  expect(after.orders.find((o: { storeName: string }) => o.storeName === '徐汇店')).toMatchObject({ status: 'refunded', refundable: false })
})
