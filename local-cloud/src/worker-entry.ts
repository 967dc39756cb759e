/**
 * Code of a function worker, run with `new Worker(code, { eval: true })` so it works the same
 * under tsx, ts-jest and compiled JS (no .ts file has to be loadable inside the worker).
 *
 * Each worker loads one function module on its first invocation and keeps it warm. Before every
 * invocation it replaces the per-invocation variables in its own copy of `process.env` (workers
 * do not share env with the server), which is where wx-server-sdk's getWXContext() and node-sdk
 * read OPENID, SOURCE, tokens… The worker runs one invocation at a time.
 */
export interface InvokeMessage {
  type: 'invoke'
  id: number
  file: string
  env: Record<string, string>
  /** JSON text of the event (sizes and depth were checked by the runner). */
  eventJson: string
  context: Record<string, unknown>
}

export type WorkerReply =
  | { type: 'loaded'; id: number }
  | { type: 'result'; id: number; ok: true; json: string }
  | { type: 'result'; id: number; ok: false; error: { name: string; message: string; stack?: string } }

export const WORKER_SOURCE = String.raw`
'use strict'
const { parentPort } = require('worker_threads')
let loaded = null
let previousKeys = []

function describe(err) {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack }
  let message
  try { message = typeof err === 'string' ? err : JSON.stringify(err) } catch (e) { message = String(err) }
  return { name: 'Error', message: String(message) }
}

parentPort.on('message', async (msg) => {
  if (!msg || msg.type !== 'invoke') return
  for (const key of previousKeys) delete process.env[key]
  previousKeys = Object.keys(msg.env)
  for (const key of previousKeys) process.env[key] = msg.env[key]
  try {
    // Loaded after the env is set, so a top-level cloud.init() sees a complete context.
    if (!loaded) {
      loaded = require(msg.file)
      parentPort.postMessage({ type: 'loaded', id: msg.id })
    }
    const main = loaded && loaded.main
    if (typeof main !== 'function') throw new Error('the function module does not export main')
    const value = await main(JSON.parse(msg.eventJson), msg.context)
    let json = JSON.stringify(value)
    if (json === undefined) json = 'null'
    parentPort.postMessage({ type: 'result', id: msg.id, ok: true, json })
  } catch (err) {
    parentPort.postMessage({ type: 'result', id: msg.id, ok: false, error: describe(err) })
  }
})
`
