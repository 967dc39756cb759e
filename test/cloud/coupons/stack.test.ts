/**
 * Stacking several coupons on one order (coupon-gaps), through the local cloud with identities:
 * pricing order, stackable-only, lock / use / release / return of each, two orders racing for a
 * shared coupon, an old single-coupon order still handled, the coupon lock outlasting the
 * payable window, a failed refund taking returned coupons again, and a cashier sale that needs
 * approval carrying its coupons.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { CLOSE_MIN_AGE_MS } from '../../../local-cloud/src/pay'
import { post } from '../local-cloud/helpers'
import { all, insertMember, memberCode, seedCodeSecret, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'
import { activeTemplate, couponDoc, member, memberOk, requestId, setFields } from './helpers'

const MIN = 60_000
let c: AdminCloud
let org: Org
const PAYER = 'o-stacker'
const PAYER_NO = '50000101'

beforeAll(async () => {
  // WeChat's 5-minute rule for closeOrder and no callback redelivery, as in the reconciliation tests.
  c = await startAdminCloud({ payRetryDelaysMs: [], payCloseMinAgeMs: CLOSE_MIN_AGE_MS })
  org = await seedOrg(c)
  await seedCodeSecret(c.db)
  await insertMember(c.db, PAYER, PAYER_NO, { firstStoreId: org.storeA })
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

const FIVE = { title: '5元券', value: { type: 'cash', valueFen: 500 }, stackable: true }
const OFF20 = { title: '满100减20', value: { type: 'threshold', valueFen: 2000, thresholdFen: 10000 }, stackable: true }
const RATE80 = { title: '8折券', value: { type: 'discount', ratePercent: 80, capFen: 3000, thresholdFen: 0 }, stackable: true }

async function claim(openid: string, terms: Record<string, unknown>): Promise<string> {
  const t = await activeTemplate(c, org, terms)
  return (await memberOk(c, openid, 'claimCoupon', { templateId: t.id })).coupon.id
}
const order = async (id: string): Promise<any> => (await c.db.collection(COLLECTIONS.orders).doc(id).get()).data
const events = (couponId: string, kind: string) => all(c.db, COLLECTIONS.couponEvents, { couponId, kind })
const runJob = (): Promise<any> => c.lc.runTimer('member', 'reconcilePayments')
/** The order was placed `ms` ago (here and at the WeChat Pay simulator). */
async function olderBy(no: string, ms: number): Promise<void> {
  const o = await order(no)
  await setFields(c, COLLECTIONS.orders, no, { createdAt: new Date(new Date(o.createdAt).getTime() - ms) })
  const moved = await post(`${c.lc.url}/pay/clock`, { advanceMs: ms })
  if (moved.status !== 200) throw new Error(JSON.stringify(moved.body))
}

describe('pricing a stack', () => {
  it('fixed amounts first, then 折扣 on what is left; thresholds judged on the bill before any coupon; the pay page gets the same figures', async () => {
    const who = 'o-stack-price'
    const five = await claim(who, FIVE)
    const off20 = await claim(who, OFF20)
    const rate = await claim(who, RATE80)
    // ¥100: 满100减20 and 5元 both apply (the threshold sees ¥100, not ¥95), then 8折 of ¥75 = ¥15 off.
    const res = await memberOk(c, who, 'usableCoupons', { storeId: org.storeA, amountFen: 10000, couponIds: [rate, five, off20] })
    expect(res.selection).toEqual({
      ok: true,
      couponIds: [rate, five, off20],
      lines: [
        { couponId: rate, discountFen: 1500 },
        { couponId: five, discountFen: 500 },
        { couponId: off20, discountFen: 2000 },
      ],
      discountFen: 4000,
      payableFen: 6000,
    })
    // The order the member picks them in does not change the saving.
    const other = await memberOk(c, who, 'usableCoupons', { storeId: org.storeA, amountFen: 10000, couponIds: [five, off20, rate] })
    expect(other.selection).toMatchObject({ discountFen: 4000, payableFen: 6000 })
    // createOrder charges what the page showed.
    const placed = await memberOk(c, who, 'createOrder', { storeId: org.storeA, amountFen: 10000, couponIds: [five, off20, rate] })
    expect(placed).toMatchObject({ amountFen: 6000, originalAmountFen: 10000, discountFen: 4000, couponId: five, couponIds: [five, off20, rate] })
    expect(await order(placed.outTradeNo)).toMatchObject({ couponId: five, couponIds: [five, off20, rate], amountFen: 6000, couponLines: expect.arrayContaining([{ couponId: rate, discountFen: 1500 }]) })
  })

  it('refuses a non-stackable coupon with another, duplicates, too many, both input forms, an exceeding stack — changing nothing; a non-stackable coupon alone is fine', async () => {
    const who = 'o-stack-refuse'
    const lone = await claim(who, { title: '不可叠加', value: { type: 'cash', valueFen: 300 }, stackable: false })
    const five = await claim(who, FIVE)
    const big = await claim(who, { title: '40元券', value: { type: 'cash', valueFen: 4000 }, stackable: true })
    const gift = await claim(who, { title: '兑换', value: { type: 'gift', giftName: '蛋糕' }, stackable: true })
    const snap = await snapshot(c.db)
    const create = (input: Record<string, unknown>) => member(c, who, 'createOrder', { storeId: org.storeA, amountFen: 5000, ...input })
    expect(await create({ couponIds: [five, lone] })).toMatchObject({ ok: false, code: 'COUPON_NOT_STACKABLE', message: expect.stringContaining('不可叠加') })
    expect(await create({ couponIds: [five, five] })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await create({ couponIds: [five, lone, big, gift, 'cpa', 'cpb'] })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await create({ couponId: five, couponIds: [big] })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await create({ couponIds: [] })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await create({ couponIds: [five, gift] })).toMatchObject({ ok: false, code: 'COUPON_NOT_MONEY' })
    // ¥40 + ¥5 on ¥45 leaves nothing to pay.
    expect(await member(c, who, 'createOrder', { storeId: org.storeA, amountFen: 4500, couponIds: [big, five] })).toMatchObject({ ok: false, code: 'COUPON_EXCEEDS_ORDER' })
    expect(await member(c, 'o-thief', 'createOrder', { storeId: org.storeA, amountFen: 5000, couponIds: [five, big] })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    const sel = await memberOk(c, who, 'usableCoupons', { storeId: org.storeA, amountFen: 5000, couponIds: [five, lone] })
    expect(sel.selection).toMatchObject({ ok: false, code: 'COUPON_NOT_STACKABLE' })
    expect(await snapshot(c.db)).toBe(snap)
    const alone = await memberOk(c, who, 'createOrder', { storeId: org.storeA, amountFen: 5000, couponIds: [lone] })
    expect(alone).toMatchObject({ amountFen: 4700, couponIds: [lone] })
  })
})

describe('each coupon of a stack', () => {
  it('is locked to the order, used at capture, returned on refund (one event each)', async () => {
    const five = await claim(PAYER, FIVE)
    const rate = await claim(PAYER, RATE80)
    const placed = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 8000, couponIds: [five, rate] })
    // ¥80 − ¥5 = ¥75, 8折 of it: ¥15 off → ¥60.
    expect(placed).toMatchObject({ amountFen: 6000, discountFen: 2000 })
    for (const id of [five, rate]) expect(await couponDoc(c, id)).toMatchObject({ status: 'locked', lockOrder: placed.outTradeNo })
    await c.pay(placed.outTradeNo, { times: 3, concurrent: true })
    expect(await order(placed.outTradeNo)).toMatchObject({ status: 'paid', amountFen: 6000 })
    for (const id of [five, rate]) expect(await couponDoc(c, id)).toMatchObject({ status: 'used', usedOrder: placed.outTradeNo, lockOrder: null })
    const refunded = await c.ok(org.manager, 'orders.refund', { outTradeNo: placed.outTradeNo })
    expect(refunded).toMatchObject({ status: 'refunded', couponReturn: 'returned' })
    for (const id of [five, rate]) {
      expect(await couponDoc(c, id)).toMatchObject({ status: 'available', usedOrder: null })
      expect(await events(id, 'refundReturned')).toHaveLength(1)
    }
  })

  it('is released when the unpaid order is closed by the job, once', async () => {
    const five = await claim(PAYER, FIVE)
    const off20 = await claim(PAYER, OFF20)
    const placed = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 12000, couponIds: [five, off20] })
    await olderBy(placed.outTradeNo, 31 * MIN)
    await runJob()
    await runJob()
    expect(await order(placed.outTradeNo)).toMatchObject({ status: 'closed' })
    for (const id of [five, off20]) {
      expect(await couponDoc(c, id)).toMatchObject({ status: 'available', lockOrder: null })
      expect(await events(id, 'released')).toEqual([expect.objectContaining({ ref: placed.outTradeNo })])
    }
  })

  it('two orders racing for a shared coupon: one gets it, and the loser holds none of its coupons (ten rounds)', async () => {
    for (let round = 0; round < 10; round++) {
      const shared = await claim(PAYER, { ...FIVE, title: `共享${round}` })
      const mine = await Promise.all([claim(PAYER, RATE80), claim(PAYER, RATE80)])
      const results = await Promise.all(mine.map((own) => member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 5000, couponIds: [shared, own] })))
      const won = results.filter((r) => r.ok) as { ok: true; data: any }[]
      expect(won).toHaveLength(1)
      expect(results.find((r) => !r.ok)).toMatchObject({ code: 'COUPON_LOCKED' })
      expect(await couponDoc(c, shared)).toMatchObject({ status: 'locked', lockOrder: won[0].data.outTradeNo })
      const loserOwn = mine.find((id) => !won[0].data.couponIds.includes(id)) as string
      expect(await couponDoc(c, loserOwn)).toMatchObject({ status: 'available', lockOrder: null })
      expect(await all(c.db, COLLECTIONS.orders, { couponId: shared })).toHaveLength(1)
    }
  })

  it('an order stored before stacking (couponId only) is still paid, refunded and closed by its coupon', async () => {
    const _ = c.db.command
    const old = await claim(PAYER, FIVE)
    const placed = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId: old })
    await c.db.collection(COLLECTIONS.orders).doc(placed.outTradeNo).update({ data: { couponIds: _.remove(), couponLines: _.remove() } })
    expect((await order(placed.outTradeNo)).couponIds).toBeUndefined()
    await c.pay(placed.outTradeNo)
    expect(await couponDoc(c, old)).toMatchObject({ status: 'used', usedOrder: placed.outTradeNo })
    expect(await c.ok(org.manager, 'orders.refund', { outTradeNo: placed.outTradeNo })).toMatchObject({ couponReturn: 'returned' })
    expect(await couponDoc(c, old)).toMatchObject({ status: 'available' })

    const unpaid = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId: old })
    await c.db.collection(COLLECTIONS.orders).doc(unpaid.outTradeNo).update({ data: { couponIds: _.remove() } })
    await olderBy(unpaid.outTradeNo, 31 * MIN)
    await runJob()
    expect(await couponDoc(c, old)).toMatchObject({ status: 'available', lockOrder: null })
  })
})

describe('the coupon lock and the payable window', () => {
  it('an order still payable at 20 minutes keeps its coupon (the old 15-minute lock freed it); the job closes it at 30 and frees it', async () => {
    const id = await claim(PAYER, FIVE)
    const placed = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId: id })
    const locked = await couponDoc(c, id)
    // 20 minutes on: the order's lock moves back with the clock.
    await olderBy(placed.outTradeNo, 20 * MIN)
    await setFields(c, COLLECTIONS.coupons, id, { lockExpiresAt: new Date(new Date(locked.lockExpiresAt).getTime() - 20 * MIN) })
    expect(await member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId: id })).toMatchObject({ ok: false, code: 'COUPON_LOCKED' })
    expect(await runJob()).toMatchObject({ closed: 0 })
    // Paid at minute 20: the coupon is used by it.
    await c.pay(placed.outTradeNo)
    expect(await couponDoc(c, id)).toMatchObject({ status: 'used', usedOrder: placed.outTradeNo })

    const next = await claim(PAYER, FIVE)
    const unpaid = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId: next })
    const lock = await couponDoc(c, next)
    await olderBy(unpaid.outTradeNo, 31 * MIN)
    await setFields(c, COLLECTIONS.coupons, next, { lockExpiresAt: new Date(new Date(lock.lockExpiresAt).getTime() - 31 * MIN) })
    // Still locked by the clock (40 minutes), but the job closes the order and frees it.
    expect(await runJob()).toMatchObject({ closed: 1 })
    expect(await couponDoc(c, next)).toMatchObject({ status: 'available', lockOrder: null })
  })
})

describe('a refund that later fails', () => {
  it('takes the coupons it returned again, or records why not (one was locked to a new order meanwhile)', async () => {
    const five = await claim(PAYER, FIVE)
    const rate = await claim(PAYER, RATE80)
    const placed = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 8000, couponIds: [five, rate] })
    await c.pay(placed.outTradeNo)
    const paid = await couponDoc(c, five)
    await c.ok(org.manager, 'orders.refund', { outTradeNo: placed.outTradeNo })
    expect(await couponDoc(c, five)).toMatchObject({ status: 'available' })
    // The member puts one returned coupon on a new order before the refund is reported failed.
    const meanwhile = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 4000, couponId: rate })
    const no = placed.outTradeNo
    const failed = { returnCode: 'SUCCESS', reqInfo: { outTradeNo: no, outRefundNo: `R${no}`, refundId: 'rf-x', totalFee: 6000, refundFee: 6000, refundStatus: 'CHANGE' } }
    const replies = await Promise.all([1, 2, 3].map(() => c.lc.invoke('member', failed, { openid: '', source: 'wx_paycallback' })))
    expect(replies.every((r: any) => r.errcode === 0)).toBe(true)
    const after = await order(no)
    expect(after).toMatchObject({ status: 'paid', refund: { state: 'failed' } })
    expect(after.couponRetake).toEqual([
      { couponId: five, result: 'retaken' },
      { couponId: rate, result: 'notRetaken', reason: expect.stringContaining('支付中') },
    ])
    expect(await couponDoc(c, five)).toMatchObject({ status: 'used', usedOrder: no, usedStoreId: org.storeA, usedAt: paid.usedAt })
    expect(await couponDoc(c, rate)).toMatchObject({ status: 'locked', lockOrder: meanwhile.outTradeNo })
    expect(await events(five, 'refundFailedRetaken')).toHaveLength(1)
  })
})

describe('a cashier sale that needs approval carries its coupons', () => {
  const BIG_BILL = 60_000 // above the default ¥500 approval line even after the coupons

  it('locked at the request (five concurrent submits, one approval), used at approval', async () => {
    const five = await claim(PAYER, FIVE)
    const rate = await claim(PAYER, { ...RATE80, value: { type: 'discount', ratePercent: 90, capFen: 1000, thresholdFen: 0 } })
    const input = { storeId: org.storeA, amountFen: BIG_BILL, memberCode: memberCode(PAYER_NO), clientRequestId: requestId(), couponIds: [five, rate] }
    const results = await Promise.all(Array.from({ length: 5 }, () => c.admin(org.clerk, 'cashier.capture', input)))
    for (const r of results) expect(r).toMatchObject({ ok: true, data: { pendingApproval: { status: 'pending', discountFen: 1500, paidFen: 58_500, couponCount: 2 } } })
    const approvals = await all(c.db, COLLECTIONS.cashierApprovals, { memberNo: PAYER_NO, status: 'pending' })
    expect(approvals).toHaveLength(1)
    const outTradeNo = (await couponDoc(c, five)).lockOrder
    expect(outTradeNo).toMatch(/^C/)
    expect(await couponDoc(c, rate)).toMatchObject({ status: 'locked', lockOrder: outTradeNo })
    // Meanwhile the member cannot spend them elsewhere.
    expect(await member(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId: five })).toMatchObject({ ok: false, code: 'COUPON_LOCKED' })
    const decided = await c.ok(org.manager, 'cashier.decide', { approvalId: approvals[0]._id, approve: true })
    expect(decided.approval).toMatchObject({ status: 'approved', outTradeNo })
    expect(await order(outTradeNo)).toMatchObject({ status: 'paid', amountFen: 58_500, originalAmountFen: BIG_BILL, discountFen: 1500, couponIds: [five, rate] })
    for (const id of [five, rate]) expect(await couponDoc(c, id)).toMatchObject({ status: 'used', usedOrder: outTradeNo })
  })

  it('released at refusal, with its audit line; the coupons then pay another order', async () => {
    const five = await claim(PAYER, FIVE)
    const input = { storeId: org.storeA, amountFen: BIG_BILL, memberCode: memberCode(PAYER_NO), clientRequestId: requestId(), couponIds: [five] }
    const asked = await c.ok(org.clerk, 'cashier.capture', input)
    expect(await couponDoc(c, five)).toMatchObject({ status: 'locked' })
    const audits = (await all(c.db, COLLECTIONS.audit, { action: 'cashier.decide' })).length
    await c.ok(org.manager, 'cashier.decide', { approvalId: asked.pendingApproval.id, approve: false })
    expect(await couponDoc(c, five)).toMatchObject({ status: 'available', lockOrder: null })
    expect(await all(c.db, COLLECTIONS.audit, { action: 'cashier.decide' })).toHaveLength(audits + 1)
    expect(await c.admin(org.manager, 'cashier.decide', { approvalId: asked.pendingApproval.id, approve: true })).toMatchObject({ ok: false, code: 'APPROVAL_DECIDED' })
    const placed = await memberOk(c, PAYER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId: five })
    expect(placed).toMatchObject({ amountFen: 2500 })
  })
})
