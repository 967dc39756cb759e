import type { IncomingMessage, ServerResponse } from 'http'
import type { FunctionRunner } from './function-runner'
import { handleGateway, sendOutcome } from './gateway'
import { readBody, sendJson } from './http-util'
import type { Logger } from './logger'
import type { OpenApiSimulator } from './openapi'
import { PayError, type PaySimulator } from './pay'
import { handleTcb } from './tcb-endpoint'
import type { TimerDef, TimerScheduler } from './timers'
import { nextFire } from './cron'
import type { DatabaseLike } from './types'

export interface RouteDeps {
  engine: DatabaseLike
  runner: FunctionRunner
  pay: PaySimulator
  openapi: OpenApiSimulator
  timers: TimerScheduler
  logger: Logger
  fireTimer(timer: TimerDef, time: Date): ReturnType<FunctionRunner['invoke']>
  /** Asked before the 404 (the browser preview serves its pages here). */
  fallback?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>
}

const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, X-WX-OPENID, X-WX-UNIONID, X-WX-APPID',
  // Chrome asks before a page on another origin calls a loopback address.
  'Access-Control-Allow-Private-Network': 'true',
  'Access-Control-Max-Age': '600',
}

/** Routes one HTTP request; every failure becomes a JSON answer, never a crash. */
export async function route(req: IncomingMessage, res: ServerResponse, deps: RouteDeps): Promise<void> {
  for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v)
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const parts = url.pathname.split('/').filter(Boolean).map(safeDecode)
  const method = req.method ?? 'GET'
  if (parts[0] !== 'tcb' && parts[0] !== 'health' && method !== 'OPTIONS') {
    // One line per developer-facing call; the SDK's /tcb traffic would drown it.
    const started = Date.now()
    res.on('finish', () => deps.logger.info(`${method} ${url.pathname} ${res.statusCode} ${Date.now() - started}ms`))
  }
  if (method === 'OPTIONS') {
    res.statusCode = 204
    res.end()
    return
  }
  if (parts[0] === 'tcb' && method === 'POST') return handleTcb(req, res, deps)
  if (parts[0] === 'functions' && parts.length === 2 && method === 'POST') return handleGateway(req, res, parts[1], deps.runner)
  if (parts[0] === 'health' && method === 'GET') {
    return sendJson(res, 200, { ok: true, env: 'local', functions: [...deps.runner.functions.keys()], collections: deps.engine.stats().collections })
  }
  if (parts[0] === 'timers') return timerRoutes(req, res, parts.slice(1), deps)
  if (parts[0] === 'pay') return payRoutes(req, res, parts.slice(1), deps)
  if (parts[0] === 'openapi' && parts[1] === 'outbox' && parts.length === 2) {
    if (method === 'GET') return sendJson(res, 200, { ok: true, messages: deps.openapi.messages() })
    if (method === 'DELETE') {
      await deps.openapi.clear()
      return sendJson(res, 200, { ok: true })
    }
  }
  if (deps.fallback && (await deps.fallback(req, res))) return
  sendJson(res, 404, { ok: false, code: 'NOT_FOUND', message: `no route for ${method} ${url.pathname}` })
}

async function timerRoutes(req: IncomingMessage, res: ServerResponse, parts: string[], deps: RouteDeps): Promise<void> {
  if (parts.length === 0 && req.method === 'GET') {
    const now = Date.now()
    return sendJson(res, 200, {
      ok: true,
      timers: deps.timers.timers.map((t) => {
        const next = nextFire(t.schedule, now)
        return { functionName: t.functionName, triggerName: t.triggerName, cron: t.cron, next: next === null ? null : new Date(next).toISOString() }
      }),
    })
  }
  if (parts.length === 2 && req.method === 'POST') {
    const timer = deps.timers.find(parts[0], parts[1])
    if (!timer) return sendJson(res, 404, { ok: false, code: 'TRIGGER_NOT_FOUND', message: `no timer trigger ${parts[1]} on function ${parts[0]}` })
    return sendOutcome(res, await deps.fireTimer(timer, new Date()))
  }
  sendJson(res, 404, { ok: false, code: 'NOT_FOUND', message: 'use GET /timers or POST /timers/<function>/<trigger>' })
}

async function payRoutes(req: IncomingMessage, res: ServerResponse, parts: string[], deps: RouteDeps): Promise<void> {
  const method = req.method
  try {
    if (parts[0] === 'orders' && parts.length === 1 && method === 'GET') {
      return sendJson(res, 200, { ok: true, orders: deps.pay.orders() })
    }
    if (parts[0] === 'orders' && parts.length === 2 && method === 'GET') {
      const order = deps.pay.order(parts[1])
      if (!order) return sendJson(res, 404, { ok: false, code: 'ORDER_NOT_FOUND', message: `no pay order ${parts[1]}` })
      return sendJson(res, 200, { ok: true, order })
    }
    if (parts[0] === 'orders' && parts.length === 3 && parts[2] === 'pay' && method === 'POST') {
      const opts = await deliveryOptions(req)
      const { order, results } = await deps.pay.pay(parts[1], opts)
      return sendJson(res, 200, { ok: true, order, results })
    }
    if (parts[0] === 'refunds' && parts.length === 3 && parts[2] === 'succeed' && method === 'POST') {
      const opts = await deliveryOptions(req)
      const { refund, results } = await deps.pay.refundCallback(parts[1], opts)
      return sendJson(res, 200, { ok: true, refund, results })
    }
  } catch (err) {
    if (err instanceof PayError) return sendJson(res, err.status, { ok: false, code: err.code, message: err.message })
    if (err instanceof SyntaxError) return sendJson(res, 400, { ok: false, code: 'INVALID_JSON', message: err.message })
    throw err
  }
  sendJson(res, 404, { ok: false, code: 'NOT_FOUND', message: 'pay routes: GET /pay/orders[/<no>], POST /pay/orders/<no>/pay, POST /pay/refunds/<no>/succeed' })
}

/** Optional body `{ times?: number, concurrent?: boolean }`. */
async function deliveryOptions(req: IncomingMessage): Promise<{ times?: number; concurrent?: boolean }> {
  const raw = (await readBody(req)).toString('utf8').trim()
  if (!raw) return {}
  const body = JSON.parse(raw) as { times?: unknown; concurrent?: unknown }
  return {
    times: typeof body.times === 'number' ? body.times : undefined,
    concurrent: body.concurrent === true,
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
