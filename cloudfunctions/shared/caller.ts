import { AppError } from './errors'

/** Who is calling, taken only from the runtime context (never from the request body). */
export interface Caller {
  openid: string
  appid: string
  unionid: string
  /** SOURCE from getWXContext: wx_client, wx_paycallback, wx_trigger, 'wx_client,scf' … */
  source: string
}

export function callerFromContext(ctx: Record<string, unknown>): Caller {
  return {
    openid: typeof ctx.OPENID === 'string' ? ctx.OPENID : '',
    appid: typeof ctx.APPID === 'string' ? ctx.APPID : '',
    unionid: typeof ctx.UNIONID === 'string' ? ctx.UNIONID : '',
    source: typeof ctx.SOURCE === 'string' ? ctx.SOURCE : '',
  }
}

/** An action that acts on behalf of a WeChat user needs an OPENID. */
export function requireOpenid(caller: Caller): string {
  if (!caller.openid) throw new AppError('UNAUTHENTICATED')
  return caller.openid
}

export const PAY_CALLBACK_SOURCE = 'wx_paycallback'
export const TIMER_SOURCE = 'wx_trigger'

/** A timer trigger, as the runtime says so: SOURCE wx_trigger, or TRIGGER_SRC=timer in its environment. */
export function isTimerInvocation(caller: Caller): boolean {
  return caller.source === TIMER_SOURCE || process.env.TRIGGER_SRC === 'timer'
}
