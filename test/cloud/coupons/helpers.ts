import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { issueCouponCode } from '../../../cloudfunctions/domain/coupon-code'
import { CODE_SECRET, type AdminCloud, type Org } from '../admin/helpers'

/** Shortcuts of the coupon tests over the admin test cloud (real invocations with identities). */

let seq = 0
export const requestId = (): string => `req-${Date.now().toString(36)}-${++seq}`

/** The member function as `openid`. */
export function member(c: AdminCloud, openid: string, action: string, input: unknown = {}) {
  return c.invoke('member', action, input, openid)
}

export async function memberOk(c: AdminCloud, openid: string, action: string, input: unknown = {}): Promise<any> {
  const res = await member(c, openid, action, input)
  if (!res.ok) throw new Error(`member.${action} as ${openid}: ${res.code} ${res.message}`)
  return res.data
}

export const CASH = { type: 'cash', valueFen: 500 }
export const RELATIVE_30 = { kind: 'relative', days: 30 }

/** An active template made by `by` (default the owner, for every store) with these terms. */
export async function activeTemplate(c: AdminCloud, org: Org, terms: Record<string, unknown> = {}, by = org.owner): Promise<any> {
  const made = await c.ok(by, 'couponTemplates.create', { storeId: null, title: '测试代金券', value: CASH, validity: RELATIVE_30, stock: 100, ...terms })
  const active = await c.ok(by, 'couponTemplates.setStatus', { templateId: made.template.id, to: 'active' })
  return active.template
}

export async function couponDoc(c: AdminCloud, id: string): Promise<any> {
  return (await c.db.collection(COLLECTIONS.coupons).doc(id).get()).data
}

export async function templateDoc(c: AdminCloud, id: string): Promise<any> {
  return (await c.db.collection(COLLECTIONS.couponTemplates).doc(id).get()).data
}

export async function count(c: AdminCloud, collection: string, where: Record<string, unknown> = {}): Promise<number> {
  return (await c.db.collection(collection).where(where).count()).total
}

/** The codes the member's coupon page shows now (as member.couponCode computes them). */
export async function codesOf(c: AdminCloud, couponId: string): Promise<{ code: string; shortCode: string }> {
  const doc = await couponDoc(c, couponId)
  return issueCouponCode(CODE_SECRET, doc.couponNo, Date.now())
}

/** Moves a document's dates, standing in for the clock having moved on (the functions read server time). */
export async function setFields(c: AdminCloud, collection: string, id: string, data: Record<string, unknown>): Promise<void> {
  await c.db.collection(collection).doc(id).update({ data })
}
