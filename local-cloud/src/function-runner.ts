import crypto from 'crypto'
import { loadFunctions, type FunctionDef } from './function-registry'
import type { Logger } from './logger'
import { WorkerPool } from './worker-pool'

/** Who is calling and how: becomes the callee's getWXContext(). */
export interface CallerIdentity {
  openid?: string
  appid?: string
  unionid?: string
  clientIp?: string
  /** getWXContext().SOURCE, e.g. wx_client, wx_trigger, wx_paycallback, wx_client,scf. */
  source: string
  /** TRIGGER_SRC: `timer` for timers, `tcb` otherwise (as the real runtime). */
  triggerSrc?: string
}

/** An invocation in flight, found again from the token its SDK sends back (wxCloudApiToken). */
export interface InvocationInfo {
  token: string
  requestId: string
  functionName: string
  openid: string
  appid: string
  unionid: string
  source: string
}

export type InvokeOutcome =
  | { ok: true; json: string; requestId: string }
  | { ok: false; code: InvocationErrorCode; message: string; requestId: string }

/**
 * FUNCTION_NOT_FOUND / FUNCTION_ERROR / FUNCTION_TIMEOUT as the runtime reports them; an event the
 * cloud would not accept is refused before any function runs: EXCEED_MAX_PAYLOAD_SIZE (over
 * MAX_EVENT_BYTES) or INVALID_PARAM (nested deeper than MAX_EVENT_DEPTH, or not JSON).
 */
export type InvocationErrorCode = 'FUNCTION_NOT_FOUND' | 'FUNCTION_ERROR' | 'FUNCTION_TIMEOUT' | 'EXCEED_MAX_PAYLOAD_SIZE' | 'INVALID_PARAM'

/**
 * The cloud's cap on a synchronous invocation's event: 6 MB (Tencent SCF quota 同步请求事件大小
 * 6MB, which WeChat cloud functions run on), counted on the event's JSON text in bytes.
 */
export const MAX_EVENT_BYTES = 6 * 1024 * 1024

/**
 * Deepest nesting of objects and arrays an event may have. No cloud document gives a number;
 * this is far beyond any real event and far below the depth where Node's recursive serialisers
 * overflow the stack, so a pathological event is refused instead of crashing an invocation.
 */
export const MAX_EVENT_DEPTH = 512

/**
 * SOURCE values only the local cloud's own simulators produce (the pay simulator's callbacks and
 * the timer scheduler). An HTTP caller may use them only with the runner's trustedToken.
 */
export const PRIVILEGED_SOURCES: readonly string[] = ['wx_paycallback', 'wx_trigger', 'wx_msgpush']

/** An event already in JSON text (an HTTP body), passed on as it is after the limits are checked. */
export class EventJson {
  constructor(readonly text: string) {}
}

/** Thrown by LocalCloud.invoke/runTimer when the function fails. */
export class InvocationError extends Error {
  constructor(
    readonly code: InvocationErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'InvocationError'
  }
}

export interface RunnerOptions {
  functionsDir: string
  logger: Logger
  /** The local /tcb URL the functions' SDK calls (TCB_CONTEXT_CNFG.URL). */
  tcbUrl: string
  envId: string
  appid: string
  maxWorkersPerFunction: number
  /** Each function's own environment variables (as set in the console), by function name. */
  functionEnv?: Record<string, Record<string, string>>
}

const WX_KEYS = ['WX_OPENID', 'WX_APPID', 'WX_UNIONID', 'WX_CLIENTIP', 'WX_CLIENTIPV6', 'WX_API_TOKEN'] as const
/** node-sdk only reads these when listed in TCB_CONTEXT_KEYS (docs/cloud-protocol.md §8.3). */
const TCB_CONTEXT_KEYS = 'TCB_ENV,TCB_SEQID,TRIGGER_SRC,TCB_SESSIONTOKEN,TCB_SOURCE'

/** Runs built functions in worker pools, one pool per function, with a per-invocation context. */
export class FunctionRunner {
  readonly functions: Map<string, FunctionDef>
  private readonly pools = new Map<string, WorkerPool>()
  private readonly inFlight = new Map<string, InvocationInfo>()
  private readonly baseEnv: Record<string, string>
  private seq = 0
  /**
   * Unguessable, per process, never sent anywhere by the server: what an HTTP caller must show to
   * invoke with a PRIVILEGED_SOURCES value (the in-process simulators call invoke() directly).
   */
  readonly trustedToken = crypto.randomBytes(32).toString('hex')

  constructor(private readonly opts: RunnerOptions) {
    this.functions = loadFunctions(opts.functionsDir)
    this.baseEnv = workerBaseEnv(opts)
  }

  /** Whether `token` is this process's trustedToken (compared in constant time). */
  isTrusted(token: unknown): boolean {
    if (typeof token !== 'string') return false
    const given = Buffer.from(token)
    const expected = Buffer.from(this.trustedToken)
    return given.length === expected.length && crypto.timingSafeEqual(given, expected)
  }

  has(name: string): boolean {
    return this.functions.has(name)
  }

  byToken(token: unknown): InvocationInfo | undefined {
    return typeof token === 'string' && token ? this.inFlight.get(token) : undefined
  }

  workerCount(name: string): number {
    return this.pools.get(name)?.size ?? 0
  }

  /**
   * Runs `name` with `event` (a value, or JSON text as an EventJson). The event reaches the
   * function as JSON, as on the cloud, after the cloud's size and a nesting limit are checked.
   */
  async invoke(name: string, event: unknown, caller: CallerIdentity): Promise<InvokeOutcome> {
    const requestId = crypto.randomUUID()
    const def = this.functions.get(name)
    if (!def) return { ok: false, code: 'FUNCTION_NOT_FOUND', message: `function not found: ${name}`, requestId }
    const checked = checkEvent(event)
    if (!checked.ok) return { ...checked, requestId }
    const token = crypto.randomBytes(16).toString('hex')
    const info: InvocationInfo = {
      token,
      requestId,
      functionName: name,
      openid: caller.openid ?? '',
      appid: caller.appid ?? this.opts.appid,
      unionid: caller.unionid ?? '',
      source: caller.source,
    }
    this.inFlight.set(token, info)
    try {
      const result = await this.pool(def).run({
        env: this.invocationEnv(info, caller),
        eventJson: checked.json,
        context: {
          request_id: requestId,
          function_name: name,
          function_version: '$LATEST',
          namespace: this.opts.envId,
          memory_limit_in_mb: 256,
          time_limit_in_ms: def.timeoutMs,
        },
        timeoutMs: def.timeoutMs,
      })
      if (result.ok) return { ok: true, json: result.json, requestId }
      if (result.stack) this.opts.logger.fn(name, result.stack, 'stderr')
      else this.opts.logger.fn(name, result.message, 'stderr')
      const code = result.kind === 'timeout' ? 'FUNCTION_TIMEOUT' : 'FUNCTION_ERROR'
      return { ok: false, code, message: result.message, requestId }
    } finally {
      this.inFlight.delete(token)
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()))
    this.pools.clear()
  }

  private pool(def: FunctionDef): WorkerPool {
    let pool = this.pools.get(def.name)
    if (!pool) {
      // The function's own variables first: the runtime's (identical for all) cannot be overridden.
      const baseEnv = { ...(this.opts.functionEnv?.[def.name] ?? {}), ...this.baseEnv }
      pool = new WorkerPool(def, { max: this.opts.maxWorkersPerFunction, logger: this.opts.logger, baseEnv })
      this.pools.set(def.name, pool)
    }
    return pool
  }

  private invocationEnv(info: InvocationInfo, caller: CallerIdentity): Record<string, string> {
    const values: Record<string, string | undefined> = {
      WX_OPENID: info.openid || undefined,
      WX_APPID: info.appid,
      WX_UNIONID: info.unionid || undefined,
      WX_CLIENTIP: caller.clientIp ?? '127.0.0.1',
      WX_CLIENTIPV6: `::ffff:${caller.clientIp ?? '127.0.0.1'}`,
      WX_API_TOKEN: info.token,
    }
    const env: Record<string, string> = {}
    const wxKeys: string[] = []
    for (const key of WX_KEYS) {
      const v = values[key]
      if (v !== undefined) {
        env[key] = v
        wxKeys.push(key)
      }
    }
    env.WX_CONTEXT_KEYS = wxKeys.join(',')
    env.WX_TRIGGER_API_TOKEN_V0 = info.token
    env.TCB_SESSIONTOKEN = info.token
    env.TCB_SOURCE = caller.source
    env.TRIGGER_SRC = caller.triggerSrc ?? 'tcb'
    env.TCB_SEQID = `${Date.now()}_${++this.seq}`
    env.TCB_CONTEXT_KEYS = TCB_CONTEXT_KEYS
    return env
  }
}

/**
 * The few system variables a worker keeps from the server's environment. Anything else the
 * server was started with (secrets, OWNER_SETUP_KEY=… npm start) does not reach the functions:
 * on the cloud a function sees only the variables configured for it.
 */
const SYSTEM_ENV_KEYS = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT']

/**
 * The environment every worker starts with: what the real runtime provides to all invocations
 * (the function's own variables are added per pool).
 */
function workerBaseEnv(opts: RunnerOptions): Record<string, string> {
  const env: Record<string, string> = {}
  for (const k of SYSTEM_ENV_KEYS) {
    const v = process.env[k]
    if (v !== undefined) env[k] = v
  }
  Object.assign(env, {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: opts.tcbUrl }),
    TENCENTCLOUD_SECRETID: 'local',
    TENCENTCLOUD_SECRETKEY: 'local',
    // Skips node-sdk's metadata look-ups on every request; SILENCE drops its 3 s slow-query warning.
    TENCENTCLOUD: 'true',
    SILENCE: 'true',
    TCB_ENV: opts.envId,
    SCF_NAMESPACE: opts.envId,
    // How a function knows it runs here (e.g. WeChat Pay's sample sub-merchant id is allowed only
    // then): set by the runtime, like the real cloud's own variables, never from a request.
    LOCAL_CLOUD_RUNTIME: '1',
  })
  return env
}

type CheckedEvent = { ok: true; json: string } | { ok: false; code: 'EXCEED_MAX_PAYLOAD_SIZE' | 'INVALID_PARAM'; message: string }

/** The event as JSON text within the cloud's limits, or the refusal the caller gets. */
function checkEvent(event: unknown): CheckedEvent {
  let json: string
  if (event instanceof EventJson) {
    json = event.text.trim() === '' ? '{}' : event.text
  } else {
    try {
      json = JSON.stringify(event) ?? '{}'
    } catch (err) {
      // A cycle, a BigInt, or nesting deep enough to overflow the serialiser's stack.
      return { ok: false, code: 'INVALID_PARAM', message: `事件无法序列化为 JSON：${(err as Error).message}` }
    }
  }
  const bytes = Buffer.byteLength(json)
  if (bytes > MAX_EVENT_BYTES) {
    return { ok: false, code: 'EXCEED_MAX_PAYLOAD_SIZE', message: `事件大小 ${bytes} 字节，超过云函数同步调用的上限 ${MAX_EVENT_BYTES} 字节（6MB）` }
  }
  const depth = jsonDepth(json, MAX_EVENT_DEPTH)
  if (depth > MAX_EVENT_DEPTH) {
    return { ok: false, code: 'INVALID_PARAM', message: `事件嵌套超过 ${MAX_EVENT_DEPTH} 层，已拒绝` }
  }
  if (event instanceof EventJson) {
    try {
      JSON.parse(json)
    } catch (err) {
      return { ok: false, code: 'INVALID_PARAM', message: `事件不是合法的 JSON：${(err as Error).message}` }
    }
  }
  return { ok: true, json }
}

/**
 * Nesting depth of JSON text, counted without parsing (no recursion, so any depth is safe);
 * stops counting once past `stopAbove`. Brackets inside strings do not count.
 */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      depth++
      if (depth > max) {
        max = depth
        if (max > stopAbove) return max
      }
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return max
}
