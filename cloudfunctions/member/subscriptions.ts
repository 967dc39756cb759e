import { z } from 'zod'
import { defineAction } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { SUBSCRIBE_TEMPLATE_KEYS, subscribeTemplateIds, type SubscribeTemplateKey } from '../services/subscribe-templates'
import { creditsOf, recordConsents } from '../services/reminders'

/**
 * The page side of subscription messages: the template ids to ask for (from the deployed
 * configuration), and the member's answer. The page calls wx.requestSubscribeMessage on a tap
 * and reports the keys answered 'accept'; each is one credit (one message allowed).
 */
const keySchema = z.enum(SUBSCRIBE_TEMPLATE_KEYS as [SubscribeTemplateKey, ...SubscribeTemplateKey[]], { errorMap: () => ({ message: '未知的订阅消息' }) })

export const subscribeTemplates = defineAction(z.object({}).strict(), async (_input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  return { templates: subscribeTemplateIds(), credits: await creditsOf(ctx.db, openid) }
})

export const subscribeAccepted = defineAction(
  // A request shows at most 3 templates (wx.requestSubscribeMessage's limit).
  z.object({ keys: z.array(keySchema).min(1, '没有要记录的订阅').max(3, '一次最多订阅 3 个消息') }).strict(),
  async (input, ctx) => {
    const openid = requireOpenid(ctx.caller)
    await recordConsents(ctx.db, openid, input.keys, ctx.now())
    return { credits: await creditsOf(ctx.db, openid) }
  },
)
