import type { IncomingMessage, ServerResponse } from 'http'
import { EventJson, PRIVILEGED_SOURCES, type FunctionRunner, type InvocationInfo } from './function-runner'
import { header, newRequestId, readBody, sendJson, sendRaw } from './http-util'
import type { Logger } from './logger'
import { parseMultipart } from './multipart'
import type { OpenApiSimulator } from './openapi'
import type { PaySimulator } from './pay'
import type { StorageSimulator } from './storage'
import type { DatabaseLike } from './types'

export interface TcbDeps {
  engine: DatabaseLike
  runner: FunctionRunner
  pay: PaySimulator
  openapi: OpenApiSimulator
  storage: StorageSimulator
  logger: Logger
}

/**
 * Content type for wx.wxPayApi JSON replies: exactly `application/json; charset=utf-8` would make
 * node-sdk parse the body itself and the SDK then rejects the result (docs/cloud-protocol.md §6).
 */
const PAY_CONTENT_TYPE = 'application/json'

/** Header with the runner's trustedToken, required to invoke with a PRIVILEGED_SOURCES value. */
export const TRUSTED_HEADER = 'x-local-cloud-trusted'

/**
 * POST /tcb: the single endpoint wx-server-sdk talks to (docs/cloud-protocol.md §1). Every answer is HTTP 200;
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
  if (action.startsWith('storage.')) {
    // The uploader is the invocation's user (the runner knows it by its token), as on the cloud.
    sendJson(res, 200, await deps.storage.handle(action, params, requestId, callerOf(params, deps.runner)?.openid ?? ''))
    return
  }
  if (action === 'functions.invokeFunction') {
    await invokeFunction(params, { source: header(req, 'x-tcb-source'), trusted: header(req, TRUSTED_HEADER) }, res, deps, requestId)
    return
  }
  fail('INVALID_PARAM', action ? `action ${action} is not supported by the local cloud` : 'missing action')
}

async function invokeFunction(
  params: Record<string, unknown>,
  headers: { source: string | undefined; trusted: string | undefined },
  res: ServerResponse,
  deps: TcbDeps,
  requestId: string,
): Promise<void> {
  const fail = (code: string, message: string): void => sendJson(res, 200, { requestId, code, message })
  const name = params.function_name
  if (typeof name !== 'string' || !name) return fail('INVALID_PARAM', 'missing function_name')
  if (params.request_data !== undefined && typeof params.request_data !== 'string') return fail('INVALID_PARAM', 'request_data must be a JSON string')
  const caller = callerOf(params, deps.runner)
  let source: string
  if (caller) {
    // The callee keeps the caller's user and sees the source chain the cloud knows for that
    // invocation, e.g. `wx_client,scf`, whatever X-TCB-Source the request carries.
    source = `${caller.source},scf`
  } else {
    // A Node client outside any function (a script, a test). It may name a source, except the
    // ones only WeChat Pay and the timer scheduler produce: those would let anyone fake a paid
    // order or a timer run.
    source = headers.source || 'scf'
    const privileged = source.split(',').some((s) => PRIVILEGED_SOURCES.includes(s.trim()))
    if (privileged && !deps.runner.isTrusted(headers.trusted)) {
      deps.logger.warn(`refused functions.invokeFunction of ${name} with SOURCE ${source} from an untrusted caller`)
      return fail('INVALID_REQUEST_SOURCE', `调用来源 ${source} 只能由本地云的支付模拟器、定时触发器或消息推送模拟器使用`)
    }
  }
  const outcome = await deps.runner.invoke(name, new EventJson(typeof params.request_data === 'string' ? params.request_data : ''), {
    openid: caller?.openid,
    appid: caller?.appid,
    unionid: caller?.unionid,
    source,
  })
  if (outcome.ok) {
    sendJson(res, 200, { requestId: outcome.requestId, data: { response_data: outcome.json } })
    return
  }
  const code = outcome.code === 'FUNCTION_ERROR' || outcome.code === 'FUNCTION_TIMEOUT' ? 'FUNCTIONS_EXECUTE_FAIL' : outcome.code
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
        permitted: (caller && deps.runner.functions.get(caller.functionName)?.openapi) ?? [],
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
