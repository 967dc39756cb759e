/**
 * Child process for the SIGKILL test: writes batches of 20 documents as fast as it can and
 * reports each committed batch number on stdout until it is killed.
 * Usage: node --require tsx/cjs kill-writer.ts <dataDir>
 */
import { DatabaseEngine } from '../../../../local-cloud/src/database/engine'

async function main(): Promise<void> {
  const dataDir = process.argv[2]
  const engine = await DatabaseEngine.open({ dataDir, schema: { kv: { indexes: [] } } })
  const payload = 'x'.repeat(4000)
  let batch = 0
  const step = (): void => {
    const data = Array.from({ length: 20 }, (_, i) => JSON.stringify({ batch, i, payload }))
    const reply = engine.handleSync({ action: 'database.insertDocument', collectionName: 'kv', data })
    if (reply.code) throw new Error(String(reply.message))
    process.stdout.write(`${batch}\n`)
    batch++
    setImmediate(step)
  }
  step()
}

void main()
