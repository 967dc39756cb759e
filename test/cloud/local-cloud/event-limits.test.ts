/**
 * Events the cloud would not take are refused with its limits and error codes, never an HTTP 500:
 * more than 6 MB (SCF's synchronous event size) is EXCEED_MAX_PAYLOAD_SIZE, nesting deeper than
 * MAX_EVENT_DEPTH is INVALID_PARAM. Events reach the function as JSON, as on the cloud.
 */
import { MAX_EVENT_BYTES, MAX_EVENT_DEPTH, jsonDepth } from '../../../local-cloud/src/function-runner'
import { get, post, sdkFor, startTestCloud, type TestCloud } from './helpers'

let t: TestCloud

beforeAll(async () => {
  t = await startTestCloud()
})
afterAll(async () => {
  await t.stop()
})

const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
const fn = (name: string): string => `${t.cloud.url}/functions/${name}`

describe('event limits', () => {
  it('refuses an event nested 5,000 levels deep (10 KB) on every path, with the cloud error, not a 500', async () => {
    const deep = nested(5000)
    expect(deep.length).toBeLessThan(40_000)
    const gw = await post(fn('echo'), deep, { 'X-WX-OPENID': 'o-deep' })
    expect([gw.status, gw.body.ok, gw.body.code]).toEqual([400, false, 'INVALID_PARAM'])
    const tcb = await post(`${t.cloud.url}/tcb`, { action: 'functions.invokeFunction', function_name: 'echo', request_data: deep })
    expect([tcb.status, tcb.body.code]).toEqual([200, 'INVALID_PARAM'])
    await expect(sdkFor(t.cloud).callFunction({ name: 'echo', data: JSON.parse(deep) })).rejects.toMatchObject({ code: 'INVALID_PARAM' })
    await expect(t.cloud.invoke('echo', JSON.parse(deep))).rejects.toMatchObject({ code: 'INVALID_PARAM' })
    // Arrays count as well as objects; brackets inside strings do not.
    expect((await post(fn('echo'), '['.repeat(MAX_EVENT_DEPTH + 1) + ']'.repeat(MAX_EVENT_DEPTH + 1))).status).toBe(400)
    expect((await post(fn('echo'), { s: '{['.repeat(10_000) }, { 'X-WX-OPENID': 'o' })).status).toBe(200)
  })

  it(`accepts an event exactly ${MAX_EVENT_DEPTH} levels deep`, async () => {
    const a = await post(fn('echo'), nested(MAX_EVENT_DEPTH), { 'X-WX-OPENID': 'o-deep-ok' })
    expect(a.status).toBe(200)
    expect(jsonDepth(JSON.stringify(a.body.event))).toBe(MAX_EVENT_DEPTH)
  })

  it('refuses an event over 6 MB with EXCEED_MAX_PAYLOAD_SIZE (413 at the gateway) and takes one just under', async () => {
    const over = JSON.stringify({ s: 'x'.repeat(MAX_EVENT_BYTES) })
    const gw = await post(fn('echo'), over, { 'X-WX-OPENID': 'o-big' })
    expect([gw.status, gw.body.code]).toEqual([413, 'EXCEED_MAX_PAYLOAD_SIZE'])
    const tcb = await post(`${t.cloud.url}/tcb`, { action: 'functions.invokeFunction', function_name: 'echo', request_data: over })
    expect([tcb.status, tcb.body.code]).toEqual([200, 'EXCEED_MAX_PAYLOAD_SIZE'])
    const under = JSON.stringify({ s: 'x'.repeat(MAX_EVENT_BYTES - 100) })
    const ok = await post(fn('slow'), under, { 'X-WX-OPENID': 'o-big' })
    expect(ok.status).toBe(500) // slow sleeps past its 1 s timeout: the event reached it
    expect(ok.body.code).toBe('FUNCTION_TIMEOUT')
  })

  it('passes the event as JSON (Dates become ISO strings, as in request_data) and keeps serving', async () => {
    const types = await t.cloud.invoke('types', { at: new Date('2026-01-02T03:04:05.000Z'), skip: undefined, n: 1 })
    expect(types).toEqual({ at: 'string', n: 'number' })
    const res = (await t.cloud.invoke('echo', { at: new Date('2026-01-02T03:04:05.000Z') })) as { event: Record<string, unknown> }
    expect(res.event).toEqual({ at: '2026-01-02T03:04:05.000Z' })
    expect((await get(`${t.cloud.url}/health`)).body.ok).toBe(true)
  })
})

describe('jsonDepth', () => {
  it('counts nesting outside strings, escapes included', () => {
    expect(jsonDepth('1')).toBe(0)
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3)
    expect(jsonDepth('{"a":"\\"{[{["}')).toBe(1)
    expect(jsonDepth(nested(100), 10)).toBe(11)
  })
})
