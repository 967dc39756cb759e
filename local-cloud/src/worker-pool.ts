import { Worker } from 'worker_threads'
import type { Readable } from 'stream'
import type { FunctionDef } from './function-registry'
import type { Logger } from './logger'
import { WORKER_SOURCE, type InvokeMessage, type WorkerReply } from './worker-entry'

export interface Task {
  env: Record<string, string>
  /** The event as JSON text: the worker parses it, so the event arrives as JSON, as on the cloud. */
  eventJson: string
  context: Record<string, unknown>
  timeoutMs: number
}

export type TaskResult =
  | { ok: true; json: string }
  | { ok: false; kind: 'error' | 'timeout' | 'crash'; message: string; stack?: string }

interface Slot {
  worker: Worker
  current?: { id: number; finish: (r: TaskResult) => void; loaded: () => void }
  /** Set once the worker is known to be going away (exit, error, timeout, close). */
  dead: boolean
  /** The function module is loaded. */
  warm: boolean
  idleSince: number
}

interface Queued {
  task: Task
  resolve: (r: TaskResult) => void
}

/**
 * Loading a function module (wx-server-sdk alone takes ~0.3 s of CPU) is not counted against the
 * function's timeout: several workers starting at once on a small machine would otherwise time
 * out spuriously. Loading itself gets this long.
 */
const LOAD_TIMEOUT_MS = 60_000

/** Idle workers beyond the first are ended after this long, to give memory back. */
const IDLE_REAP_MS = 60_000

/**
 * Warm workers for one function: one invocation per worker at a time, grown up to `max` under
 * concurrency, queueing beyond. A worker that times out is terminated; one that crashes or calls
 * process.exit fails only its own invocation and is replaced on demand.
 */
export class WorkerPool {
  private readonly slots: Slot[] = []
  private readonly queue: Queued[] = []
  private nextId = 1
  private closed = false
  private readonly reaper: NodeJS.Timeout

  constructor(
    private readonly def: FunctionDef,
    private readonly opts: { max: number; logger: Logger; baseEnv: Record<string, string> },
  ) {
    this.reaper = setInterval(() => this.reapIdle(), IDLE_REAP_MS)
    this.reaper.unref()
  }

  get size(): number {
    return this.slots.length
  }

  run(task: Task): Promise<TaskResult> {
    if (this.closed) return Promise.resolve({ ok: false, kind: 'crash', message: 'the local cloud is shutting down' })
    return new Promise((resolve) => {
      this.queue.push({ task, resolve })
      this.drain()
    })
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.reaper)
    for (const q of this.queue.splice(0)) q.resolve({ ok: false, kind: 'crash', message: 'the local cloud is shutting down' })
    await Promise.all(this.slots.slice().map((s) => this.kill(s, { ok: false, kind: 'crash', message: 'the local cloud is shutting down' })))
  }

  private drain(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.dead && !s.current)
      if (!slot) {
        if (this.slots.length >= this.opts.max) return
        slot = this.spawn()
      }
      const next = this.queue.shift() as Queued
      this.dispatch(slot, next)
    }
  }

  private dispatch(slot: Slot, { task, resolve }: Queued): void {
    const id = this.nextId++
    let timer: NodeJS.Timeout | undefined
    const finish = (result: TaskResult): void => {
      if (!slot.current || slot.current.id !== id) return
      if (timer) clearTimeout(timer)
      slot.current = undefined
      slot.idleSince = Date.now()
      resolve(result)
      // Defer so a dying worker is marked dead before it could be picked again.
      setImmediate(() => this.drain())
    }
    const arm = (ms: number, message: string): void => {
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => void this.kill(slot, { ok: false, kind: 'timeout', message }), ms)
    }
    const seconds = Math.round(task.timeoutMs / 100) / 10
    const armInvocation = (): void => arm(task.timeoutMs, `Invoking task timed out after ${seconds} seconds`)
    slot.current = { id, finish, loaded: armInvocation }
    if (slot.warm) armInvocation()
    else arm(LOAD_TIMEOUT_MS, `loading the function took longer than ${LOAD_TIMEOUT_MS / 1000} seconds`)
    const msg: InvokeMessage = { type: 'invoke', id, file: this.def.file, env: task.env, eventJson: task.eventJson, context: task.context }
    try {
      slot.worker.postMessage(msg)
    } catch (err) {
      // Only strings and plain objects are sent, so this is not expected; the worker itself is fine.
      finish({ ok: false, kind: 'error', message: `cannot pass the event to the function: ${(err as Error).message}` })
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      env: { ...this.opts.baseEnv },
      stdout: true,
      stderr: true,
      workerData: { name: this.def.name },
    })
    const slot: Slot = { worker, dead: false, warm: false, idleSince: Date.now() }
    this.slots.push(slot)
    this.pipe(worker.stdout, 'stdout')
    this.pipe(worker.stderr, 'stderr')
    worker.on('message', (reply: WorkerReply) => {
      if (!reply || !slot.current || slot.current.id !== reply.id) return
      if (reply.type === 'loaded') {
        slot.warm = true
        slot.current.loaded()
        return
      }
      slot.current.finish(
        reply.ok
          ? { ok: true, json: reply.json }
          : { ok: false, kind: 'error', message: reply.error.message, stack: reply.error.stack },
      )
    })
    worker.on('error', (err) => {
      // Uncaught exception or unhandled rejection inside the function: only its invocation fails.
      this.retire(slot, { ok: false, kind: 'crash', message: `${err.name}: ${err.message}`, stack: err.stack })
    })
    worker.on('exit', (code) => {
      this.retire(slot, { ok: false, kind: 'crash', message: `the function exited (process.exit(${code})) before answering` })
    })
    return slot
  }

  private pipe(stream: Readable, kind: 'stdout' | 'stderr'): void {
    let pending = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      pending += chunk
      let nl: number
      while ((nl = pending.indexOf('\n')) >= 0) {
        this.opts.logger.fn(this.def.name, pending.slice(0, nl), kind)
        pending = pending.slice(nl + 1)
      }
    })
    stream.on('end', () => {
      if (pending) this.opts.logger.fn(this.def.name, pending, kind)
      pending = ''
    })
  }

  /** Removes a worker that is gone or going, failing its invocation with `result`. */
  private retire(slot: Slot, result: TaskResult): void {
    slot.dead = true
    const i = this.slots.indexOf(slot)
    if (i >= 0) this.slots.splice(i, 1)
    slot.current?.finish(result)
    if (!this.closed) setImmediate(() => this.drain())
  }

  private async kill(slot: Slot, result: TaskResult): Promise<void> {
    this.retire(slot, result)
    await slot.worker.terminate().catch(() => undefined)
  }

  private reapIdle(): void {
    const now = Date.now()
    const idle = this.slots.filter((s) => !s.dead && !s.current && now - s.idleSince > IDLE_REAP_MS)
    // Keep one warm worker.
    for (const slot of idle.slice(this.slots.length === idle.length ? 1 : 0)) {
      void this.kill(slot, { ok: false, kind: 'crash', message: 'idle' })
    }
  }
}
