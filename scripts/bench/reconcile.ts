/**
 * Bench section for reconciliation with WeChat Pay: database operations (the real cloud bills
 * per operation) of one pass of the member function's reconciliation timer — with nothing to do,
 * and with late orders to capture, young ones to leave and old unpaid ones to close — and of the
 * consumer's pay-result read that captures a late payment itself.
 */
import fs from 'fs'
import path from 'path'
import { startLocalCloud, type LocalCloud } from '../../local-cloud/src/server'
import { schema } from '../../database/schema'
import { COLLECTIONS } from '../../cloudfunctions/shared/collections'
import { buildFunctions, FUNCTIONS_OUT_DIR } from '../build'
import type { BenchRow, BenchSection } from '../bench'
import { countDbActions, READS, sum, WRITES } from './cloud'

type Engine = { handle(b: Record<string, unknown>): Promise<Record<string, unknown>> }

const MIN = 60_000

async function gatewayCall(url: string, openid: string, event: unknown): Promise<{ ok: boolean; data?: { outTradeNo?: string; status?: string } }> {
  const res = await fetch(`${url}/functions/member`, { method: 'POST', headers: { 'X-WX-OPENID': openid, 'content-type': 'application/json' }, body: JSON.stringify(event) })
  return (await res.json()) as { ok: boolean; data?: { outTradeNo?: string; status?: string } }
}

async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body) })
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`)
}

/** Straight into the engine: the SDK in this process may be bound to another section's cloud. */
async function backdate(engine: Engine, outTradeNo: string, ms: number): Promise<void> {
  const data = JSON.stringify({ $set: { createdAt: { $date: { $numberLong: String(Date.now() - ms) } } } })
  const res = await engine.handle({ action: 'database.modifyDocument', collectionName: COLLECTIONS.orders, query: JSON.stringify({ _id: outTradeNo }), queryType: 'DOC', multi: false, merge: true, upsert: false, data })
  if (res.code) throw new Error(`backdate: ${JSON.stringify(res)}`)
}

export const reconcileSection: BenchSection = {
  name: 'reconcile',
  async run(ctx) {
    await buildFunctions({ outDir: FUNCTIONS_OUT_DIR })
    const dataDir = path.join(ctx.workDir, 'reconcile')
    fs.mkdirSync(dataDir, { recursive: true })
    const cloud: LocalCloud = await startLocalCloud({ port: 0, dataDir, functionsDir: FUNCTIONS_OUT_DIR, schema, quiet: true, timers: false, payRetryDelaysMs: [] })
    try {
      const engine: Engine = cloud.engine
      const store = { _id: 'bench-store', name: '压测门店', status: 'open', address: '', phone: '', hours: '', latitude: 0, longitude: 0 }
      const added = await engine.handle({ action: 'database.insertDocument', collectionName: COLLECTIONS.stores, data: [JSON.stringify(store)] })
      if (added.code) throw new Error(`bench store: ${JSON.stringify(added)}`)
      const order = async (openid: string): Promise<string> => {
        const res = await gatewayCall(cloud.url, openid, { action: 'createOrder', input: { storeId: 'bench-store', amountFen: 2580 } })
        if (!res.ok || !res.data?.outTradeNo) throw new Error(JSON.stringify(res))
        return res.data.outTradeNo
      }
      const pass = () => cloud.runTimer('member', 'reconcilePayments') as Promise<Record<string, number>>

      const empty = await countDbActions(cloud, async () => void (await pass()))

      // 10 paid orders whose callback was lost (6 minutes old), 10 unpaid young ones (10 minutes),
      // 10 unpaid old ones (31 minutes; WeChat's clock moved as far for closeOrder's 5-minute rule).
      const N = 10
      const lost: string[] = []
      const young: string[] = []
      const old: string[] = []
      for (let i = 0; i < N; i++) {
        const no = await order(`o-bench-rc-${i}`)
        await postJson(`${cloud.url}/pay/orders/${no}/pay`, { notify: false })
        await backdate(engine, no, 6 * MIN)
        lost.push(no)
        young.push(await order(`o-bench-rc-young-${i}`))
        old.push(await order(`o-bench-rc-old-${i}`))
      }
      for (const no of young) await backdate(engine, no, 10 * MIN)
      for (const no of old) await backdate(engine, no, 31 * MIN)
      await postJson(`${cloud.url}/pay/clock`, { advanceMs: 31 * MIN })
      let report: Record<string, number> = {}
      const started = Date.now()
      const busy = await countDbActions(cloud, async () => void (report = await pass()))
      const busyMs = Date.now() - started
      if (report.captured !== N || report.closed !== N || report.pending !== N) throw new Error(`unexpected pass: ${JSON.stringify(report)}`)

      // The consumer's read of a late payment (10 s old) that captures it.
      const lazyNo = await order('o-bench-rc-lazy')
      await postJson(`${cloud.url}/pay/orders/${lazyNo}/pay`, { notify: false })
      await backdate(engine, lazyNo, 10_000)
      const lazy = await countDbActions(cloud, async () => {
        const res = await gatewayCall(cloud.url, 'o-bench-rc-lazy', { action: 'orderStatus', input: { outTradeNo: lazyNo } })
        if (res.data?.status !== 'paid') throw new Error(JSON.stringify(res))
      })
      const plainRead = await countDbActions(cloud, async () => void (await gatewayCall(cloud.url, 'o-bench-rc-lazy', { action: 'orderStatus', input: { outTradeNo: lazyNo } })))

      const rows: BenchRow[] = []
      const add = (label: string, c: Record<string, number>) => {
        rows.push({ section: 'reconcile', metric: `${label}: db reads`, value: sum(c, READS), unit: 'ops' })
        rows.push({ section: 'reconcile', metric: `${label}: db writes`, value: sum(c, WRITES), unit: 'ops' })
        rows.push({ section: 'reconcile', metric: `${label}: transactions`, value: c['database.startTransaction'] ?? 0, unit: 'txn' })
      }
      add('timer pass, nothing to do', empty)
      add(`timer pass, ${N} captured + ${N} left + ${N} closed`, busy)
      rows.push({ section: 'reconcile', metric: `timer pass, ${3 * N} orders: duration`, value: busyMs, unit: 'ms' })
      add('pay-result read that captures a late payment', lazy)
      add('pay-result read of a paid order', plainRead)
      return rows
    } finally {
      await cloud.close()
    }
  },
}
