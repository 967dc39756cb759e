import { z } from 'zod'
import { COLLECTIONS } from '../shared/collections'
import { textField } from '../shared/text-input'
import { CARD_PAGES, SERVICE_LIMITS, type ServiceReplies } from '../domain/service-replies'
import { auditLine, writeAudit } from '../services/audit'
import { runTransaction } from '../services/db-util'
import { loadServiceReplies, SERVICE_REPLIES_DOC_ID } from '../services/service-replies'
import { defineStaffAction } from './staff-context'

/** 客服自动回复 settings (the bot in member/service-chat.ts): keywords and what each answers. */

const replySchema = z
  .object({
    keywords: z
      .array(textField({ label: '关键词', max: SERVICE_LIMITS.keywordChars }))
      .min(1, '每条回复至少需要一个关键词')
      .max(SERVICE_LIMITS.keywords, `每条回复最多 ${SERVICE_LIMITS.keywords} 个关键词`),
    kind: z.enum(['text', 'hours', 'address', 'card']),
    text: textField({ label: '回复内容', max: SERVICE_LIMITS.textChars, multiline: true }),
    page: z.enum(Object.keys(CARD_PAGES) as [keyof typeof CARD_PAGES, ...(keyof typeof CARD_PAGES)[]]).optional(),
  })
  .strict()
  .refine((r) => r.kind !== 'card' || r.page !== undefined, { message: '小程序卡片需要选择打开的页面' })

const updateSchema = z
  .object({
    enabled: z.boolean(),
    greeting: textField({ label: '欢迎语', max: SERVICE_LIMITS.greetingChars, min: 0, multiline: true }),
    replies: z.array(replySchema).max(SERVICE_LIMITS.replies, `最多 ${SERVICE_LIMITS.replies} 条自动回复`),
  })
  .strict()

export const serviceGet = defineStaffAction('service.get', z.object({}).strict(), async (_input, ctx) => ({ service: await loadServiceReplies(ctx.db) }))

/** Replaces the whole auto-reply settings (the page sends what it shows), with its audit line. */
export const serviceUpdate = defineStaffAction('service.update', updateSchema, async (input, ctx) => {
  const next: ServiceReplies = { enabled: input.enabled, greeting: input.greeting, replies: input.replies }
  const line = auditLine(ctx, 'service.update', { storeId: null, target: 'settings:service', summary: `修改客服自动回复（${next.enabled ? '开启' : '关闭'}，${next.replies.length} 条）` })
  await runTransaction(ctx.db, async (t) => {
    await t.collection(COLLECTIONS.merchant).doc(SERVICE_REPLIES_DOC_ID).set({ data: { ...next, updatedAt: ctx.now(), updatedBy: ctx.staff.openid } })
    await writeAudit(t, line)
  })
  return { service: next }
})
