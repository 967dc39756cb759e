import { z } from 'zod'
import { defineAction } from '../shared/handler'
import { requireOpenid } from '../shared/caller'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { getDoc, list } from '../services/db-util'
import type { CouponTemplateDoc } from '../services/coupon-docs'
import { recordVisit, targetOf, type TouchpointDoc } from '../services/touchpoints'

/** A touchpoint's short id, as its code's scene (`tp=<shortId>`) or share path (`?tp=<shortId>`) carries it. */
export const touchpointShortId = z.string().trim().regex(/^[A-Za-z0-9]{8}$/, '渠道码无效')

/**
 * The landing page of a touchpoint's code or share path: records the visit (once per person per
 * touchpoint per China day, the source of a not-yet-member) and answers where to go. Identity is
 * the caller's OPENID; the touchpoint is found by its short id on the server.
 */
export const touchpointOpen = defineAction(z.object({ shortId: touchpointShortId }).strict(), async (input, ctx) => {
  const openid = requireOpenid(ctx.caller)
  const tp = (await list<TouchpointDoc>(ctx.db.collection(COLLECTIONS.touchpoints).where({ shortId: input.shortId }).limit(1)))[0]
  if (!tp) throw new AppError('NOT_FOUND', '渠道码无效或已停用')
  if (tp.status !== 'active') {
    // An archived code still opens the home page; it counts nothing.
    return { counted: false, target: { page: 'pages/home/index', query: {}, tab: true } }
  }
  const outcome = await recordVisit(ctx.db, tp, openid, ctx.now())
  const template = tp.target.kind === 'coupon' ? await getDoc<CouponTemplateDoc>(ctx.db, COLLECTIONS.couponTemplates, tp.target.templateId) : null
  return { counted: outcome.counted, target: targetOf(tp, template?.shortId ?? null) }
})
