/**
 * The simulated WeChat Pay keeps delivering a payment or refund callback until the function
 * answers `{ errcode: 0 }` exactly: a throw, a timeout, no answer, `{ errCode: 0 }`,
 * `{ errcode: 1 }` or `{ errcode: '0' }` is undelivered. Redeliveries follow the configured
 * schedule (all zeros here: instant) and every delivery with its reply is on the order.
 * The callback fixture `flakycb` answers its nth delivery as its order number scripts it
 * ("<id>_<one letter per delivery>", see the fixture).
 */
import { get, post, sdkFor, startTestCloud, type Sdk, type TestCloud } from './helpers'

const INSTANT = Array.from({ length: 15 }, () => 0)
const MCH = '1900000109'

let t: TestCloud
let sdk: Sdk
let seq = 0

beforeAll(async () => {
  t = await startTestCloud({ payRetryDelaysMs: INSTANT })
  sdk = sdkFor(t.cloud)
})
afterAll(() => t.stop())

/** Places an order whose callback is flakycb, scripted by `script` (one letter per delivery). */
async function flakyOrder(script: string, functionName = 'flakycb'): Promise<string> {
  const outTradeNo = `F${++seq}_${script}`
  const res = await sdk.cloudPay.unifiedOrder({
    body: '重投测试', outTradeNo, spbillCreateIp: '127.0.0.1', subMchId: MCH, totalFee: 300,
    envId: 'local', functionName, nonceStr: 'n0nce', tradeType: 'JSAPI',
  })
  expect(res).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS' })
  return outTradeNo
}

async function order(outTradeNo: string): Promise<any> {
  return (await get(`${t.cloud.url}/pay/orders/${outTradeNo}`)).body.order
}

/** Waits until `done(order)` holds (the schedule runs in the background). */
async function until(outTradeNo: string, done: (o: any) => boolean, ms = 45_000): Promise<any> {
  const end = Date.now() + ms
  for (;;) {
    const o = await order(outTradeNo)
    if (done(o)) return o
    if (Date.now() > end) throw new Error(`timed out; order is ${JSON.stringify(o)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function invocations(key: string): Promise<number> {
  return (await sdk.database().collection('pay_events').where({ kind: 'flaky', key }).count()).total
}

describe('payment callback redelivery', () => {
  it('delivers again after each wrong answer until { errcode: 0 }, then stops', async () => {
    const no = await flakyOrder('tcesn')
    const paid = await post(`${t.cloud.url}/pay/orders/${no}/pay`)
    expect(paid.status).toBe(200)
    // The route answers the first delivery: the throw.
    expect(paid.body.results).toEqual([{ ok: false, code: 'FUNCTION_ERROR', message: 'flaky callback failed' }])

    const o = await until(no, (x) => x.notify?.acknowledged === true)
    const d = o.notify.deliveries
    expect(d.map((x: any) => x.trigger)).toEqual(['first', 'retry', 'retry', 'retry', 'retry', 'retry'])
    expect(d.map((x: any) => x.acknowledged)).toEqual([false, false, false, false, false, true])
    expect(d[0].error).toEqual({ code: 'FUNCTION_ERROR', message: 'flaky callback failed' })
    expect(d[1].reply).toEqual({ errCode: 0, errmsg: 'wrong case' })
    expect(d[2].reply).toEqual({ errcode: 1, errmsg: 'try later' })
    expect(d[3].reply).toEqual({ errcode: '0', errmsg: 'a string' })
    expect(d[4].reply).toBeNull()
    expect(d[5].reply).toEqual({ errcode: 0, errmsg: 'ok' })
    expect(d.map((x: any) => x.n)).toEqual([1, 2, 3, 4, 5, 6])
    for (const x of d) expect(Date.parse(x.at)).not.toBeNaN()
    expect(o.notify).toMatchObject({ retries: 5 })
    expect(o.notify.nextRetryAt).toBeUndefined()

    // Acknowledged: nothing more arrives, though the schedule had 10 redeliveries left.
    await new Promise((r) => setTimeout(r, 500))
    expect(await invocations(no)).toBe(6)
    expect((await order(no)).notify.deliveries).toHaveLength(6)
  })

  it('counts a timeout as undelivered', async () => {
    const no = await flakyOrder('w')
    const paid = await post(`${t.cloud.url}/pay/orders/${no}/pay`)
    expect(paid.body.results).toEqual([expect.objectContaining({ ok: false, code: 'FUNCTION_TIMEOUT' })])
    const o = await until(no, (x) => x.notify?.acknowledged === true)
    expect(o.notify.deliveries.map((x: any) => [x.trigger, x.acknowledged])).toEqual([['first', false], ['retry', true]])
    expect(o.notify.deliveries[0].error.code).toBe('FUNCTION_TIMEOUT')
  })

  it('gives up after the whole schedule when nothing ever answers { errcode: 0 }', async () => {
    const no = await flakyOrder('e'.repeat(20))
    await post(`${t.cloud.url}/pay/orders/${no}/pay`)
    const o = await until(no, (x) => x.notify?.exhausted === true)
    // The first delivery and one per interval of the schedule.
    expect(o.notify.deliveries).toHaveLength(1 + INSTANT.length)
    expect(o.notify).toMatchObject({ acknowledged: false, retries: INSTANT.length })
    await new Promise((r) => setTimeout(r, 300))
    expect(await invocations(no)).toBe(16)
  })

  it('also redelivers what the HTTP route delivered and got wrong, and each replay is recorded', async () => {
    const no = await flakyOrder('eee')
    // Three deliveries asked for at once, all answered wrongly: the schedule still ends it.
    const paid = await post(`${t.cloud.url}/pay/orders/${no}/pay`, { times: 3 })
    expect(paid.body.results).toEqual([1, 2, 3].map(() => ({ errcode: 1, errmsg: 'try later' })))
    // The schedule ran alongside (instantly here), so the order of replays and retries varies;
    // what does not: every wrong answer counted, and the first { errcode: 0 } ended it.
    const o = await until(no, (x) => x.notify?.acknowledged === true)
    const d = o.notify.deliveries
    expect(d[0].trigger).toBe('first')
    expect(d.filter((x: any) => x.trigger === 'replay')).toHaveLength(2)
    expect(d.filter((x: any) => x.trigger === 'retry').length).toBeGreaterThanOrEqual(1)
    expect(d.length).toBeGreaterThanOrEqual(4)
    expect(d.findIndex((x: any) => x.acknowledged)).toBe(d.length - 1)
    expect(d.filter((x: any) => x.reply?.errcode === 1)).toHaveLength(3)
    await new Promise((r) => setTimeout(r, 300))
    expect(await invocations(no)).toBe(d.length)
    // Replays on demand after that are delivered and recorded, and change nothing else.
    const again = await post(`${t.cloud.url}/pay/orders/${no}/pay`, { times: 2, concurrent: true })
    expect(again.body.results).toEqual([{ errcode: 0, errmsg: 'ok' }, { errcode: 0, errmsg: 'ok' }])
    const after = await order(no)
    expect(after.notify.deliveries).toHaveLength(d.length + 2)
    expect(after.notify.deliveries.slice(-2).map((x: any) => x.trigger)).toEqual(['replay', 'replay'])
    expect(after.notify.retries).toBe(o.notify.retries)
  })
})

describe('refund callback redelivery', () => {
  it('delivers the refund result again until { errcode: 0 }', async () => {
    const no = await flakyOrder('')
    await post(`${t.cloud.url}/pay/orders/${no}/pay`)
    const outRefundNo = `R${++seq}_tck`
    const res = await sdk.cloudPay.refund({
      subMchId: MCH, outTradeNo: no, outRefundNo, totalFee: 300, refundFee: 100, nonceStr: 'n0nce', envId: 'local', functionName: 'flakycb',
    })
    expect(res).toMatchObject({ returnCode: 'SUCCESS', resultCode: 'SUCCESS' })
    const o = await until(no, (x) => x.refunds[0]?.notify?.acknowledged === true)
    const d = o.refunds[0].notify.deliveries
    expect(d.map((x: any) => [x.trigger, x.acknowledged])).toEqual([['first', false], ['retry', false], ['retry', true]])
    expect(d[1].reply).toEqual({ errCode: 0, errmsg: 'wrong case' })
    expect(await invocations(outRefundNo)).toBe(3)
    // The payment's own callback was answered at once and is untouched by the refund's.
    expect(o.notify.deliveries).toHaveLength(1)
  })
})

describe('schedule', () => {
  it('a replay answered { errcode: 0 } cancels the pending redelivery; the schedule resumes after a restart', async () => {
    // A slow schedule: the first redelivery would come a minute later. (Same port: the SDK in
    // this process keeps the service URL of its first init.)
    const port = t.cloud.port
    await t.cloud.close()
    t = await startTestCloud({ dataDir: t.dataDir, port, payRetryDelaysMs: [60_000, 60_000] })
    const answered = await flakyOrder('e')
    await post(`${t.cloud.url}/pay/orders/${answered}/pay`)
    let o = await order(answered)
    expect(o.notify).toMatchObject({ acknowledged: false, retries: 0, nextRetryAt: expect.any(String) })
    expect(Date.parse(o.notify.nextRetryAt) - Date.now()).toBeGreaterThan(30_000)
    const replay = await post(`${t.cloud.url}/pay/orders/${answered}/pay`)
    expect(replay.body.results).toEqual([{ errcode: 0, errmsg: 'ok' }])
    o = await order(answered)
    expect(o.notify.acknowledged).toBe(true)
    expect(o.notify.nextRetryAt).toBeUndefined()

    const pending = await flakyOrder('e')
    await post(`${t.cloud.url}/pay/orders/${pending}/pay`)
    expect((await order(pending)).notify).toMatchObject({ acknowledged: false, nextRetryAt: expect.any(String) })
    // Stopped with a redelivery pending; started again with an instant schedule: it is made.
    await t.cloud.close()
    t = await startTestCloud({ dataDir: t.dataDir, port, payRetryDelaysMs: INSTANT })
    o = await until(pending, (x) => x.notify?.acknowledged === true)
    expect(o.notify.deliveries.map((x: any) => x.trigger)).toEqual(['first', 'retry'])
    expect((await order(answered)).notify.deliveries).toHaveLength(2)
  })
})
