import fs from 'fs'
import os from 'os'
import path from 'path'
import { startLocalCloud, type LocalCloud } from '../../../local-cloud/src/server'
import type { LocalCloudOptions } from '../../../local-cloud/src/options'

/** Plain-JS fixture functions, one folder each, as the build would produce them. */
export const FIXTURE_FUNCTIONS = path.join(__dirname, '..', 'fixtures', 'functions')

/** The collections the fixture functions use. */
export const TEST_SCHEMA: LocalCloudOptions['schema'] = {
  stock: { indexes: [] },
  notes: { indexes: [{ name: 'openid', keys: { openid: 1 } }] },
  pay_events: { indexes: [] },
  ticks: { indexes: [] },
}

export interface TestCloud {
  cloud: LocalCloud
  dataDir: string
  /** Closes the cloud and removes its data folder. */
  stop(): Promise<void>
}

export async function startTestCloud(extra: Partial<LocalCloudOptions> = {}): Promise<TestCloud> {
  const dataDir = extra.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-test-'))
  const cloud = await startLocalCloud({
    port: 0,
    dataDir,
    functionsDir: FIXTURE_FUNCTIONS,
    schema: TEST_SCHEMA,
    quiet: true,
    timers: false,
    ...extra,
  })
  return {
    cloud,
    dataDir,
    stop: async () => {
      await cloud.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface HttpAnswer<T = unknown> {
  status: number
  headers: Headers
  body: T
}

/** POST JSON (or raw text) to the local cloud and parse the JSON answer. */
export async function post<T = any>(url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, headers: res.headers, body: (await res.json()) as T }
}

export async function get<T = any>(url: string): Promise<HttpAnswer<T>> {
  const res = await fetch(url)
  return { status: res.status, headers: res.headers, body: (await res.json()) as T }
}

/** The parts of wx-server-sdk the tests use (its .d.ts lacks serviceUrl/secretId). */
export interface Sdk {
  init(config: Record<string, unknown>): void
  callFunction(param: { name: string; data?: unknown }): Promise<{ result: any; errMsg: string; requestID?: string }>
  database(): any
  cloudPay: Record<string, (params: Record<string, unknown>) => Promise<any>>
  openapi: any
  DYNAMIC_CURRENT_ENV: unknown
}

/**
 * The unmodified wx-server-sdk in the test process, pointed at the local cloud the way a
 * developer's Node script would be.
 */
export function sdkFor(cloud: LocalCloud): Sdk {
  // Avoid node-sdk's metadata look-ups and its slow-query warning (docs/cloud-protocol.md §1.6).
  process.env.TENCENTCLOUD = 'true'
  process.env.SILENCE = 'true'
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('wx-server-sdk') as Sdk
  sdk.init({ env: 'local', serviceUrl: `${cloud.url}/tcb`, secretId: 'local', secretKey: 'local' })
  return sdk
}

export async function del<T = any>(url: string): Promise<HttpAnswer<T>> {
  const res = await fetch(url, { method: 'DELETE' })
  return { status: res.status, headers: res.headers, body: (await res.json()) as T }
}
