import type { OpenApi } from 'wx-server-sdk'
import type { ActionContext } from '../shared/handler'
import { COLLECTIONS } from '../shared/collections'
import { CARD_PAGES, matchReply, storeListText, type AutoReply } from '../domain/service-replies'
import { loadServiceReplies } from '../services/service-replies'
import { listStores } from './stores'

/**
 * 客服消息推送 (云开发 → 设置 → 消息推送, mode 云函数): WeChat invokes this function with the
 * message as the event — `{ FromUserName, ToUserName, CreateTime, MsgType, Content, MsgId }`
 * for text, `{ MsgType: 'event', Event: 'user_enter_tempsession', SessionFrom }` when someone
 * opens the chat (the guide 云函数接收消息推送; the same JSON as the XML push of 消息推送).
 * The bot answers keywords through customerServiceMessage.send (allowed within 48 hours of the
 * user's message) and answers `'success'`; anything else it hands to a human by returning
 * `{ MsgType: 'transfer_customer_service', ToUserName, FromUserName, CreateTime }` (转发客服消息:
 * the function's return value is the reply packet). Events are never transferred (the guide
 * says so: an agent would see meaningless messages).
 *
 * Trust: the SOURCE of a push is not documented, so nothing here relies on it. The reply goes
 * only to the OPENID of the invocation's own context, so a client that calls the function with
 * a push-shaped event only gets answers sent to itself; a redelivered MsgId is answered once,
 * and more than RATE_LIMIT messages a minute from one person go to a human unanswered.
 */
export interface ServicePush {
  FromUserName?: unknown
  ToUserName?: unknown
  CreateTime?: unknown
  MsgType?: unknown
  Content?: unknown
  MsgId?: unknown
  Event?: unknown
}

export const RATE_LIMIT = 10
export const MAX_CONTENT = 2000

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '')

/** A 100×80 brand-blue PNG: the card's thumbnail (miniprogrampage needs a temporary media id). */
const CARD_THUMB_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAGQAAABQCAIAAABga0e4AAAAiElEQVR42u3QMQ0AAAgDsDnhRwf+NWFhAppUQTN7lKJAlixZsmTJUiBLlixZsmQpkCVLlixZshTIkiVLlixZCmTJkiVLliwFsmTJkiVLlgJZsmTJkiVLgSxZsmTJkqVAlixZsmTJUiBLlixZsmQpkCVLlixZshTIkiVLlixZCmTJkiVLliwFvQe8xjdAuCwErAAAAABJRU5ErkJggg=='
/** Temporary media lives 3 days; a function instance re-uploads after 2. */
const THUMB_TTL_MS = 2 * 24 * 3_600_000
let thumb: { mediaId: string; at: number } | null = null

async function cardThumb(ctx: ActionContext, nowMs: number): Promise<string> {
  if (thumb && nowMs - thumb.at < THUMB_TTL_MS) return thumb.mediaId
  // Called as openapi.<ns>.<api> in full: the declarations test reads the bundle for these.
  const res = await (ctx.cloud.openapi as OpenApi).customerServiceMessage.uploadTempMedia({ type: 'image', media: { contentType: 'image/png', value: Buffer.from(CARD_THUMB_PNG, 'base64') } })
  if (!res.mediaId) throw new Error('uploadTempMedia answered no media id')
  thumb = { mediaId: res.mediaId, at: nowMs }
  return res.mediaId
}

async function sendReply(ctx: ActionContext, touser: string, reply: AutoReply): Promise<void> {
  if (reply.kind === 'card') {
    const mediaId = await cardThumb(ctx, ctx.now().getTime())
    await (ctx.cloud.openapi as OpenApi).customerServiceMessage.send({
      touser,
      msgtype: 'miniprogrampage',
      miniprogrampage: { title: reply.text, pagepath: CARD_PAGES[reply.page ?? 'card'], thumb_media_id: mediaId },
    })
    return
  }
  let content = reply.text
  if (reply.kind === 'hours' || reply.kind === 'address') {
    const stores = await listStores(ctx, undefined)
    content = storeListText(reply.text, stores, reply.kind, ctx.now())
  }
  await (ctx.cloud.openapi as OpenApi).customerServiceMessage.send({ touser, msgtype: 'text', text: { content } })
}

/** Records the message once (its MsgId, or sender + time for events); false when it was seen before. */
async function firstDelivery(ctx: ActionContext, openid: string, push: ServicePush, handledBy: 'bot' | 'human' | 'event'): Promise<boolean> {
  const id = str(push.MsgId) || `${openid}:${str(push.CreateTime)}:${str(push.Event)}`
  try {
    await ctx.db.collection(COLLECTIONS.serviceMessages).add({ data: { _id: id.slice(0, 128), openid, msgType: str(push.MsgType), handledBy, createdAt: ctx.now() } })
    return true
  } catch (e) {
    if (e instanceof Error && /E11000/.test(e.message)) return false
    throw e
  }
}

async function recentCount(ctx: ActionContext, openid: string): Promise<number> {
  const since = new Date(ctx.now().getTime() - 60_000)
  const res = (await ctx.db.collection(COLLECTIONS.serviceMessages).where({ openid, createdAt: ctx.db.command.gte(since) }).count()) as { total: number }
  return res.total
}

export async function onServiceMessage(push: ServicePush, ctx: ActionContext): Promise<unknown> {
  // Only the context's OPENID is replied to; the packet's FromUserName must agree when both are there.
  const openid = ctx.caller.openid
  const from = str(push.FromUserName)
  if (!openid || (from && from !== openid)) return 'success'
  const transfer = { ToUserName: openid, FromUserName: str(push.ToUserName), CreateTime: Math.floor(ctx.now().getTime() / 1000), MsgType: 'transfer_customer_service' }
  const settings = await loadServiceReplies(ctx.db)
  const msgType = str(push.MsgType)

  if (msgType === 'event') {
    if (str(push.Event) !== 'user_enter_tempsession' || !settings.enabled || !settings.greeting) return 'success'
    if (!(await firstDelivery(ctx, openid, push, 'event')) || (await recentCount(ctx, openid)) > RATE_LIMIT) return 'success'
    try {
      await (ctx.cloud.openapi as OpenApi).customerServiceMessage.send({ touser: openid, msgtype: 'text', text: { content: settings.greeting } })
    } catch (e) {
      console.error('[service] greeting not sent', e)
    }
    return 'success'
  }

  const reply = msgType === 'text' ? matchReply(settings, str(push.Content).slice(0, MAX_CONTENT)) : null
  if (!(await firstDelivery(ctx, openid, push, reply ? 'bot' : 'human'))) return 'success'
  if (!reply || (await recentCount(ctx, openid)) > RATE_LIMIT) return transfer
  try {
    await sendReply(ctx, openid, reply)
    return 'success'
  } catch (e) {
    // The bot could not answer (outside the 48-hour window, WeChat unavailable): a person will.
    console.error('[service] auto-reply not sent', e)
    return transfer
  }
}
