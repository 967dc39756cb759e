import type { IncomingMessage, ServerResponse } from 'http'
import type { FunctionRunner } from './function-runner'
import { handleGateway, sendOutcome } from './gateway'
import { header, readBody, sendJson } from './http-util'
import type { Logger } from './logger'
import type { OpenApiSimulator } from './openapi'
import type { ServicePushSimulator } from './service-push'
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
  servicePush: ServicePushSimulator
  timers: TimerScheduler
  logger: Logger
  fireTimer(timer: TimerDef, time: Date): ReturnType<FunctionRunner['invoke']>
  /** Who may reach the server from a browser. */
  access: AccessPolicy
  /** Asked before the 404 (the browser preview serves its pages here). */
  fallback?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>
}

/**
 * The server's own addresses: `127.0.0.1:<port>` and `localhost:<port>` (it listens on loopback
 * only), and browser origins allowed besides its own (`allowOrigins`, empty by default).
 */
export interface AccessPolicy {
  port: number
  extraOrigins: readonly string[]
}

const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, X-WX-OPENID, X-WX-UNIONID, X-WX-APPID',
  'Access-Control-Max-Age': '600',
}

/**
 * Why a request is refused, or null. The gateway trusts X-WX-OPENID and /tcb reads and writes the
 * whole database, so no web page the developer happens to open may reach either:
 *   - Host must be the server's own (a DNS-rebinding page sends its own name as Host);
 *   - /tcb answers no browser at all (only Node clients use it, and they send no Origin);
 *   - elsewhere a browser's Origin must be the server's own (the local preview) or allowed;
 *   - a cross-site browser request without Origin (an <img>, a link) is refused too.
 * Node clients (the SDK, fetch, curl) send no Origin and keep working.
 */
export function refusal(req: IncomingMessage, isTcb: boolean, access: AccessPolicy): string | null {
  const hosts = [`127.0.0.1:${access.port}`, `localhost:${access.port}`]
  const host = header(req, 'host')?.toLowerCase()
  if (host !== undefined && !hosts.includes(host)) return `Host ${host} 不是本地云自己的地址（只接受 ${hosts.join('、')}）`
  const origin = header(req, 'origin')
  const fetchSite = header(req, 'sec-fetch-site')
  if (isTcb) {
    if (origin !== undefined || fetchSite !== undefined) return '/tcb 只供 Node 客户端（wx-server-sdk）调用，不接受浏览器请求'
    return null
  }
  if (origin !== undefined) {
    if (!allowedOrigin(origin, access)) return `来源 ${origin} 不是本地云自己的页面，已拒绝`
    return null
  }
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') return '来自其他网站的浏览器请求，已拒绝'
  return null
}

function allowedOrigin(origin: string, access: AccessPolicy): boolean {
  const own = [`http://127.0.0.1:${access.port}`, `http://localhost:${access.port}`]
  return own.includes(origin.toLowerCase()) || access.extraOrigins.includes(origin)
}

/** Routes one HTTP request; every failure becomes a JSON answer, never a crash. */
export async function route(req: IncomingMessage, res: ServerResponse, deps: RouteDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const parts = url.pathname.split('/').filter(Boolean).map(safeDecode)
  const method = req.method ?? 'GET'
  const refused = refusal(req, parts[0] === 'tcb', deps.access)
  if (refused) {
    deps.logger.warn(`refused ${method} ${url.pathname}: ${refused}`)
    return sendJson(res, 403, { ok: false, code: 'FORBIDDEN_ORIGIN', message: refused })
  }
  const origin = header(req, 'origin')
  if (origin !== undefined) {
    // Only an allowed origin gets here; it is named, never '*'.
    res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Vary', 'Origin')
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v)
  }
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
  if (parts[0] === 'openapi' && parts[1] === 'subscribe-refusals' && parts.length === 2) {
    // A test's stand-in for a member who refused a template on the phone: the next sends answer 43101.
    if (method === 'POST') {
      const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { openid?: unknown; templateId?: unknown }
      if (typeof body.openid !== 'string' || !body.openid) return sendJson(res, 400, { ok: false, code: 'INVALID_INPUT', message: 'openid required' })
      deps.openapi.refuseSubscribe(body.openid, typeof body.templateId === 'string' && body.templateId ? body.templateId : '*')
      return sendJson(res, 200, { ok: true })
    }
    if (method === 'DELETE') {
      deps.openapi.clearSubscribeRefusals()
      return sendJson(res, 200, { ok: true })
    }
  }
  if (parts[0] === 'service' && parts[1] === 'messages' && parts.length === 2) return serviceRoutes(req, res, deps)
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
    if (parts[0] === 'orders' && parts.length === 3 && parts[2] === 'refund-outside' && method === 'POST') {
      const body = await jsonBody(req)
      const { order, refund } = await deps.pay.refundOutside(parts[1], { refundFee: typeof body.refundFee === 'number' ? body.refundFee : undefined })
      return sendJson(res, 200, { ok: true, order, refund })
    }
    if (parts[0] === 'refunds' && parts.length === 3 && parts[2] === 'fail' && method === 'POST') {
      const body = await jsonBody(req)
      const { order, refund } = await deps.pay.failRefund(parts[1], body.status === 'REFUNDCLOSE' ? 'REFUNDCLOSE' : 'CHANGE')
      return sendJson(res, 200, { ok: true, order, refund })
    }
    if (parts[0] === 'clock' && parts.length === 1 && method === 'POST') {
      const body = await jsonBody(req)
      const now = deps.pay.advanceClock(typeof body.advanceMs === 'number' ? body.advanceMs : NaN)
      return sendJson(res, 200, { ok: true, now: now.toISOString() })
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
  sendJson(res, 404, {
    ok: false,
    code: 'NOT_FOUND',
    message: 'pay routes: GET /pay/orders[/<no>], POST /pay/orders/<no>/pay, POST /pay/orders/<no>/refund-outside, POST /pay/refunds/<no>/succeed, POST /pay/refunds/<no>/fail, POST /pay/clock',
  })
}

/** Optional body `{ times?: number, concurrent?: boolean, notify?: false }` (notify only for /pay). */
async function deliveryOptions(req: IncomingMessage): Promise<{ times?: number; concurrent?: boolean; notify?: boolean }> {
  const body = await jsonBody(req)
  return {
    times: typeof body.times === 'number' ? body.times : undefined,
    concurrent: body.concurrent === true,
    ...(body.notify === false ? { notify: false } : {}),
  }
}

/** An optional JSON object body ({} when empty). */
async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = (await readBody(req)).toString('utf8').trim()
  if (!raw) return {}
  const body: unknown = JSON.parse(raw)
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/**
 * 客服消息推送: POST /service/messages `{ openid, content?, msgType?, event?, msgId? }` plays a
 * customer sending a message (the reply packet comes back; replies sent go to the open API
 * outbox); GET lists the pushes with what the function returned; DELETE clears them.
 */
async function serviceRoutes(req: IncomingMessage, res: ServerResponse, deps: RouteDeps): Promise<void> {
  if (req.method === 'GET') return sendJson(res, 200, { ok: true, deliveries: deps.servicePush.deliveries() })
  if (req.method === 'DELETE') {
    deps.servicePush.clear()
    return sendJson(res, 200, { ok: true })
  }
  if (req.method !== 'POST') return sendJson(res, 404, { ok: false, code: 'NOT_FOUND', message: 'service routes: GET|POST|DELETE /service/messages' })
  let body: Record<string, unknown>
  try {
    body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<string, unknown>
  } catch (err) {
    return sendJson(res, 400, { ok: false, code: 'INVALID_JSON', message: (err as Error).message })
  }
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
  const openid = text(body.openid)
  if (!openid) return sendJson(res, 400, { ok: false, code: 'INVALID_PARAM', message: 'openid (the sender) is required' })
  const delivery = await deps.servicePush.push({ openid, content: text(body.content), msgType: text(body.msgType), event: text(body.event), msgId: text(body.msgId) })
  return sendJson(res, 200, { ok: true, delivery })
}
