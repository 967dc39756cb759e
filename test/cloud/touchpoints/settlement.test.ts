/**
 * 门店佣金 through real invocations: HQ's rules, a settlement of a past period (statements per
 * store and per badge clerk whose totals are the sums of their lines), HQ's confirmation freezing
 * it, a refund after the confirmation appearing as an adjustment of the next period, the CSV, a
 * manager reading only their store, and refusals that change nothing.
 *
 * Orders are paid for real today; the test then moves their facts back to a past day (a
 * settlement covers whole days before today, and the local cloud has no clock to move).
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { all, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'

let c: AdminCloud
let org: Org
const PAST = '20261101'
const PAST_DATE = '2026-11-01'
const NEXT_DATE = '2026-11-02'

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

async function payAt(openid: string, amountFen: number, storeId: string): Promise<string> {
  const res = await c.invoke('member', 'createOrder', { storeId, amountFen }, openid)
  if (!res.ok) throw new Error(`createOrder: ${res.code} ${res.message}`)
  await c.pay(res.data.outTradeNo)
  return res.data.outTradeNo
}

/** The fact of an order paid on `day` (test setup: the period lies in the past). */
async function moveToDay(outTradeNo: string, day: string): Promise<void> {
  const paidAt = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)), 4))
  await c.db.collection(COLLECTIONS.orderFacts).doc(outTradeNo).update({ data: { paidDay: day, paidAt } })
}

describe('commission settlement', () => {
  const orders: string[] = []

  it('settles a period into statements whose totals are the sums of their lines', async () => {
    await c.ok(org.owner, 'commission.setRules', { storeBp: 500, couponFeeFen: 0, clerkBp: 200, includeBroughtIn: false, attributionDays: 30 })
    const badge = (await c.ok(org.manager, 'touchpoints.create', { storeId: org.storeA, name: '小赵工牌', kind: 'badge', costFen: 0, target: { kind: 'pay' }, clerkOpenid: org.clerk })).touchpoint
    await c.invoke('member', 'touchpointOpen', { shortId: badge.shortId }, 'o-st-1')
    orders.push(await payAt('o-st-1', 10_001, org.storeA))
    orders.push(await payAt('o-st-2', 3_333, org.storeA))
    orders.push(await payAt('o-st-3', 20_000, org.storeB))
    for (const o of orders) await moveToDay(o, PAST)

    const made = await c.ok(org.hq, 'settlements.create', { fromDate: PAST_DATE, toDate: PAST_DATE })
    expect(made.settlement).toMatchObject({ status: 'draft', totalFen: 500 + 167 + 1000 + 200 })
    const statementA = await c.ok(org.hq, 'settlements.statement', { settlementId: made.settlement.id, storeId: org.storeA })
    expect(statementA.statement.lines).toEqual([{ kind: 'storeSale', kindName: '门店销售提成', date: PAST_DATE, basis: 13_334, count: 2, rate: 500, amountFen: 667 }])
    const clerk = await c.ok(org.hq, 'settlements.statement', { settlementId: made.settlement.id, storeId: org.storeA, key: `clerk:${org.clerk}` })
    expect(clerk.statement).toMatchObject({ kind: 'clerk', name: '店员小赵', totalFen: 200 })
    for (const st of made.settlement.statements) {
      const full = await c.ok(org.owner, 'settlements.statement', { settlementId: made.settlement.id, storeId: st.storeId, key: st.key })
      expect(full.statement.totalFen).toBe(full.statement.lines.reduce((s: number, l: { amountFen: number }) => s + l.amountFen, 0))
    }
    expect(statementA.csv.split('\r\n')).toEqual(['类型,日期,计算基数,笔数,比例/单价,金额（元）,订单', '门店销售提成,2026-11-01,133.34,2,5%,6.67,', '合计,,,,,6.67,'])
  })

  it('a manager reads only their store; refusals are specific and change nothing', async () => {
    const [s] = (await c.ok(org.owner, 'settlements.list', {})).settlements
    const mine = (await c.ok(org.manager, 'settlements.list', {})).settlements[0]
    expect(mine.statements.every((st: { storeId: string }) => st.storeId === org.storeA)).toBe(true)
    expect(mine.totalFen).toBe(667 + 200)
    expect(await c.ok(org.manager, 'settlements.statement', { settlementId: s.id, storeId: org.storeA })).toMatchObject({ statement: { totalFen: 667 } })
    const before = await snapshot(c.db)
    const cases: Array<[string, string, unknown, string]> = [
      [org.manager, 'settlements.statement', { settlementId: s.id, storeId: org.storeB }, 'FORBIDDEN'],
      [org.manager, 'settlements.create', { fromDate: '2026-10-01', toDate: '2026-10-31' }, 'FORBIDDEN'],
      [org.manager, 'settlements.confirm', { settlementId: s.id }, 'FORBIDDEN'],
      [org.manager, 'commission.setRules', { storeBp: 1, couponFeeFen: 0, clerkBp: 0, includeBroughtIn: false, attributionDays: 30 }, 'FORBIDDEN'],
      [org.hq, 'settlements.create', { fromDate: PAST_DATE, toDate: PAST_DATE }, 'CONFLICT'],
      [org.hq, 'settlements.create', { fromDate: '2026-10-25', toDate: PAST_DATE }, 'CONFLICT'],
      [org.hq, 'settlements.create', { fromDate: '2026-10-31', toDate: '2026-10-01' }, 'INVALID_INPUT'],
      [org.hq, 'settlements.create', { fromDate: '2026-01-01', toDate: '2026-10-01' }, 'INVALID_INPUT'],
      [org.hq, 'settlements.create', { fromDate: '2999-01-01', toDate: '2999-01-02' }, 'INVALID_INPUT'],
      [org.hq, 'settlements.create', { fromDate: '2026/10/01', toDate: '2026-10-02' }, 'INVALID_INPUT'],
      [org.hq, 'settlements.confirm', { settlementId: 'st0000000000000000' }, 'NOT_FOUND'],
      [org.hq, 'settlements.statement', { settlementId: s.id, storeId: 'no-such-store' }, 'NOT_FOUND'],
      [org.hq, 'commission.setRules', { storeBp: -1, couponFeeFen: 0, clerkBp: 0, includeBroughtIn: false, attributionDays: 30 }, 'INVALID_INPUT'],
      [org.hq, 'commission.setRules', { storeBp: 5001, couponFeeFen: 0, clerkBp: 0, includeBroughtIn: false, attributionDays: 30 }, 'INVALID_INPUT'],
      [org.hq, 'commission.setRules', { storeBp: 1.5, couponFeeFen: 0, clerkBp: 0, includeBroughtIn: false, attributionDays: 30 }, 'INVALID_INPUT'],
      [org.hq, 'commission.setRules', { storeBp: 1, couponFeeFen: 0, clerkBp: 0, includeBroughtIn: false, attributionDays: 400 }, 'INVALID_INPUT'],
    ]
    for (const [who, action, input, code] of cases) {
      const res = await c.admin(who, action, input)
      expect([action, JSON.stringify(input), res.ok ? 'ok' : res.code]).toEqual([action, JSON.stringify(input), code])
    }
    expect(await snapshot(c.db)).toBe(before)
  })

  it('confirmation freezes the statements; a later refund becomes an adjustment of the next period, once', async () => {
    const [s] = (await c.ok(org.owner, 'settlements.list', {})).settlements
    // Concurrent confirmations: one wins, the other is told it is already confirmed.
    const both = await Promise.all([0, 1].map(() => c.admin(org.hq, 'settlements.confirm', { settlementId: s.id })))
    expect(both.filter((r) => r.ok)).toHaveLength(1)
    expect(both.find((r) => !r.ok)).toMatchObject({ code: 'INVALID_TRANSITION' })
    const confirmed = (await c.ok(org.owner, 'settlements.list', {})).settlements[0]
    expect(confirmed).toMatchObject({ status: 'confirmed', totalFen: 1867 })

    // The badge order (10,001 fen at store A) is refunded after the confirmation, on the next day.
    await c.ok(org.manager, 'orders.refund', { outTradeNo: orders[0] })
    await c.db.collection(COLLECTIONS.orderFacts).doc(orders[0]).update({ data: { refundDay: '20261102' } })
    const frozen = await c.ok(org.owner, 'settlements.statement', { settlementId: s.id, storeId: org.storeA })
    expect(frozen.statement.totalFen).toBe(667)

    const next = await c.ok(org.hq, 'settlements.create', { fromDate: NEXT_DATE, toDate: NEXT_DATE })
    const a = await c.ok(org.owner, 'settlements.statement', { settlementId: next.settlement.id, storeId: org.storeA })
    expect(a.statement.lines).toEqual([{ kind: 'adjustment', kindName: '上期退款调整', date: NEXT_DATE, basis: -10_001, count: 1, rate: 500, amountFen: -500, ref: orders[0] }])
    const k = await c.ok(org.owner, 'settlements.statement', { settlementId: next.settlement.id, storeId: org.storeA, key: `clerk:${org.clerk}` })
    expect(k.statement.totalFen).toBe(-200)
    expect(next.settlement.totalFen).toBe(-700)
    // Two audit lines for the settlements and their confirmation.
    const lines = await all(c.db, COLLECTIONS.audit, { target: `settlement:${s.id}` })
    expect(lines.map((l) => l.action).sort()).toEqual(['settlements.confirm', 'settlements.create'])
  })
})
