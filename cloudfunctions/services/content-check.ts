import type { OpenApi } from 'wx-server-sdk'
import type { ActionContext } from '../shared/handler'
import { AppError } from '../shared/errors'

export const CONTENT_RISKY_MESSAGE = '内容未通过微信内容安全检查，请修改后重试'

function errCodeOf(e: unknown): number | null {
  const code = typeof e === 'object' && e !== null ? (e as { errCode?: unknown }).errCode : undefined
  return typeof code === 'number' ? code : null
}

/**
 * Text a merchant types and consumers will read (brand, store names and addresses, tier names)
 * passes WeChat's security.msgSecCheck (v2, scene 1 资料) before it is stored. Any verdict but
 * 'pass' refuses it; an unreachable check refuses too (fail closed: the merchant can retry,
 * while published content cannot be unpublished from consumers' screens).
 */
export async function checkContent(ctx: ActionContext, texts: readonly string[]): Promise<void> {
  const content = texts.filter((t) => t.length > 0).join('\n')
  if (!content) return
  let suggest: string | undefined
  try {
    const res = await (ctx.cloud.openapi as OpenApi).security.msgSecCheck({ openid: ctx.caller.openid, scene: 1, version: 2, content })
    suggest = res.result?.suggest ?? (res.errCode === 0 || res.errCode === undefined ? 'pass' : undefined)
  } catch (e) {
    // 87014: WeChat judged the content risky (the v1 answer, and the local cloud's).
    if (errCodeOf(e) === 87014) throw new AppError('CONTENT_RISKY', CONTENT_RISKY_MESSAGE)
    console.error('[msgSecCheck]', e)
    throw new AppError('INTERNAL', '内容安全检查暂时不可用，请稍后重试')
  }
  if (suggest !== 'pass') throw new AppError('CONTENT_RISKY', CONTENT_RISKY_MESSAGE)
}
