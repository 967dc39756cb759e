/**
 * No web page can reach into the local cloud: the gateway trusts X-WX-OPENID and /tcb reads and
 * writes the whole database, so only the server's own origin may call from a browser, /tcb takes
 * no browser at all, and a Host that is not the server's own (DNS rebinding) is refused. Node
 * clients (no Origin) keep working.
 */
import http from 'http'
import { sdkFor, startTestCloud, type TestCloud } from './helpers'

let t: TestCloud
let port: number

beforeAll(async () => {
  t = await startTestCloud({ allowOrigins: ['http://devtools.example:9000'] })
  port = t.cloud.port
})
afterAll(async () => {
  await t.stop()
})

interface Raw {
  status: number
  headers: http.IncomingHttpHeaders
  body: any
}

/** A request with exactly these headers (fetch would not let a test set Host). */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

const notes = async (): Promise<number> => t.cloud.engine.stats().collections.notes ?? 0
const write = (headers: Record<string, string>): Promise<Raw> => raw('POST', '/functions/dbuser', { 'X-WX-OPENID': 'demo-owner-openid', ...headers }, '{"text":"x"}')

describe('browser origins', () => {
  it('refuses a page on another origin, before the function runs, with no CORS grant', async () => {
    const before = await notes()
    for (const origin of ['http://evil.example', 'https://127.0.0.1.evil.example', 'http://127.0.0.1:1', 'null']) {
      const a = await write({ Origin: origin })
      expect([origin, a.status, a.body.code]).toEqual([origin, 403, 'FORBIDDEN_ORIGIN'])
      expect(a.headers['access-control-allow-origin']).toBeUndefined()
    }
    expect(await notes()).toBe(before)
  })

  it('answers no preflight from another origin (no private-network grant either)', async () => {
    const pre = await raw('OPTIONS', '/functions/dbuser', {
      Origin: 'http://evil.example',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type,x-wx-openid',
      'Access-Control-Request-Private-Network': 'true',
    })
    expect(pre.status).toBe(403)
    expect(pre.headers['access-control-allow-origin']).toBeUndefined()
    expect(pre.headers['access-control-allow-private-network']).toBeUndefined()
  })

  it('refuses a cross-site browser request that carries no Origin (a link, an image)', async () => {
    const a = await raw('GET', '/pay/orders', { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors' })
    expect([a.status, a.body.code]).toEqual([403, 'FORBIDDEN_ORIGIN'])
    // Typing the address in the browser's own address bar is fine.
    expect((await raw('GET', '/health', { 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Mode': 'navigate' })).status).toBe(200)
  })

  it("serves the server's own origins (the local preview) and an allowed one, naming the origin", async () => {
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, 'http://devtools.example:9000']) {
      const pre = await raw('OPTIONS', '/functions/echo', { Origin: origin, 'Access-Control-Request-Method': 'POST' })
      expect([origin, pre.status]).toEqual([origin, 204])
      expect(pre.headers['access-control-allow-origin']).toBe(origin)
      expect(pre.headers['access-control-allow-headers']).toMatch(/X-WX-OPENID/)
      const a = await raw('POST', '/functions/echo', { Origin: origin, 'Sec-Fetch-Site': 'same-origin', 'X-WX-OPENID': 'o-preview' }, '{"n":1}')
      expect([origin, a.status, a.body.event]).toEqual([origin, 200, { n: 1 }])
      expect(a.headers['access-control-allow-origin']).toBe(origin)
      expect(a.headers.vary).toMatch(/Origin/)
    }
  })
})

describe('/tcb takes no browser at all', () => {
  const query = JSON.stringify({ action: 'database.calculateDocument', collectionName: 'notes', queryType: 'WHERE' })

  it("refuses any Origin, even the server's own, and any request a browser marks", async () => {
    for (const headers of [{ Origin: `http://127.0.0.1:${port}` }, { Origin: 'http://evil.example' }, { 'Sec-Fetch-Site': 'same-origin' }] as Record<string, string>[]) {
      const a = await raw('POST', '/tcb', headers, query)
      expect([headers, a.status, a.body.code]).toEqual([headers, 403, 'FORBIDDEN_ORIGIN'])
    }
    const pre = await raw('OPTIONS', '/tcb', { Origin: `http://127.0.0.1:${port}`, 'Access-Control-Request-Method': 'POST' })
    expect(pre.status).toBe(403)
    expect(pre.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('keeps serving Node clients: the unmodified SDK and a plain request', async () => {
    expect((await raw('POST', '/tcb', {}, query)).body.data).toEqual({ total: expect.any(Number) })
    const sdk = sdkFor(t.cloud)
    expect((await sdk.database().collection('notes').count()).total).toEqual(expect.any(Number))
    expect((await sdk.callFunction({ name: 'echo', data: { via: 'sdk' } })).result.event).toEqual({ via: 'sdk' })
  })
})

describe('DNS rebinding', () => {
  it("refuses a Host that is not the server's own, with or without Origin", async () => {
    const before = await notes()
    for (const host of [`rebind.example:${port}`, 'rebind.example', `127.0.0.1:${port + 1}`]) {
      const same = await write({ Host: host, Origin: `http://${host}` })
      expect([host, same.status, same.body.code]).toEqual([host, 403, 'FORBIDDEN_ORIGIN'])
      const get = await raw('GET', '/pay/orders', { Host: host })
      expect([host, get.status]).toEqual([host, 403])
      const tcb = await raw('POST', '/tcb', { Host: host }, JSON.stringify({ action: 'database.calculateDocument', collectionName: 'notes', queryType: 'WHERE' }))
      expect([host, tcb.status]).toEqual([host, 403])
    }
    expect(await notes()).toBe(before)
  })

  it("accepts the server's own names", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect([host, (await raw('GET', '/health', { Host: host })).status]).toEqual([host, 200])
    }
  })
})
