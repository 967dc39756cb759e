import { spawn } from 'child_process'
import { createRequire } from 'module'
import * as fs from 'fs'
import * as path from 'path'
import { DatabaseEngine } from '../../../local-cloud/src/database/engine'
import { initSdk, sdkDatabase, startDbServer, tempDataDir } from './helpers/db-server'

/** Durability: restart, torn log lines, replayed logs after a crash, reset, SIGKILL mid-write. */
const schema = { notes: { indexes: [{ name: 'owner', keys: { owner: 1 as const } }] } }
const dirs: string[] = []
function newDir(): string {
  const d = tempDataDir('persist')
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

type Reply = Record<string, unknown>
const insert = (e: DatabaseEngine, docs: Record<string, unknown>[]): Reply =>
  e.handleSync({ action: 'database.insertDocument', collectionName: 'notes', data: docs.map((d) => JSON.stringify(d)) })
const list = (e: DatabaseEngine, query: Record<string, unknown> = {}): Record<string, unknown>[] => {
  const reply = e.handleSync({ action: 'database.getDocument', collectionName: 'notes', queryType: 'WHERE', query: JSON.stringify(query), limit: 1000 })
  return ((reply.data as { list: string[] }).list ?? []).map((s) => JSON.parse(s) as Record<string, unknown>)
}

describe('persistence', () => {
  it('survives close and reopen, read back through the SDK with types intact', async () => {
    const dir = newDir()
    const engine = await DatabaseEngine.open({ dataDir: dir, schema })
    const server = await startDbServer(engine)
    try {
      const db = sdkDatabase(initSdk(server.url))
      await db.collection('notes').add({ data: { _id: 'n1', owner: 'o1', at: new Date(1_600_000_000_000), n: 1.5 } })
      await db.createCollection('extra')
      await db.collection('extra').add({ data: { _id: 'x1' } })
      await db.collection('notes').doc('n1').update({ data: { n: db.command.inc(1) } })
      await server.engine.close()
      // Restart behind the same URL.
      server.engine = await DatabaseEngine.open({ dataDir: dir, schema })
      const back = (await db.collection('notes').doc('n1').get()).data as Record<string, unknown>
      expect(back).toEqual({ _id: 'n1', owner: 'o1', at: new Date(1_600_000_000_000), n: 2.5 })
      expect((await db.collection('extra').doc('x1').get()).data).toEqual({ _id: 'x1' })
      expect((await db.collection('notes').where({ owner: 'o1' }).get()).data).toHaveLength(1)
    } finally {
      await server.close()
      await server.engine.close()
    }
  })

  it('ignores a torn last log line, cuts it off, and keeps appending cleanly', async () => {
    const dir = newDir()
    let engine = await DatabaseEngine.open({ dataDir: dir, schema })
    insert(engine, [{ _id: 'a', owner: 'o' }])
    insert(engine, [{ _id: 'b', owner: 'o' }])
    // Simulate a kill mid-write: no close (no snapshot), half a line at the end of the log.
    const log = path.join(dir, 'log.jsonl')
    const lines = fs.readFileSync(log, 'utf8')
    const third = JSON.stringify({ s: 3, o: [{ t: 'put', c: 'notes', d: { _id: 'c', owner: 'o' } }] })
    fs.appendFileSync(log, `0123456789ab\t${third.slice(0, 30)}`)
    engine = await DatabaseEngine.open({ dataDir: dir, schema })
    expect(list(engine).map((d) => d._id)).toEqual(['a', 'b'])
    expect(fs.readFileSync(log, 'utf8')).toBe(lines)
    insert(engine, [{ _id: 'd', owner: 'o' }])
    engine = await DatabaseEngine.open({ dataDir: dir, schema })
    expect(list(engine).map((d) => d._id)).toEqual(['a', 'b', 'd'])
    await engine.close()
  })

  it('stops at a line whose checksum does not match', async () => {
    const dir = newDir()
    const engine = await DatabaseEngine.open({ dataDir: dir, schema })
    insert(engine, [{ _id: 'a' }])
    const log = path.join(dir, 'log.jsonl')
    const good = fs.readFileSync(log, 'utf8')
    fs.appendFileSync(log, good.replace('"a"', '"z"')) // same length, wrong checksum
    const reopened = await DatabaseEngine.open({ dataDir: dir, schema })
    expect(list(reopened).map((d) => d._id)).toEqual(['a'])
    await reopened.close()
  })

  it('a log left behind by a crash after compaction is not applied twice', async () => {
    const dir = newDir()
    const engine = await DatabaseEngine.open({ dataDir: dir, schema })
    insert(engine, [{ _id: 'keep' }, { _id: 'gone' }])
    engine.handleSync({ action: 'database.removeDocument', collectionName: 'notes', queryType: 'DOC', query: '{"_id":"gone"}' })
    const log = path.join(dir, 'log.jsonl')
    const oldLog = fs.readFileSync(log)
    await engine.close() // writes the snapshot, empties the log
    expect(fs.statSync(log).size).toBe(0)
    fs.writeFileSync(log, oldLog) // as if the process died before emptying it
    const reopened = await DatabaseEngine.open({ dataDir: dir, schema })
    expect(list(reopened).map((d) => d._id)).toEqual(['keep'])
    insert(reopened, [{ _id: 'after' }])
    const again = await DatabaseEngine.open({ dataDir: dir, schema })
    expect(list(again).map((d) => d._id)).toEqual(['keep', 'after'])
    await again.close()
  })

  it('reset: true starts empty', async () => {
    const dir = newDir()
    const engine = await DatabaseEngine.open({ dataDir: dir, schema })
    insert(engine, [{ _id: 'a' }])
    await engine.close()
    const fresh = await DatabaseEngine.open({ dataDir: dir, schema, reset: true })
    expect(fresh.stats().collections).toEqual({ notes: 0 })
    await fresh.close()
  })

  it('a process killed with SIGKILL mid-write leaves only whole batches', async () => {
    const dir = newDir()
    const script = path.join(__dirname, 'helpers', 'kill-writer.ts')
    const child = spawn(process.execPath, ['--require', createRequire(__filename).resolve('tsx/cjs'), script, dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let reported = -1
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`writer did not start: ${stderr}`)), 30_000)
      child.stdout.on('data', (c: Buffer) => {
        const nums = c.toString().trim().split('\n').map(Number)
        reported = Math.max(reported, ...nums)
        if (reported >= 100) {
          clearTimeout(timer)
          child.kill('SIGKILL')
          resolve()
        }
      })
    })
    await new Promise((r) => child.once('exit', r))
    const engine = await DatabaseEngine.open({ dataDir: dir, schema: { kv: { indexes: [] } } })
    const total = engine.stats().collections.kv
    expect(total % 20).toBe(0)
    expect(total / 20).toBeGreaterThanOrEqual(reported + 1)
    const reply = engine.handleSync({ action: 'database.aggregateDocuments', collectionName: 'kv', stages: [{ stageKey: '$group', stageValue: '{"_id":"$batch","n":{"$sum":1}}' }] })
    const groups = (reply.data as { list: string[] }).list.map((s) => JSON.parse(s) as { n: { $numberInt: string } })
    expect(groups.every((g) => g.n.$numberInt === '20')).toBe(true)
    await engine.close()
  })
})
