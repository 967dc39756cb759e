import fs from 'fs'
import http from 'http'
import type { AddressInfo } from 'net'
import path from 'path'
import { DatabaseEngine } from './database/engine'
import { validateFunctionEnv } from './function-env'
import { FunctionRunner, InvocationError, type InvokeOutcome } from './function-runner'
import { sendJson } from './http-util'
import { createLogger } from './logger'
import { DEFAULT_RISKY_WORD, OpenApiSimulator } from './openapi'
import {
  DEFAULT_APPID,
  DEFAULT_HOST,
  DEFAULT_MAX_WORKERS,
  DEFAULT_PORT,
  LOCAL_ENV_ID,
  type LocalCloudOptions,
} from './options'
import { DEFAULT_RETRY_DELAYS_MS, PaySimulator } from './pay'
import { route } from './routes'
import { StorageSimulator } from './storage'
import { TimerScheduler, type TimerDef } from './timers'
import { MESSAGE_PUSH_SOURCE, ServicePushSimulator, type PushDelivery, type PushInput } from './service-push'
import type { DatabaseLike } from './types'

export { InvocationError } from './function-runner'
export type { LocalCloudOptions } from './options'

export interface LocalCloud {
  /** Base URL, e.g. http://127.0.0.1:8787 (the SDK's serviceUrl is `${url}/tcb`). */
  url: string
  port: number
  engine: DatabaseEngine
  /** Invokes a function as a user (default SOURCE wx_client); rejects with InvocationError. */
  invoke(name: string, event: unknown, opts?: { openid?: string; source?: string; unionid?: string; appid?: string }): Promise<unknown>
  /** 客服消息推送: delivers a customer-service message to the configured function (service-push.ts). */
  pushServiceMessage(input: PushInput): Promise<PushDelivery>
  /** Cloud storage (storage.ts): uploads, temporary links, deletions; its files for tests. */
  storage: StorageSimulator
  /** Runs a timer trigger now, with the timer event and SOURCE wx_trigger. */
  runTimer(name: string, triggerName: string): Promise<unknown>
  /**
   * This process's secret for invoking over /tcb with SOURCE wx_paycallback or wx_trigger (header
   * `X-Local-Cloud-Trusted`), for simulators outside the server; never sent over HTTP.
   */
  readonly trustedToken: string
  close(): Promise<void>
}

/** The files the server keeps next to the database in dataDir. */
const SERVER_FILES = ['_pay_orders.json', '_openapi_outbox.json', '_storage.json', '_storage']

/**
 * Starts the local cloud: the /tcb endpoint wx-server-sdk talks to, the function runtime, the
 * HTTP gateway, timers, and the WeChat Pay / open API simulations. Listens on loopback only.
 */
export async function startLocalCloud(opts: LocalCloudOptions): Promise<LocalCloud> {
  const logger = createLogger(opts.quiet === true)
  const host = DEFAULT_HOST // never anything else, whatever is passed
  const reset = opts.reset === true
  const functionEnv = validateFunctionEnv(opts.functionEnv ?? {}, 'functionEnv') // before anything is opened
  fs.mkdirSync(opts.dataDir, { recursive: true })
  if (reset) for (const f of SERVER_FILES) fs.rmSync(path.join(opts.dataDir, f), { force: true, recursive: true })

  const dbDir = path.join(opts.dataDir, 'db')
  const engine: DatabaseLike = opts.openDatabase
    ? await opts.openDatabase({ dataDir: dbDir, schema: opts.schema, reset })
    : await DatabaseEngine.open({ dataDir: dbDir, schema: opts.schema, reset, createSchemaCollections: opts.createSchemaCollections })

  // Listen first: the runner's workers need the final URL.
  let handler: http.RequestListener = (_req, res) => sendJson(res, 503, { ok: false, code: 'STARTING', message: 'starting' })
  const server = http.createServer((req, res) => handler(req, res))
  // Above the SDK's 4.8 s keep-alive socket timeout, so it never reuses a socket we closed (docs/cloud-protocol.md §1.6).
  server.keepAliveTimeout = 10_000
  server.headersTimeout = 15_000
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(opts.port ?? DEFAULT_PORT, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (err) {
    await engine.close()
    throw err
  }
  const port = (server.address() as AddressInfo).port
  const url = `http://${host}:${port}`
  const appid = opts.appid ?? DEFAULT_APPID

  const runner = new FunctionRunner({
    functionsDir: opts.functionsDir,
    logger,
    tcbUrl: `${url}/tcb`,
    envId: LOCAL_ENV_ID,
    appid,
    maxWorkersPerFunction: opts.maxWorkersPerFunction ?? DEFAULT_MAX_WORKERS,
    functionEnv,
  })
  for (const name of Object.keys(functionEnv)) {
    if (!runner.has(name)) logger.warn(`environment variables configured for ${name}, which is not a built function`)
  }
  const pay = new PaySimulator({
    dataDir: opts.dataDir,
    appid,
    logger,
    retryDelaysMs: opts.payRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    closeMinAgeMs: opts.payCloseMinAgeMs ?? 0,
    invokeCallback: async (fn, event, openid) => {
      const outcome = await runner.invoke(fn, event, { openid, source: 'wx_paycallback' })
      if (!outcome.ok) return { ok: false, code: outcome.code, message: outcome.message }
      return { ok: true, reply: JSON.parse(outcome.json) as unknown }
    },
  })
  const openapi = new OpenApiSimulator({ dataDir: opts.dataDir, logger, riskyWord: opts.riskyWord ?? DEFAULT_RISKY_WORD })
  const storage = new StorageSimulator({ dataDir: opts.dataDir, logger, env: LOCAL_ENV_ID, baseUrl: () => url })
  const servicePush = new ServicePushSimulator({
    functionName: opts.servicePushFunction ?? 'member',
    logger,
    invoke: async (fn, event, openid) => {
      const outcome = await runner.invoke(fn, event, { openid, source: MESSAGE_PUSH_SOURCE })
      if (!outcome.ok) return { ok: false, code: outcome.code, message: outcome.message }
      return { ok: true, reply: JSON.parse(outcome.json) as unknown }
    },
  })
  const fireTimer = (timer: TimerDef, time: Date): Promise<InvokeOutcome> =>
    runner.invoke(timer.functionName, TimerScheduler.event(timer.triggerName, time), { source: 'wx_trigger', triggerSrc: 'timer' })
  const timers = new TimerScheduler(runner.functions.values(), async (timer, time) => {
    logger.info(`timer ${timer.functionName}/${timer.triggerName} (${timer.cron})`)
    const outcome = await fireTimer(timer, time)
    if (!outcome.ok) logger.warn(`timer ${timer.functionName}/${timer.triggerName} failed: ${outcome.message}`)
  }, logger)

  const access = { port, extraOrigins: opts.allowOrigins ?? [] }
  const deps = { engine, runner, pay, openapi, storage, servicePush, timers, logger, fireTimer, access, fallback: opts.fallback }
  handler = (req, res) => {
    route(req, res, deps).catch((err: Error) => {
      logger.error(`${req.method} ${req.url}: ${err.stack ?? err.message}`)
      // /tcb callers only understand HTTP 200 + {code, message}.
      if (req.url?.startsWith('/tcb')) sendJson(res, 200, { code: 'SYS_ERR', message: err.message })
      else sendJson(res, 500, { ok: false, code: 'INTERNAL_ERROR', message: err.message })
    })
  }
  if (opts.timers !== false) timers.start()
  pay.start() // redeliveries a previous run left pending
  logger.info(`listening on ${url} with ${runner.functions.size} function(s), data in ${opts.dataDir}`)

  const unwrap = (outcome: InvokeOutcome): unknown => {
    if (!outcome.ok) throw new InvocationError(outcome.code, outcome.message)
    return JSON.parse(outcome.json) as unknown
  }
  let closing: Promise<void> | undefined
  return {
    url,
    port,
    trustedToken: runner.trustedToken,
    engine: engine as DatabaseEngine,
    invoke: async (name, event, o = {}) =>
      unwrap(await runner.invoke(name, event, { openid: o.openid, unionid: o.unionid, appid: o.appid, source: o.source ?? 'wx_client' })),
    pushServiceMessage: (input) => servicePush.push(input),
    storage,
    runTimer: async (name, triggerName) => {
      const timer = timers.find(name, triggerName)
      if (!timer) throw new InvocationError('FUNCTION_NOT_FOUND', `no timer trigger ${triggerName} on function ${name}`)
      return unwrap(await fireTimer(timer, new Date()))
    },
    close: () => {
      closing ??= (async () => {
        timers.stop()
        await pay.close() // callbacks in flight still need the server and the database
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
        await runner.close()
        await openapi.flush()
        await storage.flush()
        await engine.close()
        logger.info('closed')
      })()
      return closing
    },
  }
}
