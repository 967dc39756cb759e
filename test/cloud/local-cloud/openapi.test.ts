import { del, get, post, sdkFor, startTestCloud, type HttpAnswer, type TestCloud } from './helpers'

let t: TestCloud

beforeAll(async () => {
  t = await startTestCloud({ riskyWord: 'forbidden-test-word' })
})
afterAll(async () => {
  await t.stop()
})

const messenger = (event: Record<string, unknown>, openid = 'o-msg'): Promise<HttpAnswer<any>> =>
  post(`${t.cloud.url}/functions/messenger`, event, { 'X-WX-OPENID': openid })

describe('open API simulation', () => {
  it('records subscribeMessage.send in the outbox instead of sending it', async () => {
    const a = await messenger({ action: 'send' })
    expect(a.status).toBe(200)
    expect(a.body).toMatchObject({ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok', msgid: expect.any(Number) })
    const outbox = await get(`${t.cloud.url}/openapi/outbox`)
    expect(outbox.body.messages).toEqual([
      expect.objectContaining({
        msgid: a.body.msgid,
        apiName: 'subscribeMessage.send',
        fromFunction: 'messenger',
        callerOpenid: 'o-msg',
        params: expect.objectContaining({
          touser: 'o-msg',
          template_id: 'TPL_POINTS',
          page: 'pages/index/index',
          data: { thing1: { value: '积分到账' }, number2: { value: 20 } },
        }),
      }),
    ])
    expect((await del(`${t.cloud.url}/openapi/outbox`)).status).toBe(200)
    expect((await get(`${t.cloud.url}/openapi/outbox`)).body.messages).toEqual([])
  })

  it('answers 43101 to a send for a member marked as having refused the template, until cleared', async () => {
    expect((await post(`${t.cloud.url}/openapi/subscribe-refusals`, { openid: 'o-refuser', templateId: 'TPL_POINTS' })).status).toBe(200)
    const refused = await messenger({ action: 'send' }, 'o-refuser')
    expect(JSON.stringify(refused.body)).toContain('43101')
    expect((await get(`${t.cloud.url}/openapi/outbox`)).body.messages.filter((m: any) => m.params.touser === 'o-refuser')).toEqual([])
    // Another member is not affected.
    expect((await messenger({ action: 'send' }, 'o-other')).body).toMatchObject({ errCode: 0 })
    expect((await del(`${t.cloud.url}/openapi/subscribe-refusals`)).status).toBe(200)
    expect((await messenger({ action: 'send' }, 'o-refuser')).body).toMatchObject({ errCode: 0 })
    expect((await post(`${t.cloud.url}/openapi/subscribe-refusals`, {})).status).toBe(400)
  })

  it('answers wxacode.getUnlimited with a PNG QR code', async () => {
    const a = await messenger({ action: 'code', scene: 'store=42' })
    expect(a.body.contentType).toBe('image/png')
    const png = Buffer.from(a.body.base64, 'base64')
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(png.length).toBeGreaterThan(200)
  })

  it('passes clean content and flags the configured risky word', async () => {
    const pass = await messenger({ action: 'check', content: 'hello there' })
    expect(pass.body).toMatchObject({ ok: true, res: { errCode: 0, result: { suggest: 'pass', label: 100 } } })
    const risky = await messenger({ action: 'check', content: 'this has a Forbidden-Test-Word inside' })
    expect(risky.body).toEqual({ ok: false, errCode: 87014, errMsg: 'openapi.security.msgSecCheck:fail risky content' })
  })

  it('answers an API it does not simulate with the cloud system error', async () => {
    const a = await messenger({ action: 'unknown' })
    expect(a.body).toMatchObject({ ok: false, errCode: -604101 })
  })
})

describe('open API permissions (config.json permissions.openapi)', () => {
  const call = (fn: string, ns: string, api: string, params: Record<string, unknown>): Promise<HttpAnswer<any>> =>
    post(`${t.cloud.url}/functions/${fn}`, { ns, api, params }, { 'X-WX-OPENID': 'o-perm' })
  const SEND = { touser: 'o-perm', templateId: 'TPL_POINTS', page: 'pages/index/index', data: { thing1: { value: '积分到账' } } }

  it('lets a function call the APIs it declares', async () => {
    const a = await call('limited', 'security', 'msgSecCheck', { openid: 'o-perm', scene: 2, version: 2, content: 'hello' })
    expect(a.body).toMatchObject({ ok: true, res: { errCode: 0, result: { suggest: 'pass' } } })
  })

  it('refuses an API the function does not declare with -604101, and records nothing', async () => {
    await del(`${t.cloud.url}/openapi/outbox`)
    const a = await call('limited', 'subscribeMessage', 'send', SEND)
    expect(a.body).toMatchObject({ ok: false, errCode: -604101, message: expect.stringContaining('function has no permission to call this API') })
    const code = await call('limited', 'wxacode', 'getUnlimited', { scene: 'store=1', page: 'pages/index/index', checkPath: false })
    expect(code.body).toMatchObject({ ok: false, errCode: -604101 })
    expect((await get(`${t.cloud.url}/openapi/outbox`)).body.messages).toEqual([])
  })

  it('refuses every API to a function without permissions in config.json (or without config.json)', async () => {
    for (const [ns, api, params] of [
      ['security', 'msgSecCheck', { openid: 'o-perm', scene: 2, version: 2, content: 'hello' }],
      ['subscribeMessage', 'send', SEND],
      ['phonenumber', 'getPhoneNumber', { code: 'abc' }],
    ] as const) {
      const a = await call('undeclared', ns, api, params)
      expect([ns, api, a.body]).toEqual([ns, api, expect.objectContaining({ ok: false, errCode: -604101 })])
    }
    expect((await get(`${t.cloud.url}/openapi/outbox`)).body.messages).toEqual([])
  })

  it('refuses a caller outside any function (the SDK in a plain Node process)', async () => {
    const sdk = sdkFor(t.cloud)
    await expect(sdk.openapi.security.msgSecCheck({ content: 'hello' })).rejects.toMatchObject({ errCode: -604101 })
  })
})
