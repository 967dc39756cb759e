import { createHash } from 'crypto'
import path from 'path'
import QRCode from 'qrcode'
import { JsonFile } from './json-file'
import type { Logger } from './logger'
import { decodeCommApiData, encodeCommOpenApiResp, type OpenApiResp } from './openapi-proto'
import { textOf } from './text'

/**
 * Open API simulation for `cloud.openapi.*` (action wx.openApi, docs/cloud-protocol.md §7): messages are recorded
 * in an outbox (`<dataDir>/_openapi_outbox.json`) instead of being sent, mini program codes are
 * real PNG QR codes, and content checks flag a configurable test word.
 */
export interface OutboxEntry {
  msgid: number
  apiName: string
  at: string
  /** The function that sent it and the OPENID it ran as ('' outside a function). */
  fromFunction: string
  callerOpenid: string
  /** Decoded params as the SDK sent them (snake_case). */
  params: Record<string, unknown>
}

export interface OpenApiCaller {
  openid: string
  /** The function whose invocation sent the request ('' for a caller outside any function). */
  functionName: string
  /** Its config.json `permissions.openapi` (none outside a function). */
  permitted: readonly string[]
}

/** Default word that makes security.msgSecCheck answer "risky" (errcode 87014). */
export const DEFAULT_RISKY_WORD = '违禁词'

/** WeChat's system error for an API a function may not call; also used for unsimulated APIs. */
export const NO_PERMISSION = -604101

export class OpenApiSimulator {
  private readonly outbox: JsonFile<{ nextMsgid: number; messages: OutboxEntry[] }>

  constructor(private readonly deps: { dataDir: string; logger: Logger; riskyWord: string }) {
    this.outbox = new JsonFile(path.join(deps.dataDir, '_openapi_outbox.json'), () => ({ nextMsgid: 1, messages: [] }))
  }

  messages(): OutboxEntry[] {
    return this.outbox.data.messages
  }

  /**
   * Members who refused (or used up) a subscription template: WeChat answers 43101 to a send
   * for them. The real platform counts each accept on the phone; locally a test marks the pair.
   * `templateId` '*' = every template of that member.
   */
  private readonly subscribeRefused = new Set<string>()

  refuseSubscribe(openid: string, templateId: string): void {
    this.subscribeRefused.add(`${openid}\u0000${templateId}`)
  }

  clearSubscribeRefusals(): void {
    this.subscribeRefused.clear()
  }

  async clear(): Promise<void> {
    await this.outbox.update((o) => (o.messages = []))
  }

  flush(): Promise<void> {
    return this.outbox.flush()
  }

  /** Answers one wx.openApi request: `requestData` is a CommApiData protobuf. */
  async handle(apiName: string, requestData: Buffer, caller: OpenApiCaller): Promise<Buffer> {
    // As on the cloud, a function calls only the open APIs its config.json declares; the check
    // comes before the parameters are looked at, and nothing is recorded for a refused call.
    if (!caller.permitted.includes(apiName)) {
      const who = caller.functionName ? `function ${caller.functionName}` : 'a caller outside any function'
      this.deps.logger.warn(`openapi.${apiName} refused (-604101): ${who} does not list it in config.json permissions.openapi`)
      return encodeCommOpenApiResp(noPermission())
    }
    const { pairs } = decodeCommApiData(requestData)
    const params: Record<string, unknown> = {}
    for (const p of pairs) {
      params[p.key] = p.filename ? { filename: p.filename, bytes: p.value.length } : parseJson(p.value.toString('utf8'))
    }
    return encodeCommOpenApiResp(await this.answer(apiName, params, caller))
  }

  private async answer(apiName: string, params: Record<string, unknown>, caller: OpenApiCaller): Promise<OpenApiResp> {
    if (apiName === 'wxacode.getUnlimited') {
      const scene = typeof params.scene === 'string' ? params.scene : textOf(params.scene)
      if (!scene || scene.length > 32) return wx({ errcode: 40169, errmsg: 'invalid length for scene, or the data is not json string' })
      return this.qr(scene, params.width)
    }
    if (apiName === 'wxacode.get' || apiName === 'wxacode.createQRCode') {
      const target = typeof params.path === 'string' ? params.path : ''
      if (!target) return wx({ errcode: 40159, errmsg: 'invalid length for path, or the data is not json string' })
      return this.qr(target, params.width)
    }
    if (apiName === 'security.msgSecCheck') {
      const content = typeof params.content === 'string' ? params.content : ''
      if (this.deps.riskyWord && content.toLowerCase().includes(this.deps.riskyWord.toLowerCase())) {
        return wx({ errcode: 87014, errmsg: 'risky content' })
      }
      return wx({
        errcode: 0,
        errmsg: 'ok',
        result: { suggest: 'pass', label: 100 },
        detail: [{ strategy: 'content_model', errcode: 0, suggest: 'pass', label: 100, prob: 90 }],
        trace_id: `local-${Date.now().toString(16)}`,
      })
    }
    if (apiName === 'phonenumber.getPhoneNumber') {
      // The code from the page's getPhoneNumber event; locally any non-empty code maps to a stable
      // fake mainland number (or the 11 digits after "local-phone-", to choose one in a test).
      const code = typeof params.code === 'string' ? params.code : ''
      if (!code || code.length > 128) return wx({ errcode: 40029, errmsg: 'invalid code' })
      const chosen = /^local-phone-(1\d{10})$/.exec(code)?.[1]
      const phone = chosen ?? `138${String(parseInt(createHash('sha256').update(code).digest('hex').slice(0, 12), 16) % 1e8).padStart(8, '0')}`
      return wx({
        errcode: 0,
        errmsg: 'ok',
        phone_info: { phoneNumber: phone, purePhoneNumber: phone, countryCode: '86', watermark: { timestamp: Math.floor(Date.now() / 1000) } },
      })
    }
    if (apiName === 'customerServiceMessage.uploadTempMedia') {
      // Temporary media for a card's thumb_media_id; the bytes are not kept, only counted.
      const media = params.media as { bytes?: number } | undefined
      if (params.type !== 'image' || !media || !media.bytes) return wx({ errcode: 40004, errmsg: 'invalid media type' })
      const mediaId = `local-media-${createHash('sha256').update(String(Date.now()) + String(Math.random())).digest('hex').slice(0, 24)}`
      return wx({ errcode: 0, errmsg: 'ok', type: 'image', media_id: mediaId, created_at: Math.floor(Date.now() / 1000) })
    }
    if (apiName === 'customerServiceMessage.send' && (!params.touser || !params.msgtype)) {
      return wx({ errcode: 44002, errmsg: 'empty post data: touser and msgtype are required' })
    }
    if (apiName.endsWith('.send')) {
      if (apiName === 'subscribeMessage.send' && (!params.touser || !params.template_id)) {
        return wx({ errcode: 47003, errmsg: 'argument invalid! touser and template_id are required' })
      }
      if (apiName === 'subscribeMessage.send') {
        const who = String(params.touser)
        if (this.subscribeRefused.has(`${who}\u0000${String(params.template_id)}`) || this.subscribeRefused.has(`${who}\u0000*`)) {
          return wx({ errcode: 43101, errmsg: 'user refuse to accept the msg' })
        }
      }
      let msgid = 0
      await this.outbox.update((o) => {
        msgid = o.nextMsgid++
        o.messages.push({ msgid, apiName, at: new Date().toISOString(), fromFunction: caller.functionName, callerOpenid: caller.openid, params })
      })
      this.deps.logger.info(`openapi ${apiName} recorded in the outbox (msgid ${msgid})`)
      return wx({ errcode: 0, errmsg: 'ok', msgid })
    }
    this.deps.logger.warn(`openapi.${apiName} is not simulated by the local cloud`)
    return noPermission()
  }

  private async qr(text: string, width: unknown): Promise<OpenApiResp> {
    const size = typeof width === 'number' && width >= 280 && width <= 1280 ? width : 430
    const png = await QRCode.toBuffer(text, { type: 'png', width: size, margin: 2 })
    return { respData: png, contentType: 'image/png' }
  }
}

function noPermission(): OpenApiResp {
  return { respData: Buffer.alloc(0), contentType: 'application/json', errorCode: NO_PERMISSION }
}

function wx(body: Record<string, unknown>): OpenApiResp {
  return { respData: Buffer.from(JSON.stringify(body)), contentType: 'application/json; charset=utf-8' }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
