import { z } from 'zod'
import type { OpenApi } from 'wx-server-sdk'
import { defineAction } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { getDoc } from '../services/db-util'
import { memberIdOf, type MemberDoc } from '../services/documents'

/**
 * Binds the phone from the page's getPhoneNumber button: the page sends the one-time code and the
 * server exchanges it with WeChat, so the number is never taken from the client.
 */
export const bindPhone = defineAction(z.object({ code: z.string().min(1).max(128) }).strict(), async (input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const member = await getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, memberIdOf(openid))
  if (!member) throw new AppError('NOT_FOUND', '您还不是会员，完成首次支付即可成为会员')
  let phone: string | undefined
  try {
    // Called as openapi.<ns>.<api> in full: config.json declares it, and a test checks that.
    // (The cast only names the SDK's Record<string, any>: typings/wx-server-sdk-openapi.d.ts.)
    const res = await (ctx.cloud.openapi as OpenApi).phonenumber.getPhoneNumber({ code: input.code })
    phone = res.phoneInfo?.purePhoneNumber
  } catch (e) {
    console.error('[bindPhone]', e)
    throw new AppError('INVALID_INPUT', '手机号授权已失效，请重新授权')
  }
  if (!phone || !/^1\d{10}$/.test(phone)) throw new AppError('INVALID_INPUT', '未能获取手机号，请重新授权')
  await ctx.db.collection(COLLECTIONS.members).doc(member._id).update({ data: { phone, updatedAt: ctx.now() } })
  return { phoneMasked: `${phone.slice(0, 3)}****${phone.slice(7)}` }
})
