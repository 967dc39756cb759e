import type { IncomingMessage, ServerResponse } from 'http'
import type { FunctionRunner, InvocationInfo } from './function-runner'
import { header, newRequestId, readBody, sendJson, sendRaw } from './http-util'
import type { Logger } from './logger'
import { parseMultipart } from './multipart'
import type { OpenApiSimulator } from './openapi'
import type { PaySimulator } from './pay'
import type { DatabaseLike } from './types'

export interface TcbDeps {
  engine: DatabaseLike
  runner: FunctionRunner
  pay: PaySimulator
  openapi: OpenApiSimulator
  logger: Logger
}

/**
 * Content type for wx.wxPayApi JSON replies: exactly `application/json; charset=utf-8` would make
 * node-sdk parse the body itself and the SDK then rejects the result (notes §6).
 */
const PAY_CONTENT_TYPE = 'application/json'

/**
 * POST /tcb: the single endpoint wx-server-sdk talks to (notes §1). Every answer is HTTP 200;
 * errors are `{requestId, code, message}`, which the SDK turns into its own errors.
 */
export async function handleTcb(req: IncomingMessage, res: ServerResponse, deps: TcbDeps): Promise<void> {
  const requestId = newRequestId()
  const fail = (code: string, message: string, contentType?: string): void =>
    sendJson(res, 200, { requestId, code, message }, contentType)
  let raw: Buffer
  try {
    raw = await readBody(req)
  } catch (err) {
    fail('INVALID_PARAM', (err as Error).message)
    return
  }
  const contentType = header(req, 'content-type') ?? ''
  if (contentType.startsWith('multipart/form-data')) {
    let fields: Map<string, Buffer>
    try {
      fields = await parseMultipart(contentType, raw)
    } catch (err) {
      fail('INVALID_PARAM', `malformed multipart body: ${(err as Error).message}`)
      return
    }
    await handleMultipart(fields, res, deps, fail)
    return
  }
  let body: unknown
  try {
    body = JSON.parse(raw.toString('utf8'))
  } catch {
    fail('INVALID_PARAM', 'request body is not valid JSON')
    return
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    fail('INVALID_PARAM', 'request body must be a JSON object')
    return
  }
  const params = body as Record<string, unknown>
  const action = typeof params.action === 'string' ? params.action : ''
  if (action.startsWith('database.')) {
    sendJson(res, 200, await deps.engine.handle(params))
    return
  }
  if (action === 'functions.invokeFunction') {
    await invokeFunction(params, header(req, 'x-tcb-source'), res, deps, requestId)
    return
  }
  fail('INVALID_PARAM', action ? `action ${action} is not supported by the local cloud` : 'missing action')
}

async function invokeFunction(
  params: Record<string, unknown>,
  sourceHeader: string | undefined,
  res: ServerResponse,
  deps: TcbDeps,
  requestId: string,
): Promise<void> {
  const name = params.function_name
  if (typeof name !== 'string' || !name) {
    sendJson(res, 200, { requestId, code: 'INVALID_PARAM', message: 'missing function_name' })
    return
  }
  let event: unknown = {}
  if (typeof params.request_data === 'string' && params.request_data !== '') {
    try {
      event = JSON.parse(params.request_data)
    } catch {
      sendJson(res, 200, { requestId, code: 'INVALID_PARAM', message: 'request_data is not valid JSON' })
      return
    }
  }
  const caller = callerOf(params, deps.runner)
  // The callee keeps the caller's user and sees the SDK's source chain, e.g. `wx_client,scf`.
  // Our workers run the SDK with TENCENTCLOUD=true (no metadata look-ups), so it tags itself
  // `,tencentcloud`; inside the real cloud that tag reads `,scf`.
  const source = caller ? (sourceHeader ?? ',scf').replace(/,(tencentcloud|unknown|other)$/, ',scf') : sourceHeader || 'scf'
  const outcome = await deps.runner.invoke(name, event, {
    openid: caller?.openid,
    appid: caller?.appid,
    unionid: caller?.unionid,
    source,
  })
  if (outcome.ok) {
    sendJson(res, 200, { requestId: outcome.requestId, data: { response_data: outcome.json } })
    return
  }
  const code = outcome.code === 'FUNCTION_NOT_FOUND' ? 'FUNCTION_NOT_FOUND' : 'FUNCTIONS_EXECUTE_FAIL'
  sendJson(res, 200, { requestId: outcome.requestId, code, message: outcome.message })
}

async function handleMultipart(
  fields: Map<string, Buffer>,
  res: ServerResponse,
  deps: TcbDeps,
  fail: (code: string, message: string, contentType?: string) => void,
): Promise<void> {
  const text = (k: string): string => fields.get(k)?.toString('utf8') ?? ''
  const action = text('action')
  const apiName = text('apiName')
  const caller = callerOf({ wxCloudApiToken: text('wxCloudApiToken'), tcb_sessionToken: text('tcb_sessionToken') }, deps.runner)
  if (action === 'wx.wxPayApi') {
    let params: Record<string, unknown>
    try {
      const parsed: unknown = JSON.parse(text('requestData') || '{}')
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
      params = parsed as Record<string, unknown>
    } catch {
      fail('INVALID_PARAM', 'requestData is not a JSON object', PAY_CONTENT_TYPE)
      return
    }
    const reply = await deps.pay.handleApi(apiName, params, { openid: caller?.openid ?? '', functionName: caller?.functionName })
    sendJson(res, 200, reply, PAY_CONTENT_TYPE)
    return
  }
  if (action === 'wx.openApi') {
    let body: Buffer
    try {
      body = await deps.openapi.handle(apiName, fields.get('requestData') ?? Buffer.alloc(0), {
        openid: caller?.openid ?? '',
        functionName: caller?.functionName ?? '',
      })
    } catch (err) {
      fail('INVALID_PARAM', `malformed openapi request: ${(err as Error).message}`, 'application/json')
      return
    }
    sendRaw(res, 200, body, 'application/octet-stream')
    return
  }
  fail('INVALID_PARAM', action ? `action ${action} is not supported by the local cloud` : 'missing action', 'application/json')
}

/** The invocation that sent this request, from the token the runner put in its context. */
function callerOf(params: Record<string, unknown>, runner: FunctionRunner): InvocationInfo | undefined {
  return runner.byToken(params.wxCloudApiToken) ?? runner.byToken(params.tcb_sessionToken)
}
