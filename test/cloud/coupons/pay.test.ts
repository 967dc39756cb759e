import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { releaseOrderCoupon } from '../../../cloudfunctions/services/coupons'
import { runTransaction } from '../../../cloudfunctions/services/db-util'
import { all, insertMember, memberCode, seedCodeSecret, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'
import { activeTemplate, couponDoc, member, memberOk, requestId, setFields } from './helpers'

let c: AdminCloud
let org: Org
const PAYER = 'o-payer'
const PAYER_NO = '50000001'

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  await seedCodeSecret(c.db)
  await insertMember(c.db, PAYER, PAYER_NO, { firstStoreId: org.storeA })
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

async function claimOne(openid: string, terms: Record<string, unknown>): Promise<string> {
  const t = await activeTemplate(c, org, terms)
  return (await memberOk(c, openid, 'claimCoupon', { templateId: t.id })).coupon.id
}

async function order(id: string): Promise<any> {
  return (await c.db.collection(COLLECTIONS.orders).doc(id).get()).data
}

describe('paying with a coupon', () => {
  it('the pay page lists usable coupons best first with the saving, and says why the others are not', async () => {
    const who = 'o-chooser'
    const cash = await claimOne(who, { title: '5元券', value: { type: 'cash', valueFen: 500 } })
    const big = await claimOne(who, { title: '满100减30', value: { type: 'threshold', valueFen: 3000, thresholdFen: 10000 } })
    const rate = await claimOne(who, { title: '8折券', value: { type: 'discount', ratePercent: 80, capFen: 1500 } })
    const otherStore = await claimOne(who, { title: '静安专用', usableStoreIds: [org.storeB] })
    await claimOne(who, { title: '兑换券', value: { type: 'gift', giftName: '美式一杯' } })
    const res = await memberOk(c, who, 'usableCoupons', { storeId: org.storeA, amountFen: 6000 })
    expect(res.usable.map((u: any) => [u.coupon.id, u.discountFen, u.payableFen])).toEqual([
      [rate, 1200, 4800],
      [cash, 500, 5500],
    ])
    expect(res.unusable.map((u: any) => [u.coupon.id, u.code]).sort()).toEqual([[big, 'COUPON_THRESHOLD'], [otherStore, 'COUPON_WRONG_STORE']].sort())
    // The cap: 8折 of ¥100 is ¥20 off, capped at ¥15.
    const capped = await memberOk(c, who, 'usableCoupons', { storeId: org.storeA, amountFen: 10000 })
    expect(capped.usable.map((u: any) => [u.coupon.id, u.discountFen])).toEqual([[big, 3000], [rate, 1500], [cash, 500]])
  })

  it('createOrder prices the coupon on the server, the callback is checked against the discounted amount, and capture uses the coupon', async () => {
    const id = await claimOne(PAYER, { title: '满50减10', value: { type: 'threshold', valueFen: 1000, thresholdFen: 5000 } })
    const placed = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 8800, couponId: id })
    expect(placed).toMatchObject({ amountFen: 7800, originalAmountFen: 8800, discountFen: 1000, couponId: id })
    expect(await couponDoc(c, id)).toMatchObject({ status: 'locked', lockOrder: placed.outTradeNo })
    expect(await order(placed.outTradeNo)).toMatchObject({ amountFen: 7800, originalAmountFen: 8800, discountFen: 1000, couponId: id, status: 'created' })
    // While locked it cannot pay another order.
    expect(await member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 8800, couponId: id })).toMatchObject({ ok: false, code: 'COUPON_LOCKED' })
    const results = await c.pay(placed.outTradeNo, { times: 3, concurrent: true })
    expect(results.length).toBe(3)
    expect(await order(placed.outTradeNo)).toMatchObject({ status: 'paid', pointsEarned: 78 })
    expect(await couponDoc(c, id)).toMatchObject({ status: 'used', usedOrder: placed.outTradeNo, usedStoreId: org.storeA, lockOrder: null })
    const used = await memberOk(c, PAYER, 'myCoupons', { tab: 'used' })
    expect(used.coupons.map((x: any) => x.id)).toContain(id)
    expect(await member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 8800, couponId: id })).toMatchObject({ ok: false, code: 'ALREADY_USED' })
  })

  it('a callback for the undiscounted amount is rejected: the order stays unpaid and the coupon stays locked to it', async () => {
    const id = await claimOne(PAYER, { title: '金额校验', value: { type: 'cash', valueFen: 800 } })
    const placed = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 5000, couponId: id })
    const event = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: placed.outTradeNo, totalFee: 5000, transactionId: 'forged-full-amount' }
    const res = await c.lc.invoke('member', event, { openid: PAYER, source: 'wx_paycallback' })
    expect(res).toMatchObject({ errcode: 0, errmsg: expect.stringMatching(/rejected/) })
    expect(await order(placed.outTradeNo)).toMatchObject({ status: 'created', amountFen: 4200 })
    expect(await couponDoc(c, id)).toMatchObject({ status: 'locked', lockOrder: placed.outTradeNo })
    await c.pay(placed.outTradeNo)
    expect(await order(placed.outTradeNo)).toMatchObject({ status: 'paid', amountFen: 4200 })
    expect(await couponDoc(c, id)).toMatchObject({ status: 'used' })
  })

  it('two orders racing for one coupon: one gets it, the other is told it is locked', async () => {
    const id = await claimOne(PAYER, { title: '抢一张' })
    const results = await Promise.all(Array.from({ length: 2 }, () => member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId: id })))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, code: 'COUPON_LOCKED' })
    const winner = results.find((r) => r.ok) as { ok: true; data: any }
    expect(await couponDoc(c, id)).toMatchObject({ status: 'locked', lockOrder: winner.data.outTradeNo })
    const withCoupon = await all(c.db, COLLECTIONS.orders, { couponId: id })
    expect(withCoupon.map((o) => o._id)).toEqual([winner.data.outTradeNo])
  })

  it('ten concurrent orders with one coupon: exactly one holds it', async () => {
    const id = await claimOne(PAYER, { title: '十抢一' })
    const results = await Promise.all(Array.from({ length: 10 }, () => member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId: id })))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(new Set(results.filter((r) => !r.ok).map((r) => (r as { code: string }).code))).toEqual(new Set(['COUPON_LOCKED']))
    expect(await all(c.db, COLLECTIONS.orders, { couponId: id })).toHaveLength(1)
  })

  it('an unpaid order’s coupon is usable again once the lock lapses, and the closing path releases it at once', async () => {
    const id = await claimOne(PAYER, { title: '超时释放' })
    const first = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId: id })
    // The order was not paid in time (the clock moved on past the lock).
    await setFields(c, COLLECTIONS.coupons, id, { lockExpiresAt: new Date(Date.now() - 1000) })
    const usable = await memberOk(c, PAYER, 'usableCoupons', { storeId: org.storeA, amountFen: 3000 })
    expect(usable.usable.map((u: any) => u.coupon.id)).toContain(id)
    const second = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId: id })
    expect(await couponDoc(c, id)).toMatchObject({ status: 'locked', lockOrder: second.outTradeNo })
    // The first order is paid late: the coupon is now another order's, so it is not taken from it.
    await c.pay(first.outTradeNo)
    expect(await couponDoc(c, id)).toMatchObject({ status: 'locked', lockOrder: second.outTradeNo })
    // releaseOrderCoupon (the order-closing path) frees it in the closing transaction; the other order's release does nothing.
    const released = await runTransaction(c.db, (t) => releaseOrderCoupon(t, { _id: first.outTradeNo, couponId: id }))
    expect(released).toBe(false)
    expect(await runTransaction(c.db, (t) => releaseOrderCoupon(t, { _id: second.outTradeNo, couponId: id }))).toBe(true)
    expect(await couponDoc(c, id)).toMatchObject({ status: 'available', lockOrder: null })
    expect(await all(c.db, COLLECTIONS.couponEvents, { couponId: id })).toEqual([expect.objectContaining({ kind: 'released', ref: second.outTradeNo })])
  })

  it('refuses a cash coupon worth the whole order or more, a coupon of another store, someone else’s coupon — changing nothing', async () => {
    const big = await claimOne(PAYER, { title: '50元券', value: { type: 'cash', valueFen: 5000 } })
    const jingan = await claimOne(PAYER, { title: '静安券', usableStoreIds: [org.storeB] })
    const gift = await claimOne(PAYER, { title: '兑换', value: { type: 'gift', giftName: '蛋糕' } })
    const snap = await snapshot(c.db)
    expect(await member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 5000, couponId: big })).toMatchObject({ ok: false, code: 'COUPON_EXCEEDS_ORDER' })
    expect(await member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId: big })).toMatchObject({ ok: false, code: 'COUPON_EXCEEDS_ORDER' })
    expect(await member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 9000, couponId: jingan })).toMatchObject({ ok: false, code: 'COUPON_WRONG_STORE' })
    expect(await member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 9000, couponId: gift })).toMatchObject({ ok: false, code: 'COUPON_NOT_MONEY' })
    expect(await member(c, 'o-thief', 'createOrder', { storeId: org.storeA, amountFen: 9000, couponId: big })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 9000, couponId: 'cp-nope' })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: -100, couponId: big })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await member(c, PAYER, 'usableCoupons', { storeId: org.storeA, amountFen: 0 })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await snapshot(c.db)).toBe(snap)
  })

  it('an expired coupon is expired on read (no timer) and refused', async () => {
    const id = await claimOne(PAYER, { title: '过期券' })
    await setFields(c, COLLECTIONS.coupons, id, { validUntil: new Date(Date.now() - 60_000) })
    expect(await member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId: id })).toMatchObject({ ok: false, code: 'EXPIRED' })
    const expired = await memberOk(c, PAYER, 'myCoupons', { tab: 'expired' })
    expect(expired.coupons.map((x: any) => [x.id, x.state])).toContainEqual([id, 'expired'])
  })

  it('a refund returns the coupon if still valid (recorded), and says so when it has expired', async () => {
    const id = await claimOne(PAYER, { title: '退款返券' })
    const placed = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 4000, couponId: id })
    await c.pay(placed.outTradeNo)
    const refunded = await c.ok(org.manager, 'orders.refund', { outTradeNo: placed.outTradeNo })
    expect(refunded).toMatchObject({ status: 'refunded', couponReturn: 'returned' })
    expect(await couponDoc(c, id)).toMatchObject({ status: 'available', usedOrder: null })
    expect(await all(c.db, COLLECTIONS.couponEvents, { couponId: id })).toEqual([expect.objectContaining({ kind: 'refundReturned', ref: placed.outTradeNo })])
    // Refunding again changes nothing and still says what happened.
    expect(await c.ok(org.manager, 'orders.refund', { outTradeNo: placed.outTradeNo })).toMatchObject({ alreadyRefunded: true, couponReturn: 'returned' })

    const late = await claimOne(PAYER, { title: '退款时已过期' })
    const second = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 4000, couponId: late })
    await c.pay(second.outTradeNo)
    await setFields(c, COLLECTIONS.coupons, late, { validUntil: new Date(Date.now() - 60_000) })
    expect(await c.ok(org.owner, 'orders.refund', { outTradeNo: second.outTradeNo })).toMatchObject({ couponReturn: 'expired' })
    expect(await couponDoc(c, late)).toMatchObject({ status: 'used' })
  })

  it('the cashier applies a member’s coupon: lookup by member code with the amount, capture with the coupon, a replay records once', async () => {
    const id = await claimOne(PAYER, { title: '收银用券', value: { type: 'threshold', valueFen: 1500, thresholdFen: 5000 } })
    const found = await c.ok(org.clerk, 'coupons.lookup', { storeId: org.storeA, code: memberCode(PAYER_NO), amountFen: 6000 })
    const row = found.coupons.find((x: any) => x.id === id)
    expect(row).toMatchObject({ discountFen: 1500, refusal: null })
    const rid = requestId()
    const input = { storeId: org.storeA, amountFen: 6000, memberCode: memberCode(PAYER_NO), clientRequestId: rid, couponId: id }
    const results = await Promise.all(Array.from({ length: 5 }, () => c.admin(org.clerk, 'cashier.capture', input)))
    for (const r of results) expect(r).toMatchObject({ ok: true, data: { discountFen: 1500, paidFen: 4500 } })
    const orders = await all(c.db, COLLECTIONS.orders, { couponId: id })
    expect(orders).toEqual([expect.objectContaining({ amountFen: 4500, originalAmountFen: 6000, discountFen: 1500, status: 'paid', channel: 'cashier' })])
    expect(await couponDoc(c, id)).toMatchObject({ status: 'used', usedOrder: orders[0]._id })
    // Another submit with the used coupon is refused with the reason.
    expect(await c.admin(org.clerk, 'cashier.capture', { ...input, clientRequestId: requestId() })).toMatchObject({ ok: false, code: 'ALREADY_USED' })
  })
})
