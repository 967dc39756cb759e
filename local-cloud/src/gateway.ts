import type { IncomingMessage, ServerResponse } from 'http'
import { EventJson, MAX_EVENT_BYTES, type FunctionRunner, type InvokeOutcome } from './function-runner'
import { BodyTooLargeError, header, readBody, sendJson, sendRaw } from './http-util'

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
  let raw: string
  try {
    raw = (await readBody(req, MAX_EVENT_BYTES)).toString('utf8')
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      res.setHeader('Connection', 'close')
      sendJson(res, 413, { ok: false, code: 'EXCEED_MAX_PAYLOAD_SIZE', message: `事件超过云函数同步调用的上限 ${MAX_EVENT_BYTES} 字节（6MB）` })
      return
    }
    throw err
  }
  if (raw.trim() !== '') {
    try {
      JSON.parse(raw)
    } catch (err) {
      sendJson(res, 400, { ok: false, code: 'INVALID_JSON', message: `malformed JSON body: ${(err as Error).message}` })
      return
    }
  }
  // Passed on as text: the runner checks the cloud's limits and the worker parses it.
  const outcome = await runner.invoke(name, new EventJson(raw), {
    openid: header(req, 'x-wx-openid'),
    unionid: header(req, 'x-wx-unionid'),
    appid: header(req, 'x-wx-appid'),
    clientIp: clientIp(req),
    source: 'wx_client',
  })
  sendOutcome(res, outcome)
}

const FAILURE_STATUS: Record<Exclude<InvokeOutcome, { ok: true }>['code'], number> = {
  FUNCTION_NOT_FOUND: 404,
  FUNCTION_ERROR: 500,
  FUNCTION_TIMEOUT: 500,
  EXCEED_MAX_PAYLOAD_SIZE: 413,
  INVALID_PARAM: 400,
}

/** A function's answer over HTTP: its value with 200, or `{ok:false, code, message}`. */
export function sendOutcome(res: ServerResponse, outcome: InvokeOutcome): void {
  if (outcome.ok) {
    sendRaw(res, 200, outcome.json, 'application/json; charset=utf-8')
    return
  }
  const status = FAILURE_STATUS[outcome.code]
  sendJson(res, status, { ok: false, code: outcome.code, message: outcome.message })
}

function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '')
}
