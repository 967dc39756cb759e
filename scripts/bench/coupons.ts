/**
 * Bench section for coupons: claims per second on one template (the hot stock document a flash
 * campaign creates) at concurrency 16 and 64, verifications per second, and the database
 * operations one claim, one verification and one coupon-paid order cost.
 */
import fs from 'fs'
import path from 'path'
import { startLocalCloud, type LocalCloud } from '../../local-cloud/src/server'
import { schema } from '../../database/schema'
import { COLLECTIONS } from '../../cloudfunctions/shared/collections'
import { buildFunctions, FUNCTIONS_OUT_DIR } from '../build'
import type { BenchRow, BenchSection } from '../bench'
import type { ActionInput, ActionName, ActionOutput, FunctionName } from '../../cloudfunctions/shared/contract'

type Counts = Record<string, number>
type Engine = { handle(b: Record<string, unknown>): Promise<Record<string, unknown>> }

const READS = ['database.getDocument', 'database.calculateDocument', 'database.aggregateDocuments']
const WRITES = ['database.insertDocument', 'database.modifyDocument', 'database.removeDocument']
const sum = (c: Counts, keys: string[]): number => keys.reduce((s, k) => s + (c[k] ?? 0), 0)

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

/** One invocation through the gateway as `openid`, typed by the contract; refusals throw. */
async function call<F extends FunctionName, A extends ActionName<F>>(url: string, fn: F, openid: string, action: A, input: ActionInput<F, A>): Promise<ActionOutput<F, A>> {
  const res = await fetch(`${url}/functions/${fn}`, { method: 'POST', headers: { 'X-WX-OPENID': openid, 'content-type': 'application/json' }, body: JSON.stringify({ action, input }) })
  const body = (await res.json()) as Answer<ActionOutput<F, A>>
  if (!body.ok) throw new Error(`${fn}.${action}: ${body.code} ${body.message}`)
  return body.data
}

/** Runs `op(i)` for i in [0, n) from `concurrency` loops; answers operations per second. */
async function rate(n: number, concurrency: number, op: (i: number) => Promise<void>): Promise<number> {
  let next = 0
  const started = Date.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(next++)
    }),
  )
  return Math.round(n / ((Date.now() - started) / 1000))
}

export const couponsSection: BenchSection = {
  name: 'coupons',
  async run(ctx) {
    await buildFunctions({ outDir: FUNCTIONS_OUT_DIR })
    const dataDir = path.join(ctx.workDir, 'coupons')
    fs.mkdirSync(dataDir, { recursive: true })
    const cloud = await startLocalCloud({ port: 0, dataDir, functionsDir: FUNCTIONS_OUT_DIR, schema, quiet: true, timers: false, maxWorkersPerFunction: 16 })
    try {
      const engine: Engine = cloud.engine
      const insert = async (collection: string, doc: Record<string, unknown>) => {
        const res = await engine.handle({ action: 'database.insertDocument', collectionName: collection, data: [JSON.stringify(doc)] })
        if (res.code) throw new Error(`bench seed ${collection}: ${JSON.stringify(res)}`)
      }
      const now = new Date().toISOString()
      await insert(COLLECTIONS.stores, { _id: 'bench-store', name: '压测门店', status: 'open', address: '', phone: '', hours: '', latitude: 0, longitude: 0, createdAt: now })
      await insert(COLLECTIONS.staff, { _id: 'o-bench-owner', openid: 'o-bench-owner', name: '压测老板', role: 'owner', storeIds: [], invitedBy: null, createdAt: now })
      const owner = 'o-bench-owner'
      const template = async (title: string, stock: number): Promise<string> => {
        const made = await call(cloud.url, 'admin', owner, 'couponTemplates.create', { storeId: null, title, value: { type: 'cash', valueFen: 300 }, validity: { kind: 'relative', days: 30 }, stock })
        await call(cloud.url, 'admin', owner, 'couponTemplates.setStatus', { templateId: made.template.id, to: 'active' })
        return made.template.id
      }
      const claim = (templateId: string, openid: string) => call(cloud.url, 'member', openid, 'claimCoupon', { templateId })

      // Warm-up: start the worker pools (cold starts are not what this measures).
      const warm = await template('预热', 1000)
      await Promise.all(Array.from({ length: 16 }, (_, i) => claim(warm, `o-warm-${i}`)))

      // Claims on one template: every claim takes its unit from the same stock document.
      const hot = await template('秒杀券', 100_000)
      const at16 = await rate(800, 16, async (i) => void (await claim(hot, `o-c16-${i}`)))
      const at64 = await rate(1600, 64, async (i) => void (await claim(hot, `o-c64-${i}`)))

      // Cost of one claim (a fresh member on a warm template).
      const claimCounts = await countDbActions(cloud, async () => void (await claim(hot, 'o-cost-claim')))

      // Verifications: coupons claimed and looked up first (tickets), then confirmed 8 at a time.
      const verifyTemplate = await template('核销压测', 10_000)
      const coupons: { id: string; openid: string }[] = []
      for (let i = 0; i < 400; i += 16) {
        const batch = await Promise.all(Array.from({ length: 16 }, async (_, j) => ({ id: (await claim(verifyTemplate, `o-v-${i + j}`)).coupon.id, openid: `o-v-${i + j}` })))
        coupons.push(...batch)
      }
      // The code the member's coupon page shows, then the clerk's lookup of it (which hands out the ticket).
      const lookup = async (cp: { id: string; openid: string }) => {
        const shown = await call(cloud.url, 'member', cp.openid, 'couponCode', { couponId: cp.id })
        return call(cloud.url, 'admin', owner, 'coupons.lookup', { storeId: 'bench-store', code: shown.code })
      }
      const tickets: string[] = []
      for (let i = 0; i < coupons.length; i += 16) {
        const found = await Promise.all(coupons.slice(i, i + 16).map((cp) => lookup(cp)))
        tickets.push(...found.map((f) => f.coupons[0]?.ticket ?? ''))
      }
      const costCoupon = tickets.pop() as string
      const last = coupons[coupons.length - 1]
      const shownLast = await call(cloud.url, 'member', last.openid, 'couponCode', { couponId: last.id })
      const lookupCounts = await countDbActions(cloud, async () => void (await call(cloud.url, 'admin', owner, 'coupons.lookup', { storeId: 'bench-store', code: shownLast.code })))
      const verify = (ticket: string, i: number) => call(cloud.url, 'admin', owner, 'coupons.verify', { storeId: 'bench-store', ticket, requestId: `bench-verify-${i}` })
      const verifications = await rate(tickets.length, 8, async (i) => void (await verify(tickets[i], i)))
      const verifyCounts = await countDbActions(cloud, async () => void (await verify(costCoupon, 99_999)))

      // A coupon-paid order: createOrder with the coupon, then WeChat Pay's callback (a repeat payer).
      const payer = 'o-bench-payer'
      const first = await call(cloud.url, 'member', payer, 'createOrder', { storeId: 'bench-store', amountFen: 2580 })
      await cloud.invoke('member', { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: first.outTradeNo, totalFee: 2580, transactionId: 'bench-first' }, { openid: payer, source: 'wx_paycallback' })
      const payCoupon = await claim(hot, payer)
      let paidNo = ''
      const orderCounts = await countDbActions(cloud, async () => {
        const placed = await call(cloud.url, 'member', payer, 'createOrder', { storeId: 'bench-store', amountFen: 2580, couponId: payCoupon.coupon.id })
        paidNo = placed.outTradeNo
      })
      const callbackCounts = await countDbActions(cloud, async () => {
        const res = (await cloud.invoke('member', { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: paidNo, totalFee: 2280, transactionId: 'bench-coupon' }, { openid: payer, source: 'wx_paycallback' })) as { errcode: number }
        if (res.errcode !== 0) throw new Error(`callback: ${JSON.stringify(res)}`)
      })

      const rows: BenchRow[] = [
        { section: 'coupons', metric: 'claims on one template (concurrency 16)', value: at16, unit: 'claims/s' },
        { section: 'coupons', metric: 'claims on one template (concurrency 64)', value: at64, unit: 'claims/s' },
        { section: 'coupons', metric: 'verifications (concurrency 8)', value: verifications, unit: 'verifications/s' },
      ]
      const costs = [
        ['claim', claimCounts],
        ['counter lookup (scan code)', lookupCounts],
        ['verification', verifyCounts],
        ['coupon order: createOrder', orderCounts],
        ['coupon order: pay callback', callbackCounts],
      ] as const
      for (const [label, c] of costs) {
        rows.push({ section: 'coupons', metric: `${label}: db reads`, value: sum(c, READS), unit: 'ops' })
        rows.push({ section: 'coupons', metric: `${label}: db writes`, value: sum(c, WRITES), unit: 'ops' })
        rows.push({ section: 'coupons', metric: `${label}: transactions`, value: c['database.startTransaction'] ?? 0, unit: 'txn' })
      }
      return rows
    } finally {
      await cloud.close()
    }
  },
}
