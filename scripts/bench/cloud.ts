/**
 * How a bench section starts its local cloud: the app's functions built (reused when unchanged,
 * scripts/build.ts), a data folder of its own under the bench's work folder, timers off, and
 * shortcuts straight into the engine (the SDK in this process may be bound to another section's
 * cloud) and through the gateway as a WeChat user.
 */
import fs from 'fs'
import path from 'path'
import { startLocalCloud, type LocalCloud } from '../../local-cloud/src/server'
import type { LocalCloudOptions } from '../../local-cloud/src/options'
import { schema } from '../../database/schema'
import { buildFunctions, FUNCTIONS_OUT_DIR } from '../build'
import type { BenchContext } from '../bench'
import type { ActionInput, ActionName, ActionOutput, FunctionName } from '../../cloudfunctions/shared/contract'

export type Counts = Record<string, number>
export type Engine = { handle(b: Record<string, unknown>): Promise<Record<string, unknown>> }

export const READS = ['database.getDocument', 'database.calculateDocument', 'database.aggregateDocuments']
export const WRITES = ['database.insertDocument', 'database.modifyDocument', 'database.removeDocument']
export const sum = (c: Counts, keys: string[]): number => keys.reduce((s, k) => s + (c[k] ?? 0), 0)

/** Counts database actions by name while `body` runs (wraps the engine the server dispatches to). */
export async function countDbActions(cloud: LocalCloud, body: () => Promise<unknown>): Promise<Counts> {
  const engine: Engine = cloud.engine
  const original = engine.handle.bind(engine)
  const counts: Counts = {}
  engine.handle = async (b) => {
    const action = String(b.action)
    counts[action] = (counts[action] ?? 0) + 1
    return original(b)
  }
  try {
    await body()
  } finally {
    engine.handle = original
  }
  return counts
}

type Answer<T> = { ok: true; data: T } | { ok: false; code: string; message: string }

export interface BenchCloud {
  cloud: LocalCloud
  engine: Engine
  /** Inserts one document straight into the engine (seeding; counts nothing). */
  insert(collection: string, doc: Record<string, unknown>): Promise<void>
  /** One invocation through the gateway as `openid`, typed by the contract; refusals throw. */
  call<F extends FunctionName, A extends ActionName<F>>(fn: F, openid: string, action: A, input: ActionInput<F, A>): Promise<ActionOutput<F, A>>
  /** Counts database actions by name while `body` runs (wraps the engine the server dispatches to). */
  count(body: () => Promise<unknown>): Promise<Counts>
  close(): Promise<void>
}

/** Starts the cloud for section `name` (its data in `<workDir>/<name>`); `opts` pass through to the local cloud. */
export async function startBenchCloud(ctx: BenchContext, name: string, opts: Partial<LocalCloudOptions> = {}): Promise<BenchCloud> {
  await buildFunctions({ outDir: FUNCTIONS_OUT_DIR })
  const dataDir = path.join(ctx.workDir, name)
  fs.mkdirSync(dataDir, { recursive: true })
  const cloud = await startLocalCloud({ port: 0, dataDir, functionsDir: FUNCTIONS_OUT_DIR, schema, quiet: true, timers: false, ...opts })
  const engine: Engine = cloud.engine
  return {
    cloud,
    engine,
    async insert(collection, doc) {
      const res = await engine.handle({ action: 'database.insertDocument', collectionName: collection, data: [JSON.stringify(doc)] })
      if (res.code) throw new Error(`bench seed ${collection}: ${JSON.stringify(res)}`)
    },
    async call(fn, openid, action, input) {
      const res = await fetch(`${cloud.url}/functions/${fn}`, { method: 'POST', headers: { 'X-WX-OPENID': openid, 'content-type': 'application/json' }, body: JSON.stringify({ action, input }) })
      const body = (await res.json()) as Answer<ActionOutput<typeof fn, typeof action>>
      if (!body.ok) throw new Error(`${fn}.${String(action)}: ${body.code} ${body.message}`)
      return body.data
    },
    count: (body) => countDbActions(cloud, body),
    close: () => cloud.close(),
  }
}
