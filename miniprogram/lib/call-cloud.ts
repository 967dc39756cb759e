import type { ActionInput, ActionName, ActionOutput, FunctionName } from '../../cloudfunctions/shared/contract'
import type { ActionResult } from '../../cloudfunctions/shared/result'
import { cloudConfig } from '../config'
import type { ClientErrorCode } from '../shared/error-codes'

/** A failed call, with the server's code (or a transport code) and a message fit to show. */
export class CloudCallError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'CloudCallError'
    this.code = code
  }
}

/**
 * Did the call fail with one of these codes? The codes are typed from shared/error-codes, so a
 * page that reacts to a code (INVITE_USED, NOT_FOUND …) cannot name one the server never sends.
 */
export function hasCode(e: unknown, ...codes: ClientErrorCode[]): e is CloudCallError {
  return e instanceof CloudCallError && (codes as string[]).includes(e.code)
}

export type Transport = (name: string, event: { action: string; input: unknown }) => Promise<unknown>

const NETWORK_MESSAGE = '网络不给力，请稍后重试'

const cloudTransport: Transport = async (name, event) => {
  const res = await wx.cloud.callFunction({ name, data: event })
  return res.result
}

const localTransport: Transport = (name, event) =>
  new Promise((resolve, reject) => {
    wx.request({
      url: `${cloudConfig.gatewayUrl}/functions/${name}`,
      method: 'POST',
      data: event,
      header: { 'content-type': 'application/json', 'X-WX-OPENID': currentDevOpenid() },
      success: (res) => resolve(res.data),
      fail: (err) => {
        console.warn('[callCloud]', name, err.errMsg)
        reject(new CloudCallError('NETWORK', NETWORK_MESSAGE))
      },
    })
  })

let override: Transport | null = null
let devOpenid = cloudConfig.devOpenid
let identity = 0

/** Tests and the screenshot harness replace the transport at this boundary. */
export function setTransport(t: Transport | null): void {
  override = t
  identity += 1
}

/** Local mode only: act as another user (e.g. a staff member) without a real WeChat login. */
export function setDevOpenid(openid: string): void {
  devOpenid = openid
  identity += 1
}

/**
 * Bumped whenever who is calling (or what answers) may have changed: a new transport or dev
 * identity. Caches of per-user answers (the staff session) compare it to know they are stale.
 */
export function identityEpoch(): number {
  return identity
}

export function currentDevOpenid(): string {
  return devOpenid
}

function transport(): Transport {
  if (override) return override
  return cloudConfig.mode === 'local' ? localTransport : cloudTransport
}

function isActionResult(v: unknown): v is ActionResult<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean'
}

/** The one typed client: call `action` of function `name`, get its data or a CloudCallError. */
export async function callCloud<F extends FunctionName, A extends ActionName<F>>(
  name: F,
  action: A,
  input: ActionInput<F, A>,
): Promise<ActionOutput<F, A>> {
  let raw: unknown
  try {
    raw = await transport()(name, { action, input })
  } catch (e) {
    if (e instanceof CloudCallError) throw e
    // The SDK's own text (English, error codes) is for the console, not for the person.
    console.warn('[callCloud]', name, action, e)
    throw new CloudCallError('NETWORK', NETWORK_MESSAGE)
  }
  if (!isActionResult(raw)) throw new CloudCallError('BAD_RESPONSE', '服务返回异常，请稍后重试')
  if (!raw.ok) throw new CloudCallError(raw.code, raw.message)
  return raw.data as ActionOutput<F, A>
}
