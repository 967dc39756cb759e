import { InvocationError } from '../../../local-cloud/src/server'
import { get, post, sdkFor, startTestCloud, type TestCloud } from './helpers'

let t: TestCloud

beforeAll(async () => {
  t = await startTestCloud({ appid: 'wxtestappid0000001' })
})
afterAll(async () => {
  await t.stop()
})

const fn = (name: string): string => `${t.cloud.url}/functions/${name}`

describe('gateway', () => {
  it('invokes a function as the user in X-WX-OPENID, each concurrent caller seeing its own context', async () => {
    const calls = Array.from({ length: 12 }, (_, i) =>
      post(fn('echo'), { n: i }, { 'X-WX-OPENID': `o-user-${i % 2}`, ...(i % 2 ? { 'X-WX-UNIONID': 'u-1' } : {}) }),
    )
    const answers = await Promise.all(calls)
    answers.forEach((a, i) => {
      expect([a.status, a.body.message]).toEqual([200, undefined])
      expect(a.body.event).toEqual({ n: i })
      expect(a.body.wx).toMatchObject({ OPENID: `o-user-${i % 2}`, APPID: 'wxtestappid0000001', SOURCE: 'wx_client', ENV: 'local' })
      if (i % 2) expect(a.body.wx.UNIONID).toBe('u-1')
      else expect(a.body.wx.UNIONID).toBeUndefined()
    })
  })

  it("honours X-WX-APPID and answers the server's own origin with CORS headers", async () => {
    // CORS is granted to the local preview's origin only (access.test.ts has the refusals).
    const origin = t.cloud.url
    const a = await post(fn('echo'), {}, { 'X-WX-OPENID': 'o-a', 'X-WX-APPID': 'wxother000000000', Origin: origin })
    expect(a.body.wx.APPID).toBe('wxother000000000')
    expect(a.headers.get('access-control-allow-origin')).toBe(origin)
    const pre = await fetch(fn('echo'), { method: 'OPTIONS', headers: { Origin: origin } })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/X-WX-OPENID/)
  })

  it('treats an empty body as an empty event', async () => {
    const a = await post(fn('echo'), undefined, { 'X-WX-OPENID': 'o-empty' })
    expect(a.status).toBe(200)
    expect(a.body.event).toEqual({})
  })

  it('answers 404 for an unknown function and 400 for malformed JSON', async () => {
    const missing = await post(fn('no-such-function'), {})
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ ok: false, code: 'FUNCTION_NOT_FOUND' })
    const bad = await post(fn('echo'), '{"not json', { 'X-WX-OPENID': 'o' })
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ ok: false, code: 'INVALID_JSON' })
  })

  it('turns a throw, a timeout, process.exit and an unhandled rejection into errors and keeps serving', async () => {
    const thrown = await post(fn('boom'), {})
    expect(thrown.status).toBe(500)
    expect(thrown.body).toEqual({ ok: false, code: 'FUNCTION_ERROR', message: 'boom' })

    const started = Date.now()
    const slow = await post(fn('slow'), {})
    expect(slow.status).toBe(500)
    expect(slow.body).toMatchObject({ ok: false, code: 'FUNCTION_TIMEOUT' })
    expect(slow.body.message).toMatch(/timed out after 1 seconds/)
    expect(Date.now() - started).toBeLessThan(4000)

    const exited = await post(fn('exiter'), {})
    expect(exited.status).toBe(500)
    expect(exited.body).toMatchObject({ ok: false, code: 'FUNCTION_ERROR' })
    expect(exited.body.message).toMatch(/exit/)

    const rejected = await post(fn('rejecter'), {})
    expect(rejected.status).toBe(500)
    expect(rejected.body.message).toMatch(/nobody handles me/)

    // The same functions and the server still work afterwards.
    expect((await post(fn('slow'), { ms: 10 })).body).toEqual({ slept: true })
    expect((await post(fn('echo'), { after: true }, { 'X-WX-OPENID': 'o-after' })).body.event).toEqual({ after: true })
    expect((await get(`${t.cloud.url}/health`)).body.ok).toBe(true)
  })

  it('lists the functions on /health', async () => {
    const health = await get(`${t.cloud.url}/health`)
    expect(health.body.functions).toEqual(expect.arrayContaining(['echo', 'caller', 'stock']))
  })
})

describe('cloud.callFunction between functions', () => {
  it('passes the result back and chains SOURCE, keeping the caller OPENID', async () => {
    const a = await post(fn('caller'), { target: 'echo', data: { x: 1 } }, { 'X-WX-OPENID': 'o-chain' })
    expect(a.status).toBe(200)
    expect(a.body.errMsg).toBe('callFunction:ok')
    expect(a.body.mine).toMatchObject({ OPENID: 'o-chain', SOURCE: 'wx_client' })
    expect(a.body.callee.event).toEqual({ x: 1 })
    expect(a.body.callee.wx).toMatchObject({ OPENID: 'o-chain', SOURCE: 'wx_client,scf', ENV: 'local' })
  })

  it('reports a failing callee as the SDK error (code kept)', async () => {
    const a = await post(fn('caller'), { target: 'boom' }, { 'X-WX-OPENID': 'o-chain' })
    expect(a.status).toBe(500)
    expect(a.body.message).toMatch(/callFunction:fail boom/)
  })

  it('works from a plain Node process with the unmodified SDK', async () => {
    const sdk = sdkFor(t.cloud)
    const res = await sdk.callFunction({ name: 'echo', data: { from: 'node' } })
    expect(res.errMsg).toBe('callFunction:ok')
    expect(res.result.event).toEqual({ from: 'node' })
    await expect(sdk.callFunction({ name: 'nope' })).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND' })
    await expect(sdk.callFunction({ name: 'boom' })).rejects.toMatchObject({ code: 'FUNCTIONS_EXECUTE_FAIL', errMsg: 'callFunction:fail boom' })
  })
})

describe('LocalCloud.invoke', () => {
  it('invokes with an identity and rejects with InvocationError', async () => {
    const res = (await t.cloud.invoke('echo', { k: 1 }, { openid: 'o-direct', source: 'wx_devtools' })) as { wx: Record<string, unknown> }
    expect(res.wx).toMatchObject({ OPENID: 'o-direct', SOURCE: 'wx_devtools' })
    await expect(t.cloud.invoke('boom', {})).rejects.toBeInstanceOf(InvocationError)
    await expect(t.cloud.invoke('slow', {})).rejects.toMatchObject({ code: 'FUNCTION_TIMEOUT' })
    await expect(t.cloud.invoke('missing', {})).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND' })
  })
})
