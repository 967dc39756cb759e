import type { Logger } from './logger'

/**
 * 客服消息推送 to a cloud function, simulated. On the cloud (云开发 → 设置 → 消息推送, mode 云函数)
 * WeChat invokes the configured function with the message as its event, as JSON:
 * `{ FromUserName, ToUserName, CreateTime, MsgType: 'text', Content, MsgId }`, or for opening
 * the chat `{ MsgType: 'event', Event: 'user_enter_tempsession', SessionFrom }`, with OPENID of
 * the sender in getWXContext. The function's return value is the reply packet: 'success', or
 * `{ MsgType: 'transfer_customer_service', … }` to hand the message to a human agent.
 *
 * The SOURCE WeChat gives such an invocation is not documented; the simulator uses
 * `wx_msgpush`, a privileged source like wx_paycallback (only this simulator, or a caller with
 * the trusted token, may use it). Replies sent with customerServiceMessage.send land in the
 * open API outbox (openapi.ts); this keeps each push with what the function returned.
 */
export const MESSAGE_PUSH_SOURCE = 'wx_msgpush'
/** The mini program's 原始 ID, as ToUserName. */
export const LOCAL_ORIGINAL_ID = 'gh_localcloud000'

export interface PushInput {
  openid: string
  /** Text message content (MsgType text). */
  content?: string
  /** 'text' (default with content), 'event', 'image', 'miniprogrampage'. */
  msgType?: string
  /** With msgType 'event', e.g. user_enter_tempsession. */
  event?: string
  /** Reuse a MsgId to play WeChat delivering the same message again. */
  msgId?: string
}

export interface PushDelivery {
  at: string
  functionName: string
  event: Record<string, unknown>
  /** What the function returned (the reply packet), or how the invocation failed. */
  reply?: unknown
  error?: { code: string; message: string }
  /** The function handed the message to a human (MsgType transfer_customer_service). */
  transferred: boolean
}

export type PushInvoke = (fn: string, event: Record<string, unknown>, openid: string) => Promise<{ ok: true; reply: unknown } | { ok: false; code: string; message: string }>

export class ServicePushSimulator {
  private readonly log: PushDelivery[] = []
  private seq = 0

  constructor(private readonly deps: { functionName: string; logger: Logger; invoke: PushInvoke }) {}

  deliveries(): PushDelivery[] {
    return this.log
  }

  clear(): void {
    this.log.length = 0
  }

  /** Builds the event WeChat would push for `input` and invokes the configured function with it. */
  async push(input: PushInput): Promise<PushDelivery> {
    const now = Math.floor(Date.now() / 1000)
    const msgType = input.msgType ?? (input.event ? 'event' : 'text')
    const event: Record<string, unknown> = { FromUserName: input.openid, ToUserName: LOCAL_ORIGINAL_ID, CreateTime: now, MsgType: msgType }
    if (msgType === 'event') {
      event.Event = input.event ?? 'user_enter_tempsession'
      event.SessionFrom = ''
    } else {
      this.seq += 1
      event.MsgId = input.msgId ?? `${now}${String(this.seq).padStart(6, '0')}`
      if (msgType === 'text') event.Content = input.content ?? ''
    }
    const outcome = await this.deps.invoke(this.deps.functionName, event, input.openid)
    const delivery: PushDelivery = outcome.ok
      ? { at: new Date().toISOString(), functionName: this.deps.functionName, event, reply: outcome.reply, transferred: isTransfer(outcome.reply) }
      : { at: new Date().toISOString(), functionName: this.deps.functionName, event, error: { code: outcome.code, message: outcome.message }, transferred: false }
    this.log.push(delivery)
    this.deps.logger.info(`message push to ${this.deps.functionName} (${msgType}) → ${delivery.transferred ? 'transferred to a human' : outcome.ok ? 'answered' : `failed: ${delivery.error?.message ?? ''}`}`)
    return delivery
  }
}

function isTransfer(reply: unknown): boolean {
  return typeof reply === 'object' && reply !== null && (reply as { MsgType?: unknown }).MsgType === 'transfer_customer_service'
}
