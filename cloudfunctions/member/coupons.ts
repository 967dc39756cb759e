import { z } from 'zod'
import { defineAction, type ActionContext } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError, ERROR_MESSAGES } from '../shared/errors'
import { issueCouponCode } from '../domain/coupon-code'
import { getDoc, list, runTransaction, txGet, updatedCount, withoutId } from '../services/db-util'
import { countCouponIssued } from '../services/touchpoints'
import { memberIdOf, type MemberDoc, type StoreDoc } from '../services/documents'
import { memberCodeSecret } from '../services/settings'
import type { CouponClaimDoc, CouponDoc, CouponGiftDoc, CouponTemplateDoc } from '../services/coupon-docs'
import {
  couponState,
  couponView,
  isDuplicateKey,
  isExpiringSoon,
  isRefusal,
  namesOf,
  newCouponDoc,
  newGiftToken,
  priceRefusalOrDiscount,
  priceStack,
  storeNameMap,
  useRefusal,
} from '../services/coupons'
import {
  chinaDate,
  conditionLabel,
  GIFT_HOLD_MS,
  GIFT_STATUS_NAMES,
  MAX_COUPONS_PER_ORDER,
  tabOf,
  validityWindow,
  validityLabel,
  validUntilLabel,
  valueLabel,
  type CenterTemplateView,
  type ClaimBlock,
  type CouponTab,
  type CouponView,
  type GiftOpenView,
  type GiftView,
} from '../../miniprogram/shared/coupon-rules'
import { MAX_AMOUNT_FEN } from '../../miniprogram/shared/money'

/** The consumer's coupons: 领券中心, claim, 我的券, the code for the clerk, the pay page's choice, forwarding. */

const idSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号格式不正确')
const tokenSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{16,64}$/, '赠送链接无效')
/** A member holds at most this many coupons in view (one page of get()). */
const MAX_COUPONS = 1000
const MAX_CENTER = 100

// ---- Claiming ----

async function memberOf(ctx: ActionContext, openid: string): Promise<MemberDoc | null> {
  return getDoc<MemberDoc>(ctx.db, COLLECTIONS.members, memberIdOf(openid))
}

function eligible(t: CouponTemplateDoc, member: MemberDoc | null): boolean {
  if (t.audience.kind === 'everyone') return true
  if (!member) return false
  if (t.audience.kind === 'tiers') return t.audience.levels.includes(member.tierLevel)
  const tags = new Set([...(member.autoTags ?? []), ...(member.manualTags ?? [])])
  return t.audience.tags.some((tag) => tags.has(tag))
}

const dayKey = (now: Date) => chinaDate(now).replace(/-/g, '')
const totalSlot = (templateId: string, openid: string, n: number) => `${templateId}:${openid}:${n}`
const daySlot = (templateId: string, openid: string, day: string, n: number) => `${templateId}:${openid}:d${day}:${n}`

/** How many of this template the member claimed, in total and today (their claim slots). */
async function myClaims(ctx: ActionContext, openid: string, templateIds: string[], now: Date): Promise<Map<string, { total: number; today: number }>> {
  const out = new Map<string, { total: number; today: number }>()
  if (templateIds.length === 0) return out
  const _ = ctx.db.command
  const rows = await list<CouponClaimDoc>(ctx.db.collection(COLLECTIONS.couponClaims).where({ openid, templateId: _.in(templateIds) }).limit(1000))
  const today = `:d${dayKey(now)}:`
  for (const r of rows) {
    const c = out.get(r.templateId) ?? { total: 0, today: 0 }
    if (r.kind === 'total') c.total += 1
    else if (r._id.includes(today)) c.today += 1
    out.set(r.templateId, c)
  }
  return out
}

function blockOf(t: CouponTemplateDoc, member: MemberDoc | null, mine: { total: number; today: number }, now: Date): ClaimBlock | null {
  if (t.status !== 'active') return 'TEMPLATE_NOT_ACTIVE'
  if (t.validity.kind === 'fixed' && validityWindow(t.validity, now).validUntil.getTime() <= now.getTime()) return 'EXPIRED'
  if (!eligible(t, member)) return 'NOT_ELIGIBLE'
  if (mine.total >= t.perMemberLimit) return 'LIMIT_REACHED'
  if (t.perDayLimit > 0 && mine.today >= t.perDayLimit) return 'DAILY_LIMIT_REACHED'
  if (t.remaining <= 0) return 'SOLD_OUT'
  return null
}

const BLOCK_MESSAGES: Record<ClaimBlock, string> = {
  SOLD_OUT: ERROR_MESSAGES.SOLD_OUT,
  LIMIT_REACHED: ERROR_MESSAGES.LIMIT_REACHED,
  DAILY_LIMIT_REACHED: ERROR_MESSAGES.DAILY_LIMIT_REACHED,
  NOT_ELIGIBLE: ERROR_MESSAGES.NOT_ELIGIBLE,
  TEMPLATE_NOT_ACTIVE: ERROR_MESSAGES.TEMPLATE_NOT_ACTIVE,
  EXPIRED: '活动已结束',
}

function centerView(t: CouponTemplateDoc, member: MemberDoc | null, mine: { total: number; today: number }, now: Date, stores: Map<string, StoreDoc>): CenterTemplateView {
  const blocked = blockOf(t, member, mine, now)
  return {
    id: t._id,
    type: t.value.type,
    title: t.title,
    rulesText: t.rulesText,
    value: t.value,
    valueLabel: valueLabel(t.value),
    conditionLabel: conditionLabel(t.value),
    validityLabel: validityLabel(t.validity),
    stock: t.stock,
    remaining: Math.max(0, t.remaining),
    perMemberLimit: t.perMemberLimit,
    perDayLimit: t.perDayLimit,
    claimedByMe: mine.total,
    claimedToday: mine.today,
    storeIds: t.usableStoreIds,
    storeNames: namesOf(t.usableStoreIds, stores),
    forwardable: t.forwardable,
    canClaim: blocked === null,
    blocked,
    blockedMessage: blocked ? BLOCK_MESSAGES[blocked] : '',
  }
}

/** Gives one unit of stock back (a claim that took it and then could not issue). */
async function giveBack(ctx: ActionContext, templateId: string): Promise<void> {
  await ctx.db.collection(COLLECTIONS.couponTemplates).doc(templateId).update({ data: { remaining: ctx.db.command.inc(1) } })
}

const CLAIM_ATTEMPTS = 6

/**
 * One claim. Stock is taken by one conditional update (status active, the terms' version read,
 * remaining > 0) — the database applies it atomically, so however many claims race, at most
 * `stock` succeed. Then, in one transaction, the member's claim slots (total and today) are
 * taken as unique documents and the coupon is added; if no slot is free the unit goes back.
 * A crash between the two loses one unit (undersell), never oversells.
 */
export async function claim(ctx: ActionContext, openid: string, templateId: string): Promise<CouponDoc> {
  const _ = ctx.db.command
  for (let attempt = 1; ; attempt += 1) {
    const now = ctx.now()
    const t = await getDoc<CouponTemplateDoc>(ctx.db, COLLECTIONS.couponTemplates, templateId)
    if (!t) throw new AppError('NOT_FOUND', '优惠券不存在')
    const member = t.audience.kind === 'everyone' ? null : await memberOf(ctx, openid)
    const mine = (await myClaims(ctx, openid, [t._id], now)).get(t._id) ?? { total: 0, today: 0 }
    const blocked = blockOf(t, member, mine, now)
    if (blocked) {
      if (blocked === 'NOT_ELIGIBLE' && !member) throw new AppError('NOT_ELIGIBLE', '该优惠券仅限指定会员领取，完成首次支付成为会员后再来')
      throw new AppError(blocked, BLOCK_MESSAGES[blocked])
    }
    const taken = await updatedCount(
      ctx.db
        .collection(COLLECTIONS.couponTemplates)
        .where({ _id: t._id, status: 'active', version: t.version, remaining: _.gt(0) })
        .update({ data: { remaining: _.inc(-1), claimedOnce: true } }),
    )
    if (taken === 0) {
      // Sold out, paused or edited since the read: read again (bounded).
      if (attempt >= CLAIM_ATTEMPTS) throw new AppError('SOLD_OUT')
      continue
    }
    const { validFrom, validUntil } = validityWindow(t.validity, now)
    const coupon = newCouponDoc({
      templateId: t._id,
      openid,
      claimedBy: openid,
      terms: { title: t.title, rulesText: t.rulesText, value: t.value, usableStoreIds: t.usableStoreIds, forwardable: t.forwardable, stackable: t.stackable },
      validFrom,
      validUntil,
      fromGiftId: null,
      claimedAt: now,
      updatedAt: now,
    })
    try {
      await runTransaction(ctx.db, async (tx) => {
        let total: string | null = null
        for (let n = 1; n <= t.perMemberLimit && !total; n += 1) {
          const id = totalSlot(t._id, openid, n)
          if (!(await txGet<CouponClaimDoc>(tx, COLLECTIONS.couponClaims, id))) total = id
        }
        if (!total) throw new AppError('LIMIT_REACHED')
        let day: string | null = null
        if (t.perDayLimit > 0) {
          const today = dayKey(now)
          for (let n = 1; n <= t.perDayLimit && !day; n += 1) {
            const id = daySlot(t._id, openid, today, n)
            if (!(await txGet<CouponClaimDoc>(tx, COLLECTIONS.couponClaims, id))) day = id
          }
          if (!day) throw new AppError('DAILY_LIMIT_REACHED')
        }
        const slot = (id: string, kind: 'total' | 'day'): CouponClaimDoc => ({ _id: id, templateId: t._id, openid, kind, couponId: coupon._id, createdAt: now })
        await tx.collection(COLLECTIONS.couponClaims).doc(total).set({ data: withoutId(slot(total, 'total')) })
        if (day) await tx.collection(COLLECTIONS.couponClaims).doc(day).set({ data: withoutId(slot(day, 'day')) })
        await tx.collection(COLLECTIONS.coupons).add({ data: coupon })
        // Dashboards (touchpoints): the day's issued-coupon counters move with the claim.
        await countCouponIssued(tx, t.storeId, now)
      })
      return coupon
    } catch (e) {
      await giveBack(ctx, t._id)
      if (e instanceof AppError) throw e
      // Another claim of the same member took the same slot, or a coupon number clashed: try again.
      if (attempt < CLAIM_ATTEMPTS) continue
      throw e
    }
  }
}

export const claimCoupon = defineAction(z.object({ templateId: idSchema }).strict(), async (input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const coupon = await claim(ctx, openid, input.templateId)
  return { coupon: couponView(coupon, ctx.now(), await storeNameMap(ctx.db)) }
})

export const couponCenter = defineAction(z.object({}).strict(), async (_input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const now = ctx.now()
  const [templates, member, stores] = await Promise.all([
    list<CouponTemplateDoc>(ctx.db.collection(COLLECTIONS.couponTemplates).where({ status: 'active' }).limit(MAX_CENTER)),
    memberOf(ctx, openid),
    storeNameMap(ctx.db),
  ])
  const mine = await myClaims(ctx, openid, templates.map((t) => t._id), now)
  const views = templates
    .map((t) => centerView(t, member, mine.get(t._id) ?? { total: 0, today: 0 }, now, stores))
    // Not offered to someone outside the audience, nor after the campaign's end.
    .filter((v) => v.blocked !== 'NOT_ELIGIBLE' && v.blocked !== 'EXPIRED')
    .sort((a, b) => Number(b.canClaim) - Number(a.canClaim) || a.title.localeCompare(b.title, 'zh'))
  return { templates: views }
})

/** One template, for a campaign link (share path `?t=<shortId>` or the QR code's scene `t=<shortId>`). */
export const couponTemplate = defineAction(
  z
    .object({ templateId: idSchema.optional(), shortId: z.string().trim().regex(/^[A-Za-z0-9]{4,16}$/, '活动链接无效').optional() })
    .strict()
    .refine((v) => (v.templateId === undefined) !== (v.shortId === undefined), { message: '请提供券编号或活动短码（二选一）' }),
  async (input, ctx) => {
    const openid = requireOpenid(ctx.caller)
    const now = ctx.now()
    const t = input.templateId
      ? await getDoc<CouponTemplateDoc>(ctx.db, COLLECTIONS.couponTemplates, input.templateId)
      : ((await list<CouponTemplateDoc>(ctx.db.collection(COLLECTIONS.couponTemplates).where({ shortId: input.shortId }).limit(1)))[0] ?? null)
    // A draft is not public yet.
    if (!t || t.status === 'draft') throw new AppError('NOT_FOUND', '优惠券活动不存在')
    const [member, mine, stores] = await Promise.all([memberOf(ctx, openid), myClaims(ctx, openid, [t._id], now), storeNameMap(ctx.db)])
    return { template: centerView(t, member, mine.get(t._id) ?? { total: 0, today: 0 }, now, stores) }
  },
)

// ---- My coupons ----

/** A gift that waited 24 hours goes back to its sender: done here, on read, not only by a timer. */
export async function returnIfExpired(ctx: ActionContext, giftId: string): Promise<void> {
  const now = ctx.now()
  try {
    await runTransaction(ctx.db, async (t) => {
      const gift = await txGet<CouponGiftDoc>(t, COLLECTIONS.couponGifts, giftId)
      if (!gift || gift.status !== 'pending' || new Date(gift.expiresAt).getTime() > now.getTime()) return
      await t.collection(COLLECTIONS.couponGifts).doc(giftId).update({ data: { status: 'returned', closedAt: now } })
      const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, gift.couponId)
      if (coupon && coupon.status === 'gifting' && coupon.giftId === giftId) {
        await t.collection(COLLECTIONS.coupons).doc(coupon._id).update({ data: { status: 'available', giftId: null, giftExpiresAt: null, updatedAt: now } })
      }
    })
  } catch (e) {
    // A concurrent accept or return of the same gift won; the next read shows its outcome.
    console.warn('[gift-return]', giftId, e instanceof Error ? e.message : e)
  }
}

async function myCouponDocs(ctx: ActionContext, openid: string): Promise<CouponDoc[]> {
  const now = ctx.now()
  let rows = await list<CouponDoc>(ctx.db.collection(COLLECTIONS.coupons).where({ openid }).orderBy('validUntil', 'asc').limit(MAX_COUPONS))
  const due = rows.filter((c) => c.status === 'gifting' && c.giftId && c.giftExpiresAt && new Date(c.giftExpiresAt).getTime() <= now.getTime())
  if (due.length > 0) {
    for (const c of due) if (c.giftId) await returnIfExpired(ctx, c.giftId)
    rows = await list<CouponDoc>(ctx.db.collection(COLLECTIONS.coupons).where({ openid }).orderBy('validUntil', 'asc').limit(MAX_COUPONS))
  }
  return rows
}

function tabCounts(rows: CouponDoc[], now: Date) {
  const counts: Record<CouponTab, number> = { available: 0, used: 0, expired: 0 }
  let expiringSoon = 0
  for (const c of rows) {
    counts[tabOf(couponState(c, now))] += 1
    if (isExpiringSoon(c, now)) expiringSoon += 1
  }
  return { counts, expiringSoon }
}

export const myCoupons = defineAction(z.object({ tab: z.enum(['available', 'used', 'expired']).default('available') }).strict(), async (input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const [rows, stores] = await Promise.all([myCouponDocs(ctx, openid), storeNameMap(ctx.db)])
  const now = ctx.now()
  const inTab = rows.filter((c) => tabOf(couponState(c, now)) === input.tab)
  // Available: soonest expiry first. Used: latest use first. Expired: latest expiry first.
  if (input.tab === 'used') inTab.sort((a, b) => new Date(b.usedAt ?? b.updatedAt).getTime() - new Date(a.usedAt ?? a.updatedAt).getTime())
  if (input.tab === 'expired') inTab.reverse()
  const { counts, expiringSoon } = tabCounts(rows, now)
  return { coupons: inTab.map((c) => couponView(c, now, stores)), counts, expiringSoon }
})

/** The badge of 我的券: how many usable coupons expire within 3 days. */
export const couponBadge = defineAction(z.object({}).strict(), async (_input, ctx) => {
  const rows = await myCouponDocs(ctx, requireOpenid(ctx.caller))
  const { counts, expiringSoon } = tabCounts(rows, ctx.now())
  return { available: counts.available, expiringSoon }
})

async function ownCoupon(ctx: ActionContext, couponId: string): Promise<CouponDoc> {
  const openid = requireOpenid(ctx.caller)
  let coupon = await getDoc<CouponDoc>(ctx.db, COLLECTIONS.coupons, couponId)
  // Someone else's coupon is reported as missing: no probing of others' coupons.
  if (!coupon || coupon.openid !== openid) throw new AppError('NOT_FOUND', '优惠券不存在')
  if (coupon.status === 'gifting' && coupon.giftId && coupon.giftExpiresAt && new Date(coupon.giftExpiresAt).getTime() <= ctx.now().getTime()) {
    await returnIfExpired(ctx, coupon.giftId)
    coupon = (await getDoc<CouponDoc>(ctx.db, COLLECTIONS.coupons, couponId)) ?? coupon
  }
  return coupon
}

function giftView(g: CouponGiftDoc, side: 'sent' | 'received'): GiftView {
  const other = side === 'sent' ? g.toOpenid : g.fromOpenid
  return {
    token: g._id,
    couponId: side === 'sent' ? g.couponId : (g.newCouponId ?? ''),
    title: g.title,
    status: g.status,
    statusName: GIFT_STATUS_NAMES[g.status],
    counterpart: other ? '好友' : '',
    createdAt: new Date(g.createdAt).toISOString(),
    expiresAt: new Date(g.expiresAt).toISOString(),
    closedAt: g.closedAt ? new Date(g.closedAt).toISOString() : null,
  }
}

export const couponDetail = defineAction(z.object({ couponId: idSchema }).strict(), async (input, ctx) => {
  const coupon = await ownCoupon(ctx, input.couponId)
  const [stores, template, gifts] = await Promise.all([
    storeNameMap(ctx.db),
    getDoc<CouponTemplateDoc>(ctx.db, COLLECTIONS.couponTemplates, coupon.templateId),
    list<CouponGiftDoc>(ctx.db.collection(COLLECTIONS.couponGifts).where({ couponId: coupon._id }).orderBy('createdAt', 'desc').limit(20)),
  ])
  const received = coupon.fromGiftId ? await getDoc<CouponGiftDoc>(ctx.db, COLLECTIONS.couponGifts, coupon.fromGiftId) : null
  const usable = coupon.terms.usableStoreIds ? coupon.terms.usableStoreIds.map((id) => stores.get(id)).filter((s): s is StoreDoc => !!s) : [...stores.values()].filter((s) => s.status === 'open')
  return {
    coupon: couponView(coupon, ctx.now(), stores),
    // The rules text may be clarified after the claim (the value, type and validity never change).
    rulesText: template?.rulesText ?? coupon.terms.rulesText,
    allStores: coupon.terms.usableStoreIds === null,
    stores: usable.map((s) => ({ id: s._id, name: s.name, address: s.address })),
    gifts: [...gifts.map((g) => giftView(g, 'sent')), ...(received ? [giftView(received, 'received')] : [])],
  }
})

/** The rotating code for the clerk: only for a coupon usable now (or valid later), never for one in transit or given away. */
export const couponCode = defineAction(z.object({ couponId: idSchema }).strict(), async (input, ctx) => {
  const coupon = await ownCoupon(ctx, input.couponId)
  const now = ctx.now()
  const state = couponState(coupon, now)
  if (state === 'used') throw new AppError('ALREADY_USED', '该券已使用')
  if (state === 'given') throw new AppError('COUPON_GIVEN')
  if (state === 'gifting') throw new AppError('COUPON_IN_TRANSIT')
  if (state === 'expired') throw new AppError('EXPIRED', '该券已过期')
  return issueCouponCode(await memberCodeSecret(ctx.db), coupon.couponNo, now.getTime())
})

/** The pay page: the member's coupons for this store and amount, the best saving first. */
/** What the picked coupons come to together (the same pricing createOrder runs), or why not. */
function selectionOf(rows: CouponDoc[], ids: string[], amountFen: number, usable: { coupon: CouponView }[]) {
  const byId = new Map(rows.map((c) => [c._id, c]))
  const usableIds = new Set(usable.map((u) => u.coupon.id))
  if (new Set(ids).size !== ids.length) return { ok: false as const, code: 'INVALID_INPUT', message: '同一张优惠券不能重复使用' }
  const picked: CouponDoc[] = []
  for (const id of ids) {
    const c = byId.get(id)
    if (!c || !usableIds.has(id)) return { ok: false as const, code: 'NOT_FOUND', message: '所选优惠券当前不可用，请重新选择' }
    picked.push(c)
  }
  const priced = priceStack(picked, amountFen)
  if (isRefusal(priced)) return { ok: false as const, code: priced.code, message: priced.message }
  return { ok: true as const, couponIds: priced.couponIds, lines: priced.lines, discountFen: priced.discountFen, payableFen: priced.payableFen }
}

export const usableCoupons = defineAction(
  z
    .object({
      storeId: idSchema,
      amountFen: z.number().int().min(1).max(MAX_AMOUNT_FEN),
      /** Stacking (coupon-gaps): the coupons picked together, priced as createOrder will. */
      couponIds: z.array(idSchema).min(1).max(MAX_COUPONS_PER_ORDER).optional(),
    })
    .strict(),
  async (input, ctx) => {
    const openid = requireOpenid(ctx.caller)
    const [rows, stores] = await Promise.all([myCouponDocs(ctx, openid), storeNameMap(ctx.db)])
    const now = ctx.now()
    const usable: { coupon: CouponView; discountFen: number; payableFen: number }[] = []
    const unusable: { coupon: CouponView; code: string; message: string }[] = []
    for (const c of rows) {
      const state = couponState(c, now)
      if (tabOf(state) !== 'available' || c.terms.value.type === 'gift') continue
      const refusal = useRefusal(c, now, input.storeId, stores)
      const priced = refusal ?? priceRefusalOrDiscount(c, input.amountFen)
      if (isRefusal(priced)) unusable.push({ coupon: couponView(c, now, stores), code: priced.code, message: priced.message })
      else usable.push({ coupon: couponView(c, now, stores), ...priced })
    }
    usable.sort((a, b) => b.discountFen - a.discountFen || Date.parse(a.coupon.validUntil) - Date.parse(b.coupon.validUntil))
    return { usable, unusable, ...(input.couponIds ? { selection: selectionOf(rows, input.couponIds, input.amountFen, usable) } : {}) }
  },
)

// ---- Forwarding (转赠) ----

export const GIFT_PAGE = 'coupons/pages/gift/index'

export const giftCoupon = defineAction(z.object({ couponId: idSchema }).strict(), async (input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const now = ctx.now()
  const found = await ownCoupon(ctx, input.couponId)
  if (!found.terms.forwardable) throw new AppError('COUPON_NOT_FORWARDABLE')
  const token = newGiftToken()
  const expiresAt = new Date(now.getTime() + GIFT_HOLD_MS)
  await runTransaction(ctx.db, async (t) => {
    const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, found._id)
    if (!coupon || coupon.openid !== openid) throw new AppError('NOT_FOUND', '优惠券不存在')
    const state = couponState(coupon, now)
    if (state !== 'available' && state !== 'notStarted') {
      const refusal = useRefusal(coupon, now, '', new Map())
      throw refusal ? new AppError(refusal.code, refusal.message) : new AppError('CONFLICT')
    }
    const gift: CouponGiftDoc = { _id: token, couponId: coupon._id, templateId: coupon.templateId, fromOpenid: openid, toOpenid: null, status: 'pending', newCouponId: null, title: coupon.terms.title, createdAt: now, expiresAt, closedAt: null }
    await t.collection(COLLECTIONS.couponGifts).doc(token).set({ data: withoutId(gift) })
    await t.collection(COLLECTIONS.coupons).doc(coupon._id).update({ data: { status: 'gifting', giftId: token, giftExpiresAt: expiresAt, lockOrder: null, lockExpiresAt: null, updatedAt: now } })
  })
  return { token, path: `${GIFT_PAGE}?token=${token}`, title: `送你一张「${found.terms.title}」`, expiresAt: expiresAt.toISOString() }
})

/** The sender takes an unaccepted gift back. */
export const takeBackGift = defineAction(z.object({ couponId: idSchema }).strict(), async (input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const now = ctx.now()
  const found = await ownCoupon(ctx, input.couponId)
  if (found.status !== 'gifting' || !found.giftId) {
    if (found.status === 'given') throw new AppError('GIFT_TAKEN', '好友已领取，无法收回')
    throw new AppError('GIFT_CLOSED', '该券不在转赠中')
  }
  const giftId = found.giftId
  const run = () =>
    runTransaction(ctx.db, async (t) => {
      const gift = await txGet<CouponGiftDoc>(t, COLLECTIONS.couponGifts, giftId)
      const coupon = await txGet<CouponDoc>(t, COLLECTIONS.coupons, found._id)
      if (!gift || !coupon || coupon.openid !== openid) throw new AppError('NOT_FOUND', '优惠券不存在')
      if (gift.status === 'accepted') throw new AppError('GIFT_TAKEN', '好友已领取，无法收回')
      if (gift.status !== 'pending') throw new AppError('GIFT_CLOSED', '该券不在转赠中')
      await t.collection(COLLECTIONS.couponGifts).doc(giftId).update({ data: { status: 'takenBack', closedAt: now } })
      await t.collection(COLLECTIONS.coupons).doc(coupon._id).update({ data: { status: 'available', giftId: null, giftExpiresAt: null, updatedAt: now } })
    })
  try {
    await run()
  } catch (e) {
    if (e instanceof AppError) throw e
    // Lost to a concurrent accept (retries ran out): the gift's state is the answer.
    const gift = await getDoc<CouponGiftDoc>(ctx.db, COLLECTIONS.couponGifts, giftId)
    if (gift?.status === 'accepted') throw new AppError('GIFT_TAKEN', '好友已领取，无法收回')
    throw e
  }
  const coupon = await ownCoupon(ctx, input.couponId)
  return { coupon: couponView(coupon, now, await storeNameMap(ctx.db)) }
})

async function giftFor(ctx: ActionContext, token: string): Promise<CouponGiftDoc> {
  let gift = await getDoc<CouponGiftDoc>(ctx.db, COLLECTIONS.couponGifts, token)
  if (!gift) throw new AppError('NOT_FOUND', '赠送链接无效')
  if (gift.status === 'pending' && new Date(gift.expiresAt).getTime() <= ctx.now().getTime()) {
    await returnIfExpired(ctx, token)
    gift = (await getDoc<CouponGiftDoc>(ctx.db, COLLECTIONS.couponGifts, token)) ?? gift
  }
  return gift
}

export const openGift = defineAction(z.object({ token: tokenSchema }).strict(), async (input, ctx): Promise<{ gift: GiftOpenView }> => {
  const openid = requireOpenid(ctx.caller)
  const gift = await giftFor(ctx, input.token)
  const [coupon, stores, template] = await Promise.all([
    getDoc<CouponDoc>(ctx.db, COLLECTIONS.coupons, gift.couponId),
    storeNameMap(ctx.db),
    getDoc<CouponTemplateDoc>(ctx.db, COLLECTIONS.couponTemplates, gift.templateId),
  ])
  if (!coupon) throw new AppError('NOT_FOUND', '赠送链接无效')
  let status: GiftOpenView['status']
  let message: string
  if (gift.status === 'accepted') {
    status = gift.toOpenid === openid ? 'acceptedByYou' : 'taken'
    message = status === 'acceptedByYou' ? '你已领取这张券，可在「我的券」中查看' : ERROR_MESSAGES.GIFT_TAKEN
  } else if (gift.status !== 'pending') {
    status = 'closed'
    message = gift.status === 'returned' ? '赠送已超过 24 小时，券已退回给好友' : '好友已收回这张券'
  } else if (gift.fromOpenid === openid) {
    status = 'mine'
    message = '这是你送出的券，等待好友领取'
  } else {
    status = 'pending'
    message = '好友送你一张优惠券，领取后归你所有'
  }
  const until = new Date(coupon.validUntil).toISOString()
  return {
    gift: {
      token: gift._id,
      status,
      message,
      title: coupon.terms.title,
      type: coupon.terms.value.type,
      value: coupon.terms.value,
      valueLabel: valueLabel(coupon.terms.value),
      conditionLabel: conditionLabel(coupon.terms.value),
      validUntil: until,
      validUntilLabel: validUntilLabel(until),
      storeNames: namesOf(coupon.terms.usableStoreIds, stores),
      rulesText: template?.rulesText ?? coupon.terms.rulesText,
      expiresAt: new Date(gift.expiresAt).toISOString(),
      couponId: status === 'acceptedByYou' ? gift.newCouponId : null,
    },
  }
})

/**
 * The friend accepts: exactly one acceptor, however many open the card at once (the gift moves
 * from pending by a transaction; the others' transactions re-run and find it accepted). The
 * acceptor gets a new coupon (new number, so new codes) with the same terms and validity; the
 * sender's coupon becomes 'given' and its codes name a coupon no counter accepts.
 */
export const acceptGift = defineAction(z.object({ token: tokenSchema }).strict(), async (input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const gift = await giftFor(ctx, input.token)
  const now = ctx.now()
  const refuse = (g: CouponGiftDoc) => {
    if (g.status === 'accepted') return g.toOpenid === openid ? null : new AppError('GIFT_TAKEN')
    if (g.status !== 'pending') return new AppError('GIFT_CLOSED', g.status === 'returned' ? '赠送已超过 24 小时，券已退回给好友' : '好友已收回这张券')
    if (g.fromOpenid === openid) return new AppError('GIFT_OWN')
    if (new Date(g.expiresAt).getTime() <= now.getTime()) return new AppError('GIFT_CLOSED', '赠送已超过 24 小时，券已退回给好友')
    return null
  }
  const early = refuse(gift)
  if (early) throw early
  let newId = gift.newCouponId
  if (gift.status === 'pending') {
    for (let attempt = 1; ; attempt += 1) {
      try {
        newId = await runTransaction(ctx.db, async (t) => {
          const g = await txGet<CouponGiftDoc>(t, COLLECTIONS.couponGifts, gift._id)
          if (!g) throw new AppError('NOT_FOUND', '赠送链接无效')
          const refusal = refuse(g)
          if (refusal) throw refusal
          if (g.status === 'accepted') return g.newCouponId
          const old = await txGet<CouponDoc>(t, COLLECTIONS.coupons, g.couponId)
          if (!old || old.status !== 'gifting' || old.giftId !== g._id) throw new AppError('GIFT_CLOSED')
          if (new Date(old.validUntil).getTime() <= now.getTime()) throw new AppError('EXPIRED', '这张券已过期，无法领取')
          const fresh = newCouponDoc({
            templateId: old.templateId,
            openid,
            claimedBy: old.claimedBy,
            terms: old.terms,
            validFrom: old.validFrom,
            validUntil: old.validUntil,
            fromGiftId: g._id,
            claimedAt: now,
            updatedAt: now,
          })
          await t.collection(COLLECTIONS.coupons).add({ data: fresh })
          await t.collection(COLLECTIONS.coupons).doc(old._id).update({ data: { status: 'given', giftExpiresAt: null, updatedAt: now } })
          await t.collection(COLLECTIONS.couponGifts).doc(g._id).update({ data: { status: 'accepted', toOpenid: openid, newCouponId: fresh._id, closedAt: now } })
          return fresh._id
        })
        break
      } catch (e) {
        if (e instanceof AppError) throw e
        // Out of retries against the other acceptors, or a clash of coupon numbers: the gift's state decides.
        const g = await getDoc<CouponGiftDoc>(ctx.db, COLLECTIONS.couponGifts, gift._id)
        const refusal = g ? refuse(g) : null
        if (refusal) throw refusal
        if (g?.status === 'accepted') {
          newId = g.newCouponId
          break
        }
        if (attempt >= 4 && !isDuplicateKey(e)) throw e
      }
    }
  }
  const coupon = newId ? await getDoc<CouponDoc>(ctx.db, COLLECTIONS.coupons, newId) : null
  if (!coupon) throw new AppError('INTERNAL')
  return { coupon: couponView(coupon, now, await storeNameMap(ctx.db)) }
})

/** Gifts this member sent and received, newest first (shown on both sides). */
export const myGifts = defineAction(z.object({}).strict(), async (_input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const [sent, received] = await Promise.all([
    list<CouponGiftDoc>(ctx.db.collection(COLLECTIONS.couponGifts).where({ fromOpenid: openid }).orderBy('createdAt', 'desc').limit(100)),
    list<CouponGiftDoc>(ctx.db.collection(COLLECTIONS.couponGifts).where({ toOpenid: openid }).orderBy('createdAt', 'desc').limit(100)),
  ])
  const now = ctx.now().getTime()
  for (const g of sent) if (g.status === 'pending' && new Date(g.expiresAt).getTime() <= now) await returnIfExpired(ctx, g._id)
  const fresh = sent.some((g) => g.status === 'pending' && new Date(g.expiresAt).getTime() <= now)
    ? await list<CouponGiftDoc>(ctx.db.collection(COLLECTIONS.couponGifts).where({ fromOpenid: openid }).orderBy('createdAt', 'desc').limit(100))
    : sent
  return { sent: fresh.map((g) => giftView(g, 'sent')), received: received.map((g) => giftView(g, 'received')) }
})

