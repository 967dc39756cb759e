import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import type { MerchantSettings } from '../domain/merchant-settings'
import { verifyMemberCode } from '../domain/member-code'
import { getDoc, list } from '../services/db-util'
import { memberIdOf, type MemberDoc } from '../services/documents'
import { memberCodeSecret } from '../services/settings'
import { claimAttempt } from '../services/attempt-limit'
import type { StaffActionContext } from './staff-context'

export const MEMBER_CODE_INVALID = '会员码已过期或无效，请让顾客刷新后重试'

/** How staff name a member at the counter. */
export interface MemberRef {
  memberCode?: string
  memberNo?: string
  phone?: string
  /** With a typed memberNo: the last 4 digits of the member's phone, as the customer says them. */
  phoneLast4?: string
}

export async function memberByNo(db: StaffActionContext['db'], memberNo: string): Promise<MemberDoc | null> {
  const rows = await list<MemberDoc>(db.collection(COLLECTIONS.members).where({ memberNo }).limit(1))
  return rows[0] ?? null
}

interface PhoneClaimDoc {
  openid: string
}

/**
 * The member a phone belongs to: phones are claimed per member (phone_claims, _id = the phone,
 * written when a member binds it), so one phone names one member. Members who bound a phone
 * before claims existed are found by the phone field, and only when exactly one has it.
 */
export async function memberByPhone(db: StaffActionContext['db'], phone: string): Promise<MemberDoc | null> {
  const claim = await getDoc<PhoneClaimDoc>(db, COLLECTIONS.phoneClaims, phone)
  if (claim) return getDoc<MemberDoc>(db, COLLECTIONS.members, memberIdOf(claim.openid))
  const rows = await list<MemberDoc>(db.collection(COLLECTIONS.members).where({ phone }).limit(2))
  if (rows.length > 1) throw new AppError('CONFLICT', '该手机号对应多位会员，请扫描会员码或输入会员号查询')
  return rows[0] ?? null
}

/** What a failed attempt is keyed by: the same guess twice is one attempt. */
function identifierOf(ref: MemberRef): string | null {
  if (ref.memberCode !== undefined) return /^\d{19}$/.test(ref.memberCode) ? `code:${ref.memberCode}` : null
  if (ref.memberNo !== undefined) return `no:${ref.memberNo}:${ref.phoneLast4 ?? ''}`
  if (ref.phone !== undefined) return `phone:${ref.phone}`
  return null
}

/**
 * Finds the member a staff member names, counting failed attempts (services/attempt-limit.ts):
 * a wrong or stale code, an unknown number or phone, or a wrong phone check each keep their slot
 * for the minute; past the merchant's limit every attempt is refused. `phoneCheck` demands the
 * last 4 digits of the member's phone with a typed number (the merchant's choice for clerks).
 * Answers null for nobody found (the caller words it).
 */
export async function resolveMember(ctx: StaffActionContext, settings: MerchantSettings, ref: MemberRef, phoneCheck: boolean): Promise<MemberDoc | null> {
  const identifier = identifierOf(ref)
  if (identifier === null) throw new AppError('INVALID_INPUT', MEMBER_CODE_INVALID)
  const claim = await claimAttempt(ctx.db, ctx.staff.openid, identifier, settings.cashier.failedAttemptsPerMinute, ctx.now())
  let member: MemberDoc | null
  if (ref.memberCode !== undefined) {
    const check = verifyMemberCode(await memberCodeSecret(ctx.db), ref.memberCode, ctx.now().getTime())
    if (!check.ok) throw new AppError('INVALID_INPUT', MEMBER_CODE_INVALID)
    member = await memberByNo(ctx.db, check.memberNo)
  } else if (ref.memberNo !== undefined) {
    member = await memberByNo(ctx.db, ref.memberNo)
  } else {
    member = await memberByPhone(ctx.db, ref.phone ?? '')
  }
  if (!member) return null
  if (phoneCheck && ref.memberNo !== undefined) {
    // Asked for after the lookup, so an unknown number still says 未找到 (and counts as a failure).
    if (ref.phoneLast4 === undefined) {
      await claim.release()
      throw new AppError('PHONE_CHECK_REQUIRED')
    }
    if (!member.phone) throw new AppError('NO_PHONE_ON_FILE')
    if (member.phone.slice(-4) !== ref.phoneLast4) throw new AppError('PHONE_CHECK_FAILED')
  }
  await claim.release()
  return member
}
