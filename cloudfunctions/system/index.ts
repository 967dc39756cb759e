import { z } from 'zod'
import { createMain, defineAction } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { setup, setupStatus } from './setup'

/** Health and identity (the first thing the home page calls), and the deployment's first-run setup. */
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
  // deploy: first-run setup (collections, merchant document, unique-index probes) and its status
  setup,
  setupStatus,
}

export const main = createMain({ actions })
