/**
 * Bench section for segments and targeted campaigns: the audience count of a segment over
 * 100,000 members (an exact member-field segment: one count; a windowed-frequency segment: the
 * batched scan with one orders aggregate per page), in time and database requests, through the
 * admin function's segments.preview; and a campaign's throughput (members per second through
 * campaigns.run) with the database operations per member.
 *
 *   npm run bench -- --only segments [--docs 100000]
 */
import fs from 'fs'
import path from 'path'
import { startLocalCloud, type LocalCloud } from '../../local-cloud/src/server'
import { schema } from '../../database/schema'
import { COLLECTIONS } from '../../cloudfunctions/shared/collections'
import { newMember } from '../../cloudfunctions/services/capture'
import { buildFunctions, FUNCTIONS_OUT_DIR } from '../build'
import type { BenchRow, BenchSection } from '../bench'

type Counts = Record<string, number>
type Engine = { handle(b: Record<string, unknown>): Promise<Record<string, unknown>> }

const READS = ['database.getDocument', 'database.calculateDocument', 'database.aggregateDocuments']
const WRITES = ['database.insertDocument', 'database.modifyDocument', 'database.removeDocument']
const sum = (c: Counts, keys: string[]): number => keys.reduce((s, k) => s + (c[k] ?? 0), 0)
const DAY = 86_400_000

async function countDbActions(cloud: LocalCloud, body: () => Promise<void>): Promise<Counts> {
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

async function call<T>(url: string, openid: string, action: string, input: unknown): Promise<T> {
  const res = await fetch(`${url}/functions/admin`, { method: 'POST', headers: { 'X-WX-OPENID': openid, 'content-type': 'application/json' }, body: JSON.stringify({ action, input }) })
  const body = (await res.json()) as Answer<T>
  if (!body.ok) throw new Error(`admin.${action}: ${body.code} ${body.message}`)
  return body.data
}

const date = (ms: number) => ({ $date: new Date(ms).toISOString() })

export const segmentsSection: BenchSection = {
  name: 'segments',
  async run(ctx) {
    await buildFunctions({ outDir: FUNCTIONS_OUT_DIR })
    const dataDir = path.join(ctx.workDir, 'segments')
    fs.mkdirSync(dataDir, { recursive: true })
    const cloud = await startLocalCloud({ port: 0, dataDir, functionsDir: FUNCTIONS_OUT_DIR, schema, quiet: true, timers: false, maxWorkersPerFunction: 4 })
    try {
      const engine: Engine = cloud.engine
      const insertMany = async (collection: string, docs: object[]) => {
        const res = await engine.handle({ action: 'database.insertDocument', collectionName: collection, data: docs.map((d) => JSON.stringify(d)) })
        if (res.code) throw new Error(`bench seed ${collection}: ${JSON.stringify(res)}`)
      }
      const now = Date.now()
      await insertMany(COLLECTIONS.stores, [{ _id: 'bench-store', name: '压测门店', status: 'open', address: '', phone: '', hours: '', latitude: 0, longitude: 0, createdAt: date(now) }])
      const owner = 'o-bench-owner'
      await insertMany(COLLECTIONS.staff, [{ _id: owner, openid: owner, name: '压测老板', role: 'owner', storeIds: [], invitedBy: null, createdAt: date(now) }])
      // ctx.docs members; every 10th visited within 30 days with an order then; every 50th lapsed and tagged for the campaign.
      const n = ctx.docs
      for (let start = 0; start < n; start += 1000) {
        const members: object[] = []
        const orders: object[] = []
        for (let i = start; i < Math.min(n, start + 1000); i += 1) {
          const openid = `o-bench-seg-${String(i).padStart(6, '0')}`
          const recent = i % 10 === 0
          const visit = now - (recent ? 5 : 200) * DAY
          members.push({ ...newMember(openid, String(70_000_000 + i), { storeId: 'bench-store', touchpoint: 'poster' }, null, new Date(visit)), tierLevel: (i % 3) + 1, lastVisitAt: date(visit), paidOrderCount: 1, totalSpentFen: 3000, storeVisits: { 'bench-store': 1 }, manualTags: i % 50 === 0 ? ['压测发券'] : [], createdAt: date(visit), updatedAt: date(visit) })
          if (recent) orders.push({ _id: `bench-seg-o${i}`, outTradeNo: `BSEG${i}`, openid, memberId: `m_${openid}`, storeId: 'bench-store', amountFen: 3000, status: 'paid', channel: 'cashier', clerkOpenid: null, touchpoint: '', pointsEarned: 0, joined: false, transactionId: null, createdAt: date(visit), paidAt: date(visit), refundedAt: null })
        }
        await insertMany(COLLECTIONS.members, members)
        if (orders.length) await insertMany(COLLECTIONS.orders, orders)
      }

      const rows: BenchRow[] = []
      const measure = async (label: string, root: unknown) => {
        type Preview = { count: number; cost: { reads: number; scanned: number; complete: boolean } }
        const answers: Preview[] = []
        const started = Date.now()
        const counts = await countDbActions(cloud, async () => {
          answers.push(await call<Preview>(cloud.url, owner, 'segments.preview', { root }))
        })
        const ms = Date.now() - started
        const a = answers[0]
        rows.push({ section: 'segments', metric: `${label}: audience count time (${n} members, ${a.count} in segment${a.cost.complete ? '' : ', budget ran out'})`, value: ms, unit: 'ms' })
        // The preview's own reads plus the staff/settings reads every admin call makes.
        rows.push({ section: 'segments', metric: `${label}: db reads`, value: sum(counts, READS), unit: 'ops' })
      }
      await measure('tier segment (exact where)', { op: 'and', items: [{ kind: 'tier', levels: [2] }] })
      await measure('≥ 1 paid order in 30 days (scan + orders aggregate)', { op: 'and', items: [{ kind: 'frequency', windowDays: 30, op: 'gte', count: 1 }] })
      await measure('tier 1 and ≤ 0 orders in 30 days (full scan)', { op: 'and', items: [{ kind: 'tier', levels: [1] }, { kind: 'frequency', windowDays: 30, op: 'lte', count: 0 }] })

      // A campaign to the tagged members (n / 50) through campaigns.run until done.
      const tpl = await call<{ template: { id: string } }>(cloud.url, owner, 'couponTemplates.create', { storeId: null, title: '压测定向券', value: { type: 'cash', valueFen: 500 }, validity: { kind: 'relative', days: 30 }, stock: n })
      await call(cloud.url, owner, 'couponTemplates.setStatus', { templateId: tpl.template.id, to: 'active' })
      const made = await call<{ campaign: { id: string } }>(cloud.url, owner, 'campaigns.create', { name: '压测活动', root: { op: 'and', items: [{ kind: 'tag', source: 'manual', tag: '压测发券', has: true }] }, templateId: tpl.template.id })
      let issued = 0
      const started = Date.now()
      const counts = await countDbActions(cloud, async () => {
        for (let i = 0; i < 1000; i += 1) {
          const r = await call<{ campaign: { status: string }; progress: { issued: number } }>(cloud.url, owner, 'campaigns.run', { campaignId: made.campaign.id })
          issued = r.progress.issued
          if (r.campaign.status === 'done') break
        }
      })
      const seconds = (Date.now() - started) / 1000
      rows.push({ section: 'segments', metric: `campaign throughput (${issued} members, one invocation at a time)`, value: Math.round(issued / seconds), unit: 'members/s' })
      rows.push({ section: 'segments', metric: 'campaign: db reads per member', value: Math.round((sum(counts, READS) / issued) * 10) / 10, unit: 'ops' })
      rows.push({ section: 'segments', metric: 'campaign: db writes per member', value: Math.round((sum(counts, WRITES) / issued) * 10) / 10, unit: 'ops' })
      rows.push({ section: 'segments', metric: 'campaign: transactions per member', value: Math.round(((counts['database.startTransaction'] ?? 0) / issued) * 10) / 10, unit: 'txn' })
      return rows
    } finally {
      await cloud.close()
    }
  },
}
