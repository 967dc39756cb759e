/**
 * Bench section for the member flows: payment callbacks processed per second on the local cloud,
 * and how many database operations one callback costs (the real cloud bills per operation).
 */
import fs from 'fs'
import path from 'path'
import { startLocalCloud } from '../../local-cloud/src/server'
import { schema } from '../../database/schema'
import { COLLECTIONS } from '../../cloudfunctions/shared/collections'
import { buildFunctions, FUNCTIONS_OUT_DIR } from '../build'
import type { BenchRow, BenchSection } from '../bench'

// shared with the other sections (scripts/bench/cloud.ts); re-exported for those that import them from here
export { countDbActions, READS, sum, WRITES } from './cloud'
import { countDbActions, READS, sum, WRITES } from './cloud'

async function gatewayCall(url: string, openid: string, event: unknown): Promise<{ ok: boolean; data?: { outTradeNo?: string } }> {
  const res = await fetch(`${url}/functions/member`, { method: 'POST', headers: { 'X-WX-OPENID': openid, 'content-type': 'application/json' }, body: JSON.stringify(event) })
  return (await res.json()) as { ok: boolean; data?: { outTradeNo?: string } }
}

async function payCallback(url: string, outTradeNo: string): Promise<void> {
  const res = await fetch(`${url}/pay/orders/${outTradeNo}/pay`, { method: 'POST', body: '{}' })
  const body = (await res.json()) as { results: { errcode: number }[] }
  if (body.results[0]?.errcode !== 0) throw new Error(`callback failed: ${JSON.stringify(body)}`)
}

export const paymentsSection: BenchSection = {
  name: 'payments',
  async run(ctx) {
    await buildFunctions({ outDir: FUNCTIONS_OUT_DIR })
    const dataDir = path.join(ctx.workDir, 'payments')
    fs.mkdirSync(dataDir, { recursive: true })
    const cloud = await startLocalCloud({ port: 0, dataDir, functionsDir: FUNCTIONS_OUT_DIR, schema, quiet: true, timers: false })
    try {
      // Straight into the engine: the SDK in this process may already be bound to another section's cloud.
      const engine: { handle(b: Record<string, unknown>): Promise<Record<string, unknown>> } = cloud.engine
      const store = { _id: 'bench-store', name: '压测门店', status: 'open', address: '', phone: '', hours: '', latitude: 0, longitude: 0 }
      const added = await engine.handle({ action: 'database.insertDocument', collectionName: COLLECTIONS.stores, data: [JSON.stringify(store)] })
      if (added.code) throw new Error(`bench store: ${JSON.stringify(added)}`)

      const order = async (openid: string): Promise<string> => {
        const res = await gatewayCall(cloud.url, openid, { action: 'createOrder', input: { storeId: 'bench-store', amountFen: 2580 } })
        if (!res.ok || !res.data?.outTradeNo) throw new Error(JSON.stringify(res))
        return res.data.outTradeNo
      }

      // Cost of one callback: a first payment (creates the member), a repeat payment, a replay.
      const first = await order('o-bench-cost')
      const firstCounts = await countDbActions(cloud, () => payCallback(cloud.url, first))
      const repeat = await order('o-bench-cost')
      const repeatCounts = await countDbActions(cloud, () => payCallback(cloud.url, repeat))
      const replayCounts = await countDbActions(cloud, () => payCallback(cloud.url, repeat))

      // Throughput: 400 members' orders, callbacks delivered 8 at a time, after a warm-up that
      // starts the function's worker pool (cold starts are not what this measures).
      const total = 400
      // The callback is invoked directly as WeChat Pay would (SOURCE wx_paycallback), so the
      // figure is the function's and the database's, not the pay simulator's bookkeeping.
      const orders: { no: string; openid: string }[] = []
      for (let i = 0; i < total + 16; i += 16) {
        orders.push(...(await Promise.all(Array.from({ length: 16 }, async (_, j) => ({ openid: `o-bench-${i + j}`, no: await order(`o-bench-${i + j}`) })))))
      }
      const deliver = async (o: { no: string; openid: string }): Promise<void> => {
        const event = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: o.no, totalFee: 2580, openid: o.openid, transactionId: `4200${o.no}` }
        const res = (await cloud.invoke('member', event, { openid: o.openid, source: 'wx_paycallback' })) as { errcode: number }
        if (res.errcode !== 0) throw new Error(`callback failed: ${JSON.stringify(res)}`)
      }
      await Promise.all(orders.splice(0, 16).map(deliver))
      const rate = async (batch: typeof orders, concurrency: number): Promise<number> => {
        let next = 0
        const started = Date.now()
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < batch.length) await deliver(batch[next++])
          }),
        )
        return Math.round(batch.length / ((Date.now() - started) / 1000))
      }
      const atTwo = await rate(orders.slice(0, total / 2), 2)
      const atEight = await rate(orders.slice(total / 2, total), 8)

      const rows: BenchRow[] = [
        { section: 'payments', metric: 'pay callbacks processed (new members, concurrency 2)', value: atTwo, unit: 'callbacks/s' },
        { section: 'payments', metric: 'pay callbacks processed (new members, concurrency 8)', value: atEight, unit: 'callbacks/s' },
      ]
      for (const [label, c] of [['first payment (joins)', firstCounts], ['repeat payment', repeatCounts], ['replayed callback', replayCounts]] as const) {
        rows.push({ section: 'payments', metric: `${label}: db reads`, value: sum(c, READS), unit: 'ops' })
        rows.push({ section: 'payments', metric: `${label}: db writes`, value: sum(c, WRITES), unit: 'ops' })
        rows.push({ section: 'payments', metric: `${label}: transactions`, value: c['database.startTransaction'] ?? 0, unit: 'txn' })
      }
      return rows
    } finally {
      await cloud.close()
    }
  },
}
