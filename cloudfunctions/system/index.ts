import { z } from 'zod'
import { createMain, defineAction } from '../shared/handler'
import { requireOpenid } from '../shared/caller'

/** Health and identity: the first thing the home page calls. */
export const actions = {
  ping: defineAction(z.object({}).strict(), async (_input, ctx) => ({
    pong: true as const,
    serverTime: ctx.now().toISOString(),
  })),
  whoami: defineAction(z.object({}).strict(), async (_input, ctx) => ({
    openid: requireOpenid(ctx.caller),
    appid: ctx.caller.appid,
    source: ctx.caller.source,
  })),
}

export const main = createMain({ actions })
