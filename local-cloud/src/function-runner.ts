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

export type InvocationErrorCode = 'FUNCTION_NOT_FOUND' | 'FUNCTION_ERROR' | 'FUNCTION_TIMEOUT'

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
}

const WX_KEYS = ['WX_OPENID', 'WX_APPID', 'WX_UNIONID', 'WX_CLIENTIP', 'WX_CLIENTIPV6', 'WX_API_TOKEN'] as const
/** node-sdk only reads these when listed in TCB_CONTEXT_KEYS (notes §8.3). */
const TCB_CONTEXT_KEYS = 'TCB_ENV,TCB_SEQID,TRIGGER_SRC,TCB_SESSIONTOKEN,TCB_SOURCE'

/** Runs built functions in worker pools, one pool per function, with a per-invocation context. */
export class FunctionRunner {
  readonly functions: Map<string, FunctionDef>
  private readonly pools = new Map<string, WorkerPool>()
  private readonly inFlight = new Map<string, InvocationInfo>()
  private readonly baseEnv: Record<string, string>
  private seq = 0

  constructor(private readonly opts: RunnerOptions) {
    this.functions = loadFunctions(opts.functionsDir)
    this.baseEnv = workerBaseEnv(opts)
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

  async invoke(name: string, event: unknown, caller: CallerIdentity): Promise<InvokeOutcome> {
    const requestId = crypto.randomUUID()
    const def = this.functions.get(name)
    if (!def) return { ok: false, code: 'FUNCTION_NOT_FOUND', message: `function not found: ${name}`, requestId }
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
        event,
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
      pool = new WorkerPool(def, { max: this.opts.maxWorkersPerFunction, logger: this.opts.logger, baseEnv: this.baseEnv })
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
 * The environment every worker starts with: what the real runtime provides to all invocations.
 * Context variables inherited from the server's own environment are dropped so they cannot leak.
 */
function workerBaseEnv(opts: RunnerOptions): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(WX_|TCB_|TENCENTCLOUD_|SCF_)/.test(k)) continue
    env[k] = v
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
