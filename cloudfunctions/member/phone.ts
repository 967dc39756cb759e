import { z } from 'zod'
import type { OpenApi } from 'wx-server-sdk'
import { defineAction, type ActionContext } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { getDoc, list, runTransaction, txGet } from '../services/db-util'
import { memberIdOf, type MemberDoc } from '../services/documents'

interface PhoneClaimDoc {
  _id: string
  openid: string
  claimedAt: Date
}

/**
 * One phone, one member: a claim document per phone (_id = the phone; a unique index on the
 * member's phone field cannot work on the cloud, where unique indexes are not sparse and most
 * members have none), written with the member's phone in one transaction. A phone claimed by
 * another member — or, from before claims existed, set on another member — is refused; the
 * member's previous phone is released.
 */
async function claimPhone(ctx: ActionContext, member: MemberDoc, phone: string): Promise<void> {
  const others = await list<MemberDoc>(ctx.db.collection(COLLECTIONS.members).where({ phone }).limit(2))
  if (others.some((m) => m.openid !== member.openid)) throw new AppError('PHONE_TAKEN')
  const now = ctx.now()
  await runTransaction(ctx.db, async (t) => {
    const [claim, current] = await Promise.all([txGet<PhoneClaimDoc>(t, COLLECTIONS.phoneClaims, phone), txGet<MemberDoc>(t, COLLECTIONS.members, member._id)])
    if (claim && claim.openid !== member.openid) throw new AppError('PHONE_TAKEN')
    const previous = current?.phone ?? null
    if (previous && previous !== phone) {
      const old = await txGet<PhoneClaimDoc>(t, COLLECTIONS.phoneClaims, previous)
      if (old?.openid === member.openid) await t.collection(COLLECTIONS.phoneClaims).doc(previous).remove()
    }
    if (!claim) await t.collection(COLLECTIONS.phoneClaims).doc(phone).set({ data: { openid: member.openid, claimedAt: now } })
    await t.collection(COLLECTIONS.members).doc(member._id).update({ data: { phone, updatedAt: now } })
  })
}

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
  await claimPhone(ctx, member, phone)
  return { phoneMasked: `${phone.slice(0, 3)}****${phone.slice(7)}` }
})
