import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { EJSON } from 'bson'
import { DatabaseEngine } from './engine'
import { textOf } from '../text'

/**
 * Engine-level figures (no HTTP, no SDK): 100,000 documents in one collection with an indexed
 * field, re-open time, indexed equality lookups/s and conditional updates/s, using request bodies
 * shaped exactly as wx-server-sdk sends them.
 */
export async function benchDatabase(): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-db-bench-'))
  const schema = { members: { indexes: [{ name: 'openid_unique', keys: { openid: 1 as const }, unique: true }] } }
  const docCount = 100_000
  const fail = (reply: Record<string, unknown>): void => {
    if (reply.code) throw new Error(`bench request failed: ${textOf(reply.code)} ${textOf(reply.message)}`)
  }
  try {
    let engine = await DatabaseEngine.open({ dataDir: dir, schema })
    const insertStart = performance.now()
    for (let start = 0; start < docCount; start += 1000) {
      const data: string[] = []
      for (let i = start; i < start + 1000; i++) {
        data.push(
          EJSON.stringify(
            { openid: `o-${i}`, memberNo: i, points: 100, tier: i % 4, createdAt: new Date(1_700_000_000_000 + i), tags: ['a', 'b'] },
            { relaxed: false },
          ),
        )
      }
      fail(await engine.handle({ action: 'database.insertDocument', collectionName: 'members', data }))
    }
    const insertMs = performance.now() - insertStart
    const closeStart = performance.now()
    await engine.close()
    const closeMs = performance.now() - closeStart

    const openStart = performance.now()
    engine = await DatabaseEngine.open({ dataDir: dir, schema })
    const reopenMs = performance.now() - openStart
    if (engine.stats().collections.members !== docCount) throw new Error('bench: documents lost on re-open')

    const lookups = 20_000
    const lookupStart = performance.now()
    for (let k = 0; k < lookups; k++) {
      const i = (k * 7919) % docCount
      const reply = await engine.handle({
        action: 'database.getDocument',
        collectionName: 'members',
        queryType: 'WHERE',
        query: EJSON.stringify({ openid: `o-${i}` }, { relaxed: false }),
        limit: 100,
        envName: 'local',
      })
      fail(reply)
    }
    const lookupMs = performance.now() - lookupStart

    const updates = 10_000
    const updateStart = performance.now()
    for (let k = 0; k < updates; k++) {
      const i = (k * 104_729) % docCount
      fail(
        await engine.handle({
          action: 'database.modifyDocument',
          collectionName: 'members',
          queryType: 'WHERE',
          multi: true,
          merge: true,
          upsert: false,
          query: EJSON.stringify({ openid: `o-${i}`, points: { $gt: 0 } }, { relaxed: false }),
          data: EJSON.stringify({ $inc: { points: -1 }, $set: { at: { $tcb_server_date: { offset: 0 } } } }, { relaxed: false }),
        }),
      )
    }
    const updateMs = performance.now() - updateStart

    const scanStart = performance.now()
    fail(await engine.handle({ action: 'database.calculateDocument', collectionName: 'members', queryType: 'WHERE', query: '{"tier":{"$numberInt":"1"}}' }))
    const scanMs = performance.now() - scanStart
    await engine.close()

    return {
      documents: docCount,
      insertDocsPerSec: Math.round(docCount / (insertMs / 1000)),
      closeWithSnapshotMs: Math.round(closeMs),
      reopenMs: Math.round(reopenMs),
      indexedLookupsPerSec: Math.round(lookups / (lookupMs / 1000)),
      conditionalUpdatesPerSec: Math.round(updates / (updateMs / 1000)),
      fullScanCountMs: Math.round(scanMs),
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

// `npx tsx local-cloud/src/database/bench.ts` prints the figures.
if (process.argv[1] !== undefined && /database[\\/]bench\.[jt]s$/.test(process.argv[1])) {
  benchDatabase().then(
    (figures) => console.log(figures),
    (err: unknown) => {
      console.error(err)
      process.exitCode = 1
    },
  )
}
