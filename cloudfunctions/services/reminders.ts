import type { OpenApi } from 'wx-server-sdk'
import type { Database } from '../shared/cloud'
import type { ActionContext } from '../shared/handler'
import { COLLECTIONS } from '../shared/collections'
import { getDoc, list, runTransaction, txGet, withoutId, type Transaction } from './db-util'
import { SUBSCRIBE_TEMPLATE_KEYS, subscribeTemplateId, type SubscribeTemplateKey } from './subscribe-templates'
import { chinaDay } from './day-counters'

/**
 * Subscription messages (订阅消息) under WeChat's one-time rule: each 「允许」 the member taps in
 * wx.requestSubscribeMessage allows one message of that template, and consents add up. We keep
 * that count per member and template (a credit per accept); a send spends one, so no member ever
 * gets a message they did not allow. WeChat answering 43101 means the count we hold is wrong
 * (the member refused or it was used): the credits of that template go to zero.
 */

/** The field kinds of a subscription template and their limits (WeChat's documented rules). */
export type FieldKind = 'thing' | 'time' | 'date' | 'amount' | 'number' | 'character_string' | 'phrase' | 'name'

/**
 * The fields our messages fill, per template. The merchant picks templates with these fields in
 * 公共模板库 (the deploy doctor prints this table); a message is checked against it before sending.
 */
export const REMINDER_FIELDS: Record<SubscribeTemplateKey, Record<string, FieldKind>> = {
  couponExpiring: { thing1: 'thing', time2: 'time', thing3: 'thing' },
  birthday: { thing1: 'thing', thing2: 'thing', date3: 'date' },
  prizeShipped: { thing1: 'thing', name2: 'name', character_string3: 'character_string' },
  checkIn: { thing1: 'thing', thing2: 'thing', time3: 'time' },
  campaign: { thing1: 'thing', thing2: 'thing', date3: 'date' },
}

const visibleLength = (s: string): number => [...s].length
const TIME_RE = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$|^\d{4}年\d{1,2}月\d{1,2}日( \d{1,2}:\d{2})?$/
const DATE_RE = /^\d{4}-\d{2}-\d{2}$|^\d{4}年\d{1,2}月\d{1,2}日$/

/** What is wrong with one field's value for its kind, or null. */
export function fieldProblem(kind: FieldKind, value: string): string | null {
  if (value.length === 0) return '不能为空'
  switch (kind) {
    case 'thing':
      return visibleLength(value) <= 20 ? null : '不能超过 20 个字'
    case 'phrase':
      return visibleLength(value) <= 5 && /^[\u4e00-\u9fff]+$/.test(value) ? null : '须为 5 个以内汉字'
    case 'name':
      return visibleLength(value) <= 10 ? null : '不能超过 10 个字'
    case 'number':
      return value.length <= 32 && /^\d+(\.\d+)?$/.test(value) ? null : '须为 32 位以内数字'
    case 'character_string':
      return value.length <= 32 && /^[A-Za-z0-9_\-.]+$/.test(value) ? null : '须为 32 位以内字母、数字或符号'
    case 'amount':
      return value.length <= 32 && /^¥?\d+(\.\d{1,2})?元?$/.test(value) ? null : '须为金额，如 ¥12.50'
    case 'time':
      return TIME_RE.test(value) ? null : '须为时间，如 2026-12-02 15:00'
    case 'date':
      return DATE_RE.test(value) ? null : '须为日期，如 2026-12-02'
  }
}

/** The problems of a whole message (unknown or missing fields, values out of their kind's limits). */
export function messageProblems(key: SubscribeTemplateKey, data: Readonly<Record<string, string>>): string[] {
  const fields = REMINDER_FIELDS[key]
  const out: string[] = []
  for (const name of Object.keys(data)) if (!(name in fields)) out.push(`${name}: 模板没有这个字段`)
  for (const [name, kind] of Object.entries(fields)) {
    const value = data[name]
    if (value === undefined) out.push(`${name}: 缺少`)
    else {
      const p = fieldProblem(kind, value)
      if (p) out.push(`${name}: ${p}`)
    }
  }
  return out
}

/** subscribe_credits/<openid>:<key> */
export interface SubscribeCreditDoc {
  _id: string
  openid: string
  key: SubscribeTemplateKey
  credits: number
  updatedAt: Date
}

export type SendStatus = 'sending' | 'sent' | 'refused' | 'failed'

/** reminder_sends/<cause>: one per cause (a coupon's expiry, a year's birthday, a prize's shipment, a campaign). */
export interface ReminderSendDoc {
  _id: string
  openid: string
  key: SubscribeTemplateKey
  status: SendStatus
  marketing: boolean
  /** The daily-cap slot the send took (reminder_daily), freed again if it was not delivered. */
  dailySlot: string | null
  msgid: number | null
  errCode: number | null
  createdAt: Date
  updatedAt: Date
}

export const creditDocId = (openid: string, key: SubscribeTemplateKey): string => `${openid}:${key}`

/** Adds one credit per accepted template (the member tapped 允许 for it). */
export async function recordConsents(db: Database, openid: string, accepted: readonly SubscribeTemplateKey[], now: Date): Promise<void> {
  const counts = new Map<SubscribeTemplateKey, number>()
  for (const k of accepted) counts.set(k, (counts.get(k) ?? 0) + 1)
  if (counts.size === 0) return
  await runTransaction(db, async (t) => {
    for (const [key, n] of counts) {
      const id = creditDocId(openid, key)
      const known = await txGet<SubscribeCreditDoc>(t, COLLECTIONS.subscribeCredits, id)
      if (known) await t.collection(COLLECTIONS.subscribeCredits).doc(id).update({ data: { credits: known.credits + n, updatedAt: now } })
      else await t.collection(COLLECTIONS.subscribeCredits).doc(id).set({ data: withoutId<SubscribeCreditDoc>({ _id: id, openid, key, credits: n, updatedAt: now }) })
    }
  })
}

export async function creditsOf(db: Database, openid: string): Promise<Record<SubscribeTemplateKey, number>> {
  const rows = await list<SubscribeCreditDoc>(db.collection(COLLECTIONS.subscribeCredits).where({ openid }).limit(100))
  const out = Object.fromEntries(SUBSCRIBE_TEMPLATE_KEYS.map((k) => [k, 0])) as Record<SubscribeTemplateKey, number>
  for (const r of rows) if (r.key in out) out[r.key] = r.credits
  return out
}

export type SendOutcome = 'sent' | 'no-credit' | 'already' | 'daily-cap' | 'refused' | 'failed'

export interface ReminderRequest {
  openid: string
  key: SubscribeTemplateKey
  /** Unique per reminder: a cause is sent at most once (a failed send may be tried again). */
  cause: string
  /** The mini-program page the message opens. */
  page: string
  data: Record<string, string>
  /** A marketing reminder counts against the member's daily cap. */
  marketing: boolean
  /** Marketing reminders a member may receive per China day (merchant setting; default 1). */
  dailyCap?: number
}

const dailySlotId = (openid: string, day: string, n: number): string => `${openid}:${day}:${n}`

type Reserved = { outcome: 'reserved'; dailySlot: string | null } | { outcome: Exclude<SendOutcome, 'sent' | 'refused' | 'failed'> }

async function reserve(t: Transaction, req: ReminderRequest, now: Date): Promise<Reserved> {
  const known = await txGet<ReminderSendDoc>(t, COLLECTIONS.reminderSends, req.cause)
  if (known && known.status !== 'failed') return { outcome: 'already' }
  const credit = await txGet<SubscribeCreditDoc>(t, COLLECTIONS.subscribeCredits, creditDocId(req.openid, req.key))
  if (!credit || credit.credits <= 0) return { outcome: 'no-credit' }
  let dailySlot: string | null = null
  if (req.marketing) {
    const cap = req.dailyCap ?? 1
    const day = chinaDay(now)
    for (let n = 1; n <= cap && !dailySlot; n += 1) {
      const id = dailySlotId(req.openid, day, n)
      if (!(await txGet(t, COLLECTIONS.reminderDaily, id))) dailySlot = id
    }
    if (!dailySlot) return { outcome: 'daily-cap' }
    await t.collection(COLLECTIONS.reminderDaily).doc(dailySlot).set({ data: { openid: req.openid, cause: req.cause, createdAt: now } })
  }
  await t.collection(COLLECTIONS.subscribeCredits).doc(credit._id).update({ data: { credits: credit.credits - 1, updatedAt: now } })
  const send: Omit<ReminderSendDoc, '_id'> = { openid: req.openid, key: req.key, status: 'sending', marketing: req.marketing, dailySlot, msgid: null, errCode: null, createdAt: known?.createdAt ?? now, updatedAt: now }
  if (known) await t.collection(COLLECTIONS.reminderSends).doc(req.cause).update({ data: send })
  else await t.collection(COLLECTIONS.reminderSends).doc(req.cause).set({ data: send })
  return { outcome: 'reserved', dailySlot }
}

function errCodeOf(e: unknown): number | null {
  const code = typeof e === 'object' && e !== null ? (e as { errCode?: unknown }).errCode : undefined
  return typeof code === 'number' ? code : null
}

/** WeChat: the member has no consent left for this template (refused, or used up). */
export const NO_CONSENT_ERRCODE = 43101

/**
 * Sends one reminder, at most once per cause, spending one credit. The credit (and the daily
 * slot) are taken in a transaction before WeChat is asked, so two concurrent sends can never
 * spend one credit twice; a send WeChat did not deliver gives them back (43101 zeroes the
 * credits instead). A crash between the two steps loses that one message (never sends twice).
 * A message that breaks the template's field rules is a bug in the caller: it throws.
 */
export async function sendReminder(ctx: ActionContext, req: ReminderRequest): Promise<SendOutcome> {
  const problems = messageProblems(req.key, req.data)
  if (problems.length) throw new Error(`reminder ${req.key} (${req.cause}): ${problems.join('; ')}`)
  const templateId = subscribeTemplateId(req.key)
  const now = ctx.now()
  const reserved = await runTransaction(ctx.db, (t) => reserve(t, req, now))
  if (reserved.outcome !== 'reserved') return reserved.outcome
  const data = Object.fromEntries(Object.entries(req.data).map(([k, value]) => [k, { value }]))
  let msgid: number | null = null
  let errCode: number | null = null
  try {
    const res = (await (ctx.cloud.openapi as OpenApi).subscribeMessage.send({ touser: req.openid, templateId, page: req.page, data, miniprogramState: 'formal', lang: 'zh_CN' })) as { errCode?: number; errcode?: number; msgid?: number }
    errCode = res.errCode ?? res.errcode ?? 0
    msgid = typeof res.msgid === 'number' ? res.msgid : null
  } catch (e) {
    errCode = errCodeOf(e) ?? -1
    if (errCode === -1) console.error(`[reminder] ${req.cause}`, e)
  }
  const status: SendStatus = errCode === 0 ? 'sent' : errCode === NO_CONSENT_ERRCODE ? 'refused' : 'failed'
  const at = ctx.now()
  await runTransaction(ctx.db, async (t) => {
    await t.collection(COLLECTIONS.reminderSends).doc(req.cause).update({ data: { status, msgid, errCode, updatedAt: at } })
    if (status === 'sent') return
    if (reserved.dailySlot) await t.collection(COLLECTIONS.reminderDaily).doc(reserved.dailySlot).remove()
    const credit = await txGet<SubscribeCreditDoc>(t, COLLECTIONS.subscribeCredits, creditDocId(req.openid, req.key))
    if (credit) await t.collection(COLLECTIONS.subscribeCredits).doc(credit._id).update({ data: { credits: status === 'refused' ? 0 : credit.credits + 1, updatedAt: at } })
  })
  return status
}

export async function reminderSend(db: Database, cause: string): Promise<ReminderSendDoc | null> {
  return getDoc<ReminderSendDoc>(db, COLLECTIONS.reminderSends, cause)
}
