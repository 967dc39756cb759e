/**
 * The one way an app-level cloud test starts its cloud: the app's real built functions on a
 * fresh local cloud (temp data folder, port 0, the real schema, timers off), and a typed client
 * built from the contract, so `call('admin', 'stores.list', {}, openid)` checks the input and
 * types the answer like the mini program's callCloud does. The local-cloud and database protocol
 * tests keep their own fixtures helper (test/cloud/local-cloud/helpers.ts).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../../local-cloud/src/server'
import { schema } from '../../../database/schema'
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import type { ActionInput, ActionName, ActionOutput, FunctionName } from '../../../cloudfunctions/shared/contract'
import type { ErrorCode } from '../../../miniprogram/shared/error-codes'
import { sdkFor, post, type Sdk } from '../local-cloud/helpers'

/** The app's real functions (built by the cloud project's globalSetup). */
export const APP_FUNCTIONS = path.resolve(__dirname, '../../../dist/cloudfunctions')
/** The owner setup key the app clouds run with (admin.bootstrapOwner). */
export const SETUP_KEY = 'test-setup-key-0123456789abcdef'

/**
 * Where the test's SDK database keeps the local cloud engine it talks to: whole-database reads
 * that only compare states (snapshot()) go to it in-process instead of one HTTP request per
 * collection through the SDK, reading the same committed documents.
 */
export const LOCAL_ENGINE = Symbol('local-cloud engine')

/** What a function answers, as the contract says. */
export type Answer<T> = { ok: true; data: T } | { ok: false; code: ErrorCode; message: string }

/**
 * The same answer, flattened for tests that read `data` without narrowing first (`data` is only
 * there when ok; a failure has code and message).
 */
export type Reply<T = any> = { ok: boolean; data: T; code?: ErrorCode; message?: string }

export interface AppCloudOptions {
  /** OWNER_SETUP_KEY for the functions (null: unset). */
  setupKey?: string | null
  maxWorkersPerFunction?: number
}

export interface AppCloud {
  lc: LocalCloud
  sdk: Sdk
  db: any
  /** The typed client: `name.action` as `openid` through the gateway, as the mini program calls. */
  call<F extends FunctionName, A extends ActionName<F>>(name: F, action: A, input: ActionInput<F, A>, openid: string): Promise<Reply<ActionOutput<F, A>>>
  /** call() that expects ok and returns the data. */
  ok<F extends FunctionName, A extends ActionName<F>>(name: F, action: A, input: ActionInput<F, A>, openid: string): Promise<ActionOutput<F, A>>
  /** Anything at all, for tests of what the contract forbids (bad input, unknown actions). */
  send(name: string, action: string, input: unknown, openid: string): Promise<Reply>
  /** Invokes directly (not through the gateway): `openid` '' = no identity. */
  invoke(name: string, action: string, input: unknown, openid: string): Promise<Answer<any>>
  /** "The user paid": WeChat Pay delivers the callback `times` times (`notify: false`: the notification is lost). */
  pay(outTradeNo: string, opts?: { times?: number; concurrent?: boolean; notify?: boolean }): Promise<any[]>
  stop(): Promise<void>
}

/**
 * A fresh local cloud for one test file. OWNER_SETUP_KEY is configured for the admin function
 * only, as it would be in the console (functions never see the server's own environment). Other
 * local-cloud options (e.g. payRetryDelaysMs) pass through. The test process's SDK binds to the
 * first cloud a file starts: use `sdk`/`db` of that one only.
 */
export async function startAppCloud(opts: AppCloudOptions & Partial<LocalCloudOptions> = {}): Promise<AppCloud> {
  const { setupKey, ...extra } = opts
  const key = setupKey === undefined ? SETUP_KEY : setupKey
  const functionEnv: Record<string, Record<string, string>> = key === null ? {} : { admin: { OWNER_SETUP_KEY: key } }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-cloud-'))
  const lc = await startLocalCloud({
    port: 0,
    dataDir,
    functionsDir: APP_FUNCTIONS,
    schema,
    quiet: !process.env.APP_TEST_VERBOSE,
    timers: false,
    ...extra,
    functionEnv: { ...functionEnv, ...extra.functionEnv },
  })
  const sdk = sdkFor(lc)
  const db = sdk.database()
  // snapshot() (test/cloud/admin/helpers.ts) reads the same documents straight from this engine
  Object.defineProperty(db, LOCAL_ENGINE, { value: lc.engine, enumerable: false })
  const send = async (name: string, action: string, input: unknown, openid: string): Promise<Reply> =>
    (await post(`${lc.url}/functions/${name}`, { action, input }, { 'X-WX-OPENID': openid })).body
  const call: AppCloud['call'] = (name, action, input, openid) => send(name, action, input, openid)
  return {
    lc,
    sdk,
    db,
    call,
    async ok(name, action, input, openid) {
      const res = await call(name, action, input, openid)
      if (!res.ok) throw new Error(`${name}.${action} as ${openid}: ${res.code} ${res.message}`)
      return res.data as ActionOutput<typeof name, typeof action>
    },
    send,
    invoke: async (name, action, input, openid) => (await lc.invoke(name, { action, input }, openid ? { openid } : {})) as Answer<any>,
    async pay(outTradeNo, payOpts = {}) {
      const res = await post(`${lc.url}/pay/orders/${outTradeNo}/pay`, payOpts)
      if (res.status !== 200) throw new Error(`pay ${outTradeNo}: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body.results
    },
    async stop() {
      await lc.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export async function addStore(db: any, id: string, name = `门店${id}`): Promise<void> {
  await db.collection(COLLECTIONS.stores).add({
    data: { _id: id, name, address: '上海市徐汇区漕溪北路 1 号', phone: '021-00000000', hours: '08:00-22:00', latitude: 31.19, longitude: 121.43, status: 'open', createdAt: new Date() },
  })
}

/** Everything for one member, to check invariants. */
export async function memberState(db: any, openid: string) {
  const member = (await db.collection(COLLECTIONS.members).where({ openid }).get()).data[0] ?? null
  const ledger = member ? (await db.collection(COLLECTIONS.pointsLedger).where({ memberId: member._id }).limit(1000).get()).data : []
  return { member, ledger, ledgerSum: ledger.reduce((s: number, l: any) => s + l.delta, 0), debtSum: ledger.reduce((s: number, l: any) => s + l.debtDelta, 0) }
}
