/**
 * First-run setup of a cloud environment (system.setup; npm run deploy runs it after uploading,
 * and it is safe to run again at any time):
 *   1. creates every collection of database/schema.ts with db.createCollection — one that exists
 *      already is answered DATABASE_COLLECTION_ALREADY_EXIST by the cloud, which counts as done;
 *   2. creates the merchant document with the deployed brand name when there is none;
 *   3. probes each unique index the exactly-once rules rely on: no API lists or creates indexes
 *      (the console's 数据库 → 索引管理 does), so it writes two documents that index must refuse
 *      and reads the answer, then removes both;
 *   4. stores the report (system_status/setup): the owner's admin home warns and the deploy
 *      doctor lists what remains until every unique index is confirmed.
 * Concurrent runs are independent: each probes with its own random values and removes only its
 * own documents, so two runs cannot make each other's probe pass or fail.
 */
import { randomBytes } from 'node:crypto'
import { schema, type IndexSpec } from '../../database/schema'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { getDoc } from './db-util'
import { MERCHANT_DOC_ID } from './documents'

export const SETUP_STATUS_ID = 'setup'
/** A probe document older than this was left by a run that died mid-probe; a later run removes it. */
const STALE_PROBE_MS = 10 * 60 * 1000

export type IndexStatus = 'confirmed' | 'missing' | 'unverifiable' | 'error'

export interface IndexReport {
  collection: string
  name: string
  keys: IndexSpec['keys']
  unique: boolean
  /**
   * confirmed: the unique index refused a duplicate; missing: it accepted one; unverifiable: a
   * non-unique index (no write can tell whether it exists: create it by hand for speed);
   * error: the probe itself failed (detail says how).
   */
  status: IndexStatus
  detail?: string
}

export interface SetupReport {
  ready: boolean
  checkedAt: string
  collections: { created: string[]; existing: string[]; failed: { name: string; detail: string }[] }
  merchantCreated: boolean
  indexes: IndexReport[]
}

/** What the owner's admin home shows (admin.me) and the doctor prints. */
export interface SetupNotice {
  state: 'ready' | 'not-run' | 'incomplete'
  checkedAt: string | null
  /** Human-readable remaining steps (Chinese). */
  remaining: string[]
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}

function errorCode(e: unknown): string {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : ''
}

function isDuplicateKey(e: unknown): boolean {
  return /E11000|duplicate key/i.test(errorText(e))
}

function describeKeys(keys: IndexSpec['keys']): string {
  return Object.entries(keys)
    .map(([field, dir]) => `${field} ${dir === 1 ? '升序' : dir === -1 ? '降序' : '地理位置'}`)
    .join('，')
}

export function indexInstruction(r: Pick<IndexReport, 'collection' | 'name' | 'keys' | 'unique'>): string {
  return `集合 ${r.collection} 创建索引 ${r.name}：${describeKeys(r.keys)}${r.unique ? '，唯一' : '，非唯一'}`
}

async function createCollections(db: Database): Promise<SetupReport['collections']> {
  const out: SetupReport['collections'] = { created: [], existing: [], failed: [] }
  for (const name of Object.keys(schema)) {
    try {
      await db.createCollection(name)
      out.created.push(name)
    } catch (e) {
      if (errorCode(e) === 'DATABASE_COLLECTION_ALREADY_EXIST' || /already exist/i.test(errorText(e))) out.existing.push(name)
      else out.failed.push({ name, detail: errorText(e) })
    }
  }
  return out
}

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.')
  let at = doc
  for (const p of parts.slice(0, -1)) {
    if (typeof at[p] !== 'object' || at[p] === null) at[p] = {}
    at = at[p] as Record<string, unknown>
  }
  at[parts[parts.length - 1]] = value
}

/** Probe documents: every unique field set (unique indexes are not sparse), marked as probes. */
function probeDoc(id: string, run: string, now: Date, fields: string[], shared: Record<string, string>): Record<string, unknown> {
  const doc: Record<string, unknown> = { _id: id, setupProbe: run, setupProbeAt: now }
  for (const f of fields) setPath(doc, f, shared[f] ?? `__setup_probe_${randomBytes(8).toString('hex')}`)
  return doc
}

async function removeQuietly(db: Database, collection: string, id: string): Promise<void> {
  try {
    await db.collection(collection).doc(id).remove()
  } catch {
    // already gone
  }
}

async function probeUnique(db: Database, collection: string, index: IndexSpec, now: Date): Promise<IndexReport> {
  const base = { collection, name: index.name, keys: index.keys, unique: true }
  const uniqueFields = [...new Set(schema[collection as keyof typeof schema].indexes.filter((i) => i.unique).flatMap((i) => Object.keys(i.keys)))]
  const run = randomBytes(8).toString('hex')
  const shared = Object.fromEntries(Object.keys(index.keys).map((f) => [f, `__setup_probe_${run}_${f}`]))
  const a = `__setup_probe_${run}_a`
  const b = `__setup_probe_${run}_b`
  try {
    try {
      await db.collection(collection).add({ data: probeDoc(a, run, now, uniqueFields, shared) })
    } catch (e) {
      return { ...base, status: 'error', detail: `探测写入失败：${errorText(e)}` }
    }
    try {
      await db.collection(collection).add({ data: probeDoc(b, run, now, uniqueFields, shared) })
      return { ...base, status: 'missing' }
    } catch (e) {
      if (isDuplicateKey(e)) return { ...base, status: 'confirmed' }
      return { ...base, status: 'error', detail: `探测写入失败：${errorText(e)}` }
    }
  } finally {
    await removeQuietly(db, collection, a)
    await removeQuietly(db, collection, b)
  }
}

async function removeStaleProbes(db: Database, collection: string, now: Date): Promise<void> {
  const _ = db.command
  try {
    await db.collection(collection).where({ setupProbeAt: _.lt(new Date(now.getTime() - STALE_PROBE_MS)) }).remove()
  } catch {
    // a collection that could not be created; reported already
  }
}

async function ensureMerchant(db: Database, brandName: string, now: Date): Promise<boolean> {
  if (await getDoc(db, COLLECTIONS.merchant, MERCHANT_DOC_ID)) return false
  try {
    await db.collection(COLLECTIONS.merchant).add({ data: { _id: MERCHANT_DOC_ID, brandName, createdAt: now } })
    return true
  } catch (e) {
    // A concurrent run (or the owner saving settings) created it first: that one stands.
    if (isDuplicateKey(e)) return false
    throw e
  }
}

export async function runSetup(db: Database, opts: { now: Date; brandName: string }): Promise<SetupReport> {
  const collections = await createCollections(db)
  const usable = new Set([...collections.created, ...collections.existing])
  const merchantCreated = usable.has(COLLECTIONS.merchant) ? await ensureMerchant(db, opts.brandName, opts.now) : false
  const indexes: IndexReport[] = []
  for (const [collection, spec] of Object.entries(schema)) {
    if (!usable.has(collection)) continue
    if (spec.indexes.some((i) => i.unique)) await removeStaleProbes(db, collection, opts.now)
    for (const index of spec.indexes) {
      if (index.unique) indexes.push(await probeUnique(db, collection, index, opts.now))
      else indexes.push({ collection, name: index.name, keys: index.keys, unique: false, status: 'unverifiable' })
    }
  }
  const ready = collections.failed.length === 0 && indexes.every((i) => !i.unique || i.status === 'confirmed')
  const report: SetupReport = { ready, checkedAt: opts.now.toISOString(), collections, merchantCreated, indexes }
  if (usable.has(COLLECTIONS.systemStatus)) {
    await db.collection(COLLECTIONS.systemStatus).doc(SETUP_STATUS_ID).set({ data: { ...report, updatedAt: opts.now } })
  }
  return report
}

/** The remaining steps a report implies, in the words the owner and the doctor show. */
export function remainingSteps(report: Pick<SetupReport, 'collections' | 'indexes'>): string[] {
  const steps: string[] = []
  for (const f of report.collections.failed) steps.push(`集合 ${f.name} 创建失败（${f.detail}）：请在 云开发控制台 → 数据库 手动创建`)
  for (const i of report.indexes) {
    if (!i.unique) continue
    if (i.status === 'missing') steps.push(`缺少唯一索引 — 云开发控制台 → 数据库 → ${i.collection} → 索引管理 → 添加索引：${indexInstruction(i)}`)
    if (i.status === 'error') steps.push(`无法确认唯一索引 ${i.collection}.${i.name}（${i.detail ?? '未知错误'}）`)
  }
  return steps
}

export async function setupNotice(db: Database): Promise<SetupNotice> {
  let stored: SetupReport | null = null
  try {
    stored = await getDoc<SetupReport>(db, COLLECTIONS.systemStatus, SETUP_STATUS_ID)
  } catch {
    stored = null
  }
  if (!stored) {
    return { state: 'not-run', checkedAt: null, remaining: ['尚未完成部署初始化：请运行 npm run deploy，或在 云开发控制台 → 云函数 → system → 云端测试 以 {"action":"setup"} 调用一次'] }
  }
  const remaining = remainingSteps(stored)
  return { state: stored.ready && remaining.length === 0 ? 'ready' : 'incomplete', checkedAt: stored.checkedAt, remaining }
}
