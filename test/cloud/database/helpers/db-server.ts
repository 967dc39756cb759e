import * as http from 'http'
import type { AddressInfo } from 'net'
import * as os from 'os'
import * as path from 'path'
import * as fs from 'fs'
import { DatabaseEngine, type DatabaseEngineOptions } from '../../../../local-cloud/src/database/engine'

/**
 * The smallest server the unmodified wx-server-sdk can talk to for `database.*`: POST a JSON
 * body, get `engine.handle(body)` back as JSON. The real local cloud's HTTP server is built
 * elsewhere; this keeps the database contract tests independent of it.
 */
export interface DbServer {
  url: string
  /** The engine answering; replace it to simulate a restart behind the same URL. */
  engine: DatabaseEngine
  /** Requests seen, for asserting on what the SDK sent. */
  requests: Record<string, unknown>[]
  close(): Promise<void>
}

export async function startDbServer(engine: DatabaseEngine): Promise<DbServer> {
  const requests: Record<string, unknown>[] = []
  // eslint-disable-next-line prefer-const
  let self: DbServer
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      let body: Record<string, unknown>
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
      } catch {
        body = { action: '(unparseable body)' }
      }
      requests.push(body)
      void self.engine.handle(body).then((reply) => {
        const text = JSON.stringify(reply)
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
        res.end(text)
      })
    })
  })
  server.keepAliveTimeout = 10_000 // above the SDK's 4.8 s free-socket timeout (docs/cloud-protocol.md §1.6)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  self = {
    url: `http://127.0.0.1:${port}/tcb`,
    engine,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  return self
}

export function tempDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `local-db-${label}-`))
}

export function openEngine(opts: Partial<DatabaseEngineOptions> & { dataDir: string }): Promise<DatabaseEngine> {
  return DatabaseEngine.open({ schema: {}, ...opts })
}

/**
 * Points the real SDK at `url`. TENCENTCLOUD=true skips the metadata look-ups and SILENCE the
 * slow-request warning (docs/cloud-protocol.md §1.6); any secretId/secretKey works locally but must be present.
 */
 
export function initSdk(url: string): typeof import('wx-server-sdk') {
  process.env.TENCENTCLOUD = 'true'
  process.env.SILENCE = 'true'
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk')
  cloud.init({ env: 'local', serviceUrl: url, secretId: 'local', secretKey: 'local' } as Parameters<typeof cloud.init>[0])
  return cloud
}

export type Cloud = typeof import('wx-server-sdk')

// wx-server-sdk declares every call as `Promise<R> | void | string` (callback styles); the tests
// only use the promise form, so this view keeps the chain types and narrows results to Promise<R>.
type RawDb = ReturnType<Cloud['database']>
type RawCollection = ReturnType<RawDb['collection']>
type Chainable = RawDb | RawCollection | ReturnType<RawCollection['doc']> | ReturnType<RawCollection['where']> | ReturnType<RawCollection['aggregate']>
type Out<R> = [Extract<R, Promise<unknown>>] extends [never] ? (R extends Chainable ? Promised<R> : R) : Extract<R, Promise<unknown>>
export type Promised<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Out<R> : T[K] }
export type Db = Promised<RawDb>

/** `cloud.database(config)` seen through the promise-only view. */
export function sdkDatabase(cloud: Cloud, config?: Record<string, unknown>): Db {
  return cloud.database(config) as unknown as Db
}

export interface SdkFixture {
  cloud: Cloud
  db: Db
  server: DbServer
  engine: DatabaseEngine
  dataDir: string
}

/**
 * Registers beforeAll/afterAll that open an engine in a fresh folder, serve it and point the SDK
 * at it. Read the fields inside tests (they are filled in by beforeAll).
 */
export function useSdkDatabase(
  schema: DatabaseEngineOptions['schema'] = {},
  options: Omit<DatabaseEngineOptions, 'schema' | 'dataDir'> = {},
): SdkFixture {
  const fixture = {} as SdkFixture
  beforeAll(async () => {
    fixture.dataDir = tempDataDir('sdk')
    fixture.engine = await DatabaseEngine.open({ ...options, dataDir: fixture.dataDir, schema })
    fixture.server = await startDbServer(fixture.engine)
    fixture.cloud = initSdk(fixture.server.url)
    fixture.db = sdkDatabase(fixture.cloud)
  })
  afterAll(async () => {
    await fixture.server?.close()
    await fixture.engine?.close()
    if (fixture.dataDir) fs.rmSync(fixture.dataDir, { recursive: true, force: true })
  })
  return fixture
}

/** Awaits a promise that must reject and returns what it rejected with. */
export async function rejection(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p
  } catch (err) {
    return err as Record<string, unknown>
  }
  throw new Error('expected the call to fail, but it succeeded')
}
