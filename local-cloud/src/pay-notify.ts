/**
 * How the simulated WeChat Pay judges a callback's reply and when it delivers again.
 *
 * The cloud docs (支付结果回调云函数协议) say the callback function must answer
 * `{ errcode: 0, errmsg }`; anything else is an unsuccessful callback that is delivered again,
 * "持续重试最多两天". WeChat Pay's own notify schedule is documented as
 * 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h (24h4m); the cloud's exact schedule
 * for function callbacks is not, so the simulator uses WeChat Pay's, compressed.
 */

/** One delivery of a callback and what came back. */
export interface Delivery {
  /** 1-based, per notification. */
  n: number
  at: string
  /** first = the payment/refund itself, replay = asked for over HTTP, retry = the schedule. */
  trigger: 'first' | 'replay' | 'retry'
  acknowledged: boolean
  /** The function's answer (when it answered). */
  reply?: unknown
  /** How the invocation failed (throw, timeout, missing function). */
  error?: { code: string; message: string }
}

/** The delivery state of one notification (a payment's, or one refund's). */
export interface NotifyState {
  /** Some delivery was answered `{ errcode: 0 }`: WeChat stops delivering. */
  acknowledged: boolean
  deliveries: Delivery[]
  /** Scheduled redeliveries made so far. */
  retries: number
  /** When the next scheduled redelivery is due (absent when none is pending). */
  nextRetryAt?: string
  /** Every scheduled redelivery was made and none was acknowledged. */
  exhausted?: boolean
}

/** What one invocation of the callback function gave. */
export type CallbackOutcome = { ok: true; reply: unknown } | { ok: false; code: string; message: string }

/** WeChat Pay's documented notify intervals, in seconds. */
export const WECHAT_NOTIFY_INTERVALS_S = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600] as const

/** The simulator's default: the same intervals 60 times faster (15 s → 250 ms, 6 h → 6 min). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = WECHAT_NOTIFY_INTERVALS_S.map((s) => (s * 1000) / 60)

/** Exactly what ends the deliveries: a reply object whose `errcode` is the number 0. */
export function isAcknowledged(outcome: CallbackOutcome): boolean {
  if (!outcome.ok) return false
  const reply = outcome.reply
  return typeof reply === 'object' && reply !== null && !Array.isArray(reply) && (reply as { errcode?: unknown }).errcode === 0
}

/** The answer the HTTP routes list for one delivery: the reply, or how the invocation failed. */
export function resultOf(outcome: CallbackOutcome): unknown {
  return outcome.ok ? outcome.reply : { ok: false, code: outcome.code, message: outcome.message }
}

export function newNotifyState(): NotifyState {
  return { acknowledged: false, deliveries: [], retries: 0 }
}
