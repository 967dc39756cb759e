/**
 * `npm run bench`: figures for the local cloud, measured through the real clients (the
 * unmodified wx-server-sdk and HTTP), against the targets in the design.
 *
 *   npm run bench -- [--docs 100000]
 *
 * Sections run in order and share one context; add a section to `benchSections` to extend it.
 */
import fs from 'fs'
import os from 'os'
import path from 'path'
import { parseArgs } from 'util'
import { startLocalCloud, type LocalCloud } from '../local-cloud/src/server'
import { paymentsSection } from './bench/payments'
import { couponsSection } from './bench/coupons'
// Reconciliation with WeChat Pay.
import { reconcileSection } from './bench/reconcile'
// Segments and targeted campaigns (segments).
import { segmentsSection } from './bench/segments'
// Deploy-gaps: the writing actions' operation counts.
import { adminActionsSection } from './bench/admin-actions'
import { textOf } from '../local-cloud/src/text'

const ROOT = path.resolve(__dirname, '..')
const FIXTURE_FUNCTIONS = path.join(ROOT, 'test', 'cloud', 'fixtures', 'functions')
const COLLECTION = 'bench'
const SCHEMA = { [COLLECTION]: { indexes: [{ name: 'key', keys: { key: 1 as const } }] } }

export interface BenchRow {
  section: string
  metric: string
  value: number
  unit: string
  /** e.g. { op: '<', value: 3000 } for "below 3 s". */
  target?: { op: '<' | '>='; value: number }
}

export interface BenchContext {
  workDir: string
  docs: number
  concurrency: number
  /** The running cloud, once a section started it (closed at the end). */
  cloud?: LocalCloud
  sdk?: BenchSdk
}

export interface BenchSection {
  name: string
  run(ctx: BenchContext): Promise<BenchRow[]>
}

/** The parts of wx-server-sdk used here (its .d.ts lacks serviceUrl/secretId). */
interface BenchSdk {
  init(config: Record<string, unknown>): void
  database(): {
    command: { gte(v: number): unknown; inc(v: number): unknown }
    collection(name: string): {
      where(q: Record<string, unknown>): {
        get(): Promise<{ data: unknown[] }>
        update(o: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>
      }
    }
  }
}

async function start(ctx: BenchContext, reset: boolean): Promise<LocalCloud> {
  return startLocalCloud({
    port: 0,
    dataDir: path.join(ctx.workDir, 'data'),
    functionsDir: FIXTURE_FUNCTIONS,
    schema: SCHEMA,
    reset,
    quiet: true,
    timers: false,
  })
}

function sdkFor(cloud: LocalCloud): BenchSdk {
  process.env.TENCENTCLOUD = 'true'
  process.env.SILENCE = 'true'
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('wx-server-sdk') as BenchSdk
  sdk.init({ env: 'local', serviceUrl: `${cloud.url}/tcb`, secretId: 'local', secretKey: 'local' })
  return sdk
}

/** Runs `op` from `concurrency` loops for about `ms`; answers operations per second. */
async function throughput(concurrency: number, ms: number, op: (i: number) => Promise<void>): Promise<number> {
  const until = Date.now() + ms
  let done = 0
  const started = Date.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        await op(done)
        done++
      }
    }),
  )
  return Math.round(done / ((Date.now() - started) / 1000))
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits

export const loadSection: BenchSection = {
  name: 'load',
  async run(ctx) {
    const cloud = await start(ctx, true)
    const started = Date.now()
    const batch = 1000
    for (let i = 0; i < ctx.docs; i += batch) {
      const data: string[] = []
      for (let j = i; j < Math.min(i + batch, ctx.docs); j++) {
        data.push(JSON.stringify({ _id: `d${j}`, key: `k${j}`, n: { $numberInt: '0' }, group: { $numberInt: String(j % 100) }, title: `document ${j}` }))
      }
      const reply = await cloud.engine.handle({ action: 'database.insertDocument', collectionName: COLLECTION, data })
      if (reply.code) throw new Error(`load failed: ${textOf(reply.code)} ${textOf(reply.message)}`)
    }
    const ms = Date.now() - started
    await cloud.close()
    return [{ section: 'load', metric: `insert ${ctx.docs} docs (engine, batches of ${batch})`, value: Math.round(ctx.docs / (ms / 1000)), unit: 'docs/s' }]
  },
}

export const startupSection: BenchSection = {
  name: 'start-up',
  async run(ctx) {
    const started = Date.now()
    ctx.cloud = await start(ctx, false)
    const ms = Date.now() - started
    ctx.sdk = sdkFor(ctx.cloud)
    const count = ctx.cloud.engine.stats().collections[COLLECTION] ?? 0
    if (count !== ctx.docs) throw new Error(`expected ${ctx.docs} docs after restart, found ${count}`)
    return [{ section: 'start-up', metric: `restart with ${ctx.docs} docs`, value: ms, unit: 'ms', target: { op: '<', value: 3000 } }]
  },
}

export const lookupSection: BenchSection = {
  name: 'lookups',
  async run(ctx) {
    const coll = (ctx.sdk as BenchSdk).database().collection(COLLECTION)
    const perSecond = await throughput(ctx.concurrency, 3000, async () => {
      const j = Math.floor(Math.random() * ctx.docs)
      const res = await coll.where({ key: `k${j}` }).get()
      if (res.data.length !== 1) throw new Error(`lookup k${j} found ${res.data.length}`)
    })
    return [{ section: 'lookups', metric: `indexed equality get, SDK, concurrency ${ctx.concurrency}`, value: perSecond, unit: 'ops/s', target: { op: '>=', value: 1000 } }]
  },
}

export const updateSection: BenchSection = {
  name: 'updates',
  async run(ctx) {
    const db = (ctx.sdk as BenchSdk).database()
    const _ = db.command
    const perSecond = await throughput(ctx.concurrency, 3000, async () => {
      const j = Math.floor(Math.random() * ctx.docs)
      const res = await db.collection(COLLECTION).where({ _id: `d${j}`, n: _.gte(0) }).update({ data: { n: _.inc(1) } })
      if (res.stats.updated !== 1) throw new Error(`update d${j} updated ${res.stats.updated}`)
    })
    return [{ section: 'updates', metric: `conditional update, SDK, concurrency ${ctx.concurrency}`, value: perSecond, unit: 'ops/s' }]
  },
}

export const gatewaySection: BenchSection = {
  name: 'gateway',
  async run(ctx) {
    const url = `${(ctx.cloud as LocalCloud).url}/functions/echo`
    const call = async (): Promise<void> => {
      const res = await fetch(url, { method: 'POST', headers: { 'X-WX-OPENID': 'o-bench' }, body: '{"ping":1}' })
      if (res.status !== 200) throw new Error(`gateway answered ${res.status}`)
      await res.arrayBuffer()
    }
    for (let i = 0; i < 50; i++) await call() // warm-up: worker started, module loaded
    const times: number[] = []
    for (let i = 0; i < 1000; i++) {
      const t0 = process.hrtime.bigint()
      await call()
      times.push(Number(process.hrtime.bigint() - t0) / 1e6)
    }
    times.sort((a, b) => a - b)
    return [
      { section: 'gateway', metric: 'warm invocation p50 (1000 sequential)', value: round(percentile(times, 50), 2), unit: 'ms', target: { op: '<', value: 20 } },
      { section: 'gateway', metric: 'warm invocation p99', value: round(percentile(times, 99), 2), unit: 'ms' },
    ]
  },
}

/** Figures from the database engine's own bench, when local-cloud/src/database/bench.ts has one. */
export const databaseModuleSection: BenchSection = {
  name: 'database engine',
  async run() {
    const base = path.join(ROOT, 'local-cloud', 'src', 'database', 'bench')
    if (!fs.existsSync(`${base}.ts`)) return []
    const mod = (await import(base)) as { benchDatabase?: () => Promise<unknown> }
    if (typeof mod.benchDatabase !== 'function') return []
    return toRows('database engine', await mod.benchDatabase())
  },
}

/** Accepts rows, a list of `{name|metric, value, unit}`, or a flat object of numbers. */
function toRows(section: string, result: unknown): BenchRow[] {
  const list = Array.isArray(result)
    ? result
    : result && typeof result === 'object'
      ? Object.entries(result as Record<string, unknown>).map(([metric, value]) => ({ metric, value }))
      : []
  return list
    .filter((r): r is Record<string, unknown> => !!r && typeof r === 'object')
    .map((r) => ({
      section,
      metric: textOf(r.metric ?? r.name ?? '?'),
      value: typeof r.value === 'number' ? r.value : Number(r.value),
      unit: typeof r.unit === 'string' ? r.unit : '',
      target: isTarget(r.target) ? r.target : undefined,
    }))
}

function isTarget(t: unknown): t is BenchRow['target'] {
  return !!t && typeof t === 'object' && ((t as { op?: unknown }).op === '<' || (t as { op?: unknown }).op === '>=')
}

export const benchSections: BenchSection[] = [loadSection, startupSection, lookupSection, updateSection, gatewaySection, databaseModuleSection, paymentsSection, couponsSection, reconcileSection, segmentsSection, adminActionsSection]

export async function runBench(opts: { docs?: number; sections?: BenchSection[] } = {}): Promise<BenchRow[]> {
  const ctx: BenchContext = {
    workDir: fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-bench-')),
    docs: opts.docs ?? 100_000,
    concurrency: 16,
  }
  const rows: BenchRow[] = []
  try {
    for (const section of opts.sections ?? benchSections) {
      process.stderr.write(`bench: ${section.name}…\n`)
      rows.push(...(await section.run(ctx)))
    }
  } finally {
    await ctx.cloud?.close()
    fs.rmSync(ctx.workDir, { recursive: true, force: true })
  }
  // maxRSS is in KiB and covers the worker threads too (same process).
  rows.push({ section: 'memory', metric: 'peak RSS (server, workers, SDK client)', value: round(process.resourceUsage().maxRSS / 1024), unit: 'MB' })
  return rows
}

export function formatRows(rows: BenchRow[]): string {
  const cells = rows.map((r) => {
    const target = r.target ? `${r.target.op} ${r.target.value.toLocaleString('en-US')}` : ''
    const pass = r.target ? (r.target.op === '<' ? r.value < r.target.value : r.value >= r.target.value) : undefined
    return [r.section, r.metric, r.value.toLocaleString('en-US'), r.unit, target, pass === undefined ? '' : pass ? 'ok' : 'MISSED']
  })
  const header = ['section', 'metric', 'value', 'unit', 'target', '']
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)))
  const line = (c: string[]): string => c.map((v, i) => (i === 2 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd()
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n')
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { docs: { type: 'string' }, only: { type: 'string' } } })
  const docs = values.docs ? Number(values.docs) : undefined
  const sections = values.only ? benchSections.filter((s) => s.name === values.only) : undefined
  const rows = await runBench({ docs, sections })
  console.log(`\nlocal cloud bench (node ${process.version}, ${os.cpus().length} CPU)\n`)
  console.log(formatRows(rows))
  // Figures depend on the machine, so a missed target is reported, not turned into a failure.
  process.exit(0)
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  main().catch((err: Error) => {
    console.error(err.stack ?? err.message)
    process.exit(1)
  })
}
