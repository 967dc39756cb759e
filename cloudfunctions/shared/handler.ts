import { z } from 'zod'
import { getCloud, type Database } from './cloud'
import { callerFromContext, isTimerInvocation, PAY_CALLBACK_SOURCE, type Caller } from './caller'
import { AppError, ERROR_MESSAGES, isAppError } from './errors'
import type { ActionResult } from './result'

export interface ActionContext {
  caller: Caller
  db: Database
  cloud: ReturnType<typeof getCloud>
  /** Server clock; the only clock that counts for anything that matters. */
  now: () => Date
}

export interface ActionSpec<S extends z.ZodTypeAny, O> {
  input: S
  run: (input: z.output<S>, ctx: ActionContext) => Promise<O>
}

/** Declares one action: its input schema and what it does. Types flow from the schema. */
export function defineAction<S extends z.ZodTypeAny, O>(input: S, run: ActionSpec<S, O>['run']): ActionSpec<S, O> {
  return { input, run }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyActionSpec = ActionSpec<any, any>

export interface FunctionSpec {
  actions: Record<string, AnyActionSpec>
  /** WeChat Pay result callback (SOURCE wx_paycallback); must answer { errcode: 0 } once handled. */
  onPayCallback?: (event: Record<string, unknown>, ctx: ActionContext) => Promise<{ errcode: number; errmsg: string }>
  /** Timer trigger (event.Type === 'Timer'). */
  onTimer?: (event: { TriggerName?: string }, ctx: ActionContext) => Promise<unknown>
  /** 客服消息推送 (MsgType/FromUserName, no action): the answer is the reply packet ('success' or a transfer). */
  onMessagePush?: (event: Record<string, unknown>, ctx: ActionContext) => Promise<unknown>
}

const actionEvent = z.object({ action: z.string().min(1).max(64), input: z.unknown().optional() })

/** Han characters: a message written for people (ours), not zod's English default. */
const CJK = /[\u3400-\u9fff]/

/** Short Chinese names of common fields, for a refusal whose schema gave no message of its own. */
const FIELD_NAMES: Record<string, string> = {
  storeId: '门店',
  amountFen: '金额',
  memberNo: '会员号',
  memberCode: '会员码',
  phone: '手机号',
  phoneLast4: '手机号后 4 位',
  clientRequestId: '请求编号',
  outTradeNo: '订单号',
  approvalId: '审批编号',
  code: '验证码',
  name: '名称',
  address: '地址',
  hours: '营业时间',
  tag: '标签',
  role: '角色',
  page: '页码',
  inviter: '邀请链接',
  birthday: '生日',
  brandName: '品牌名称',
  tiers: '会员等级',
  referral: '推荐奖励',
  cashier: '收银风控',
  setupKey: '初始化密钥',
}

/**
 * The refusal a person reads: always Chinese. Our schemas' own messages (Chinese) are kept;
 * zod's English defaults are replaced by the field's Chinese name, and unknown keys are never
 * echoed (a client's key names are not ours to repeat). The full detail goes to the log.
 */
export function describeZodError(err: z.ZodError): string {
  console.warn('[invalid-input]', JSON.stringify(err.issues.slice(0, 5)).slice(0, 1000))
  const first = err.issues[0]
  if (!first) return ERROR_MESSAGES.INVALID_INPUT
  if (first.code === z.ZodIssueCode.unrecognized_keys) return `${ERROR_MESSAGES.INVALID_INPUT}（含有不支持的字段）`
  if (CJK.test(first.message)) return `${ERROR_MESSAGES.INVALID_INPUT}（${first.message}）`
  const field = [...first.path].reverse().find((p): p is string => typeof p === 'string' && p in FIELD_NAMES)
  return field ? `${ERROR_MESSAGES.INVALID_INPUT}（${FIELD_NAMES[field]}格式不正确）` : ERROR_MESSAGES.INVALID_INPUT
}

export function toFailure(e: unknown): ActionResult<never> {
  if (isAppError(e)) return { ok: false, code: e.code, message: e.message }
  if (e instanceof z.ZodError) return { ok: false, code: 'INVALID_INPUT', message: describeZodError(e) }
  console.error('[internal]', e)
  return { ok: false, code: 'INTERNAL', message: ERROR_MESSAGES.INTERNAL }
}

function buildContext(): ActionContext {
  const cloud = getCloud()
  return {
    caller: callerFromContext(cloud.getWXContext() as Record<string, unknown>),
    db: cloud.database(),
    cloud,
    now: () => new Date(),
  }
}

/**
 * The one wrapper every function goes through: identity from getWXContext, routing by SOURCE
 * and action, input validation, and errors mapped to { ok: false, code, message }.
 */
export function createMain(spec: FunctionSpec) {
  return async function main(event: unknown): Promise<unknown> {
    const ctx = buildContext()
    const body = (event ?? {}) as Record<string, unknown>

    if (ctx.caller.source === PAY_CALLBACK_SOURCE) {
      if (!spec.onPayCallback) return { errcode: 1, errmsg: 'no pay callback here' }
      try {
        return await spec.onPayCallback(body, ctx)
      } catch (e) {
        console.error('[pay-callback]', e)
        // Non-zero makes WeChat deliver the callback again later.
        return { errcode: 1, errmsg: e instanceof Error ? e.message : 'error' }
      }
    }
    // Only the runtime marks a timer (TRIGGER_SRC=timer / SOURCE wx_trigger); a client sending
    // { Type: 'Timer' } falls through to action routing and is refused there.
    if (body.Type === 'Timer' && spec.onTimer && isTimerInvocation(ctx.caller)) {
      return spec.onTimer(body, ctx)
    }

    // A message push has no action; its handler trusts only the context's OPENID (member/service-chat.ts).
    if (spec.onMessagePush && typeof body.MsgType === 'string' && typeof body.FromUserName === 'string' && body.action === undefined) {
      try {
        return await spec.onMessagePush(body, ctx)
      } catch (e) {
        console.error('[message-push]', e)
        return 'success'
      }
    }

    const parsedEvent = actionEvent.safeParse(body)
    if (!parsedEvent.success) return toFailure(new AppError('INVALID_INPUT', '缺少操作名称'))
    // The router sees every action the same way: a schema that parses unknown input, and a run.
    const found: { input: z.ZodType<unknown>; run: (input: unknown, ctx: ActionContext) => Promise<unknown> } | undefined =
      Object.prototype.hasOwnProperty.call(spec.actions, parsedEvent.data.action) ? spec.actions[parsedEvent.data.action] : undefined
    if (!found) return toFailure(new AppError('UNKNOWN_ACTION'))
    try {
      const input = found.input.parse(parsedEvent.data.input ?? {})
      const data = await found.run(input, ctx)
      return { ok: true, data } satisfies ActionResult<unknown>
    } catch (e) {
      return toFailure(e)
    }
  }
}
