/**
 * The function wrapper: identity only from the runtime context, input validated before any
 * work, errors mapped to { ok: false, code, message }. getWXContext reads process.env, so the
 * test sets the variables the cloud runtime sets.
 */
import { z } from 'zod'
import { createMain, defineAction } from '../../cloudfunctions/shared/handler'
import { AppError } from '../../cloudfunctions/shared/errors'
import { main as systemMain } from '../../cloudfunctions/system/index'

function asUser(openid: string, source = 'wx_client'): void {
  process.env.WX_OPENID = openid
  process.env.WX_APPID = 'wx-app'
  process.env.WX_CONTEXT_KEYS = 'WX_OPENID,WX_APPID'
  process.env.TCB_SOURCE = source
  process.env.TENCENTCLOUD_SECRETID = 'local'
  process.env.TENCENTCLOUD_SECRETKEY = 'local'
  process.env.TENCENTCLOUD = 'true'
}

describe('createMain', () => {
  const seen: string[] = []
  const main = createMain({
    actions: {
      echo: defineAction(z.object({ n: z.number().int().positive() }).strict(), async (input, ctx) => {
        seen.push(ctx.caller.openid)
        return { doubled: input.n * 2 }
      }),
      fail: defineAction(z.object({}), async () => {
        throw new AppError('FORBIDDEN')
      }),
      crash: defineAction(z.object({}), async () => {
        throw new Error('secret internals')
      }),
    },
    onPayCallback: async (event) => ({ errcode: 0, errmsg: `paid ${String(event.outTradeNo)}` }),
  })

  beforeEach(() => asUser('o-alice'))

  it('runs an action with the caller from the context, never from the body', async () => {
    const res = await main({ action: 'echo', input: { n: 21 }, openid: 'o-mallory' })
    expect(res).toEqual({ ok: true, data: { doubled: 42 } })
    expect(seen).toEqual(['o-alice'])
  })

  it('rejects bad input with INVALID_INPUT and runs nothing', async () => {
    seen.length = 0
    for (const input of [{ n: -1 }, { n: 1.5 }, { n: '3' }, { n: 1, extra: true }]) {
      const res = (await main({ action: 'echo', input })) as { ok: boolean; code: string; message: string }
      expect(res.ok).toBe(false)
      expect(res.code).toBe('INVALID_INPUT')
      expect(res.message).toContain('输入有误')
    }
    expect(seen).toEqual([])
  })

  it('answers UNKNOWN_ACTION for unknown or inherited names and INVALID_INPUT without an action', async () => {
    expect(await main({ action: 'nope' })).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' })
    expect(await main({ action: 'constructor' })).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' })
    expect(await main({})).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
  })

  it('maps AppError to its code and hides internal errors', async () => {
    expect(await main({ action: 'fail' })).toEqual({ ok: false, code: 'FORBIDDEN', message: '没有权限执行此操作' })
    const crashed = (await main({ action: 'crash' })) as { message: string; code: string }
    expect(crashed.code).toBe('INTERNAL')
    expect(crashed.message).not.toContain('secret')
  })

  it('routes only real pay callbacks (SOURCE wx_paycallback) to the pay handler', async () => {
    asUser('o-payer', 'wx_paycallback')
    expect(await main({ outTradeNo: 'T1' })).toEqual({ errcode: 0, errmsg: 'paid T1' })
    asUser('o-payer', 'wx_client')
    expect(await main({ outTradeNo: 'T1' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
  })
})

describe('system function', () => {
  it('whoami answers the context identity', async () => {
    asUser('o-bob')
    expect(await systemMain({ action: 'whoami', input: {} })).toEqual({
      ok: true,
      data: { openid: 'o-bob', appid: 'wx-app', source: 'wx_client' },
    })
  })

  it('whoami without an OPENID is UNAUTHENTICATED', async () => {
    asUser('')
    process.env.WX_CONTEXT_KEYS = 'WX_APPID'
    expect(await systemMain({ action: 'whoami', input: {} })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })
  })
})
