import type { IncomingMessage, ServerResponse } from 'http'
import type { FunctionRunner, InvokeOutcome } from './function-runner'
import { header, readBody, sendJson, sendRaw } from './http-util'

/**
 * POST /functions/<name>: invokes a function as the user in `X-WX-OPENID` (optional
 * `X-WX-UNIONID`, `X-WX-APPID`) with SOURCE wx_client, the way the mini program's
 * wx.cloud.callFunction would. Answers the function's return value as JSON.
 */
export async function handleGateway(req: IncomingMessage, res: ServerResponse, name: string, runner: FunctionRunner): Promise<void> {
  if (!runner.has(name)) {
    sendJson(res, 404, { ok: false, code: 'FUNCTION_NOT_FOUND', message: `function not found: ${name}` })
    return
  }
  let event: unknown = {}
  try {
    const raw = (await readBody(req)).toString('utf8')
    if (raw.trim() !== '') event = JSON.parse(raw)
  } catch (err) {
    const message = err instanceof SyntaxError ? `malformed JSON body: ${err.message}` : (err as Error).message
    sendJson(res, 400, { ok: false, code: 'INVALID_JSON', message })
    return
  }
  const outcome = await runner.invoke(name, event, {
    openid: header(req, 'x-wx-openid'),
    unionid: header(req, 'x-wx-unionid'),
    appid: header(req, 'x-wx-appid'),
    clientIp: clientIp(req),
    source: 'wx_client',
  })
  sendOutcome(res, outcome)
}

/** A function's answer over HTTP: its value with 200, or `{ok:false, code, message}`. */
export function sendOutcome(res: ServerResponse, outcome: InvokeOutcome): void {
  if (outcome.ok) {
    sendRaw(res, 200, outcome.json, 'application/json; charset=utf-8')
    return
  }
  const status = outcome.code === 'FUNCTION_NOT_FOUND' ? 404 : 500
  sendJson(res, status, { ok: false, code: outcome.code, message: outcome.message })
}

function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '')
}
