/**
 * SOURCE wx_paycallback and wx_trigger come only from the local cloud's pay simulator and timer
 * scheduler: a /tcb caller that names them in X-TCB-Source is refused (INVALID_REQUEST_SOURCE,
 * the cloud's "invalid request source") unless it shows this process's trusted token, and a
 * function calling another keeps the cloud's `<its SOURCE>,scf` whatever header it sends.
 */
import { get, post, startTestCloud, type HttpAnswer, type TestCloud } from './helpers'

let t: TestCloud

beforeAll(async () => {
  t = await startTestCloud()
})
afterAll(async () => {
  await t.stop()
})

const invoke = (fn: string, data: unknown, headers: Record<string, string>): Promise<HttpAnswer<any>> =>
  post(`${t.cloud.url}/tcb`, { action: 'functions.invokeFunction', function_name: fn, request_data: JSON.stringify(data) }, headers)
const payEvents = (): number => t.cloud.engine.stats().collections.pay_events ?? 0

describe('privileged sources over /tcb', () => {
  it('refuses wx_paycallback and wx_trigger from a caller without the trusted token, before the function runs', async () => {
    const before = payEvents()
    for (const source of ['wx_paycallback', 'wx_trigger', 'wx_client,wx_paycallback', ' wx_trigger', 'wx_paycallback,scf']) {
      for (const extra of [{}, { 'X-Local-Cloud-Trusted': 'guess' }, { 'X-Local-Cloud-Trusted': '' }] as Record<string, string>[]) {
        const a = await invoke('paycb', { outTradeNo: 'forged', resultCode: 'SUCCESS' }, { 'X-TCB-Source': source, ...extra })
        expect([source, extra, a.status, a.body.code]).toEqual([source, extra, 200, 'INVALID_REQUEST_SOURCE'])
        expect(a.body.data).toBeUndefined()
      }
    }
    expect(payEvents()).toBe(before)
  })

  it('lets a simulator holding the trusted token invoke with those sources', async () => {
    const a = await invoke('echo', { k: 1 }, { 'X-TCB-Source': 'wx_paycallback', 'X-Local-Cloud-Trusted': t.cloud.trustedToken })
    expect(JSON.parse(a.body.data.response_data).wx).toMatchObject({ SOURCE: 'wx_paycallback' })
  })

  it('still lets a Node client name an ordinary source, and defaults to scf', async () => {
    const named = await invoke('echo', {}, { 'X-TCB-Source': 'wx_http' })
    expect(JSON.parse(named.body.data.response_data).wx.SOURCE).toBe('wx_http')
    const plain = await invoke('echo', {}, {})
    expect(JSON.parse(plain.body.data.response_data).wx.SOURCE).toBe('scf')
  })

  it("gives a nested call the caller's real source, even when the caller rewrites its own TCB_SOURCE", async () => {
    for (const source of ['wx_paycallback', 'wx_trigger']) {
      const a = await post(`${t.cloud.url}/functions/forger`, { source, target: 'echo' }, { 'X-WX-OPENID': 'o-forger' })
      expect(a.status).toBe(200)
      expect(a.body.callee.wx).toMatchObject({ OPENID: 'o-forger', SOURCE: 'wx_client,scf' })
    }
  })

  it('leaves the simulators their sources: the timer route and pay callbacks', async () => {
    const timer = await post(`${t.cloud.url}/timers/ticker/daily`, {})
    expect(timer.body.wx).toMatchObject({ SOURCE: 'wx_trigger' })
    const order = await post(`${t.cloud.url}/functions/payer`, { action: 'order', outTradeNo: 'src-1' }, { 'X-WX-OPENID': 'o-src' })
    expect(order.body.resultCode).toBe('SUCCESS')
    const paid = await post(`${t.cloud.url}/pay/orders/src-1/pay`, {})
    expect(paid.body.results[0].wx).toMatchObject({ SOURCE: 'wx_paycallback', OPENID: 'o-src' })
    expect((await get(`${t.cloud.url}/health`)).body.ok).toBe(true)
  })
})
