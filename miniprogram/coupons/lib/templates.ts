import type { CenterTemplateView } from '../../shared/coupon-rules'

/** A claimable template as 领券中心 and the campaign page show it. */
export interface TemplateItem {
  id: string
  title: string
  kind: string
  valueLabel: string
  conditionLabel: string
  line: string
  limitText: string
  storesText: string
  rulesText: string
  canClaim: boolean
  /** the button's text: 立即领取, or why not (已抢光, 已达领取上限 …) */
  buttonText: string
  tag: string
  muted: boolean
}

const BLOCKED_BUTTON: Record<NonNullable<CenterTemplateView['blocked']>, string> = {
  SOLD_OUT: '已抢光',
  LIMIT_REACHED: '已领取',
  DAILY_LIMIT_REACHED: '今日已领',
  NOT_ELIGIBLE: '不可领取',
  TEMPLATE_NOT_ACTIVE: '暂未开放',
  EXPIRED: '已结束',
}

export function limitText(t: Pick<CenterTemplateView, 'perMemberLimit' | 'perDayLimit' | 'claimedByMe'>): string {
  const parts = [`每人限领 ${t.perMemberLimit} 张`]
  if (t.perDayLimit > 0) parts.push(`每天限领 ${t.perDayLimit} 张`)
  if (t.claimedByMe > 0) parts.push(`已领 ${t.claimedByMe} 张`)
  return parts.join(' · ')
}

export function templateItem(t: CenterTemplateView): TemplateItem {
  return {
    id: t.id,
    title: t.title,
    kind: t.type,
    valueLabel: t.valueLabel,
    conditionLabel: t.conditionLabel,
    line: `${t.validityLabel} · 剩余 ${t.remaining} 张`,
    limitText: limitText(t),
    storesText: t.storeIds === null ? '全部门店通用' : `适用门店：${t.storeNames.join('、')}`,
    rulesText: t.rulesText,
    canClaim: t.canClaim,
    buttonText: t.canClaim ? '立即领取' : t.blocked ? BLOCKED_BUTTON[t.blocked] : '不可领取',
    tag: t.blocked === 'SOLD_OUT' ? '已抢光' : t.forwardable ? '可转赠' : '',
    muted: t.blocked === 'SOLD_OUT',
  }
}

export type TemplateRef = { templateId: string } | { shortId: string } | null

/** What the link names: `t=<shortId>` (share path or the QR code's scene) or `templateId=<id>`. */
export function templateRefOf(query: Record<string, string | undefined>): TemplateRef {
  const short = query.t ?? sceneParams(query).t ?? ''
  if (/^[A-Za-z0-9]{4,16}$/.test(short)) return { shortId: short }
  const id = query.templateId ?? ''
  if (/^[A-Za-z0-9_-]{1,64}$/.test(id)) return { templateId: id }
  return null
}


/**
 * The parameters of a wxacode.getUnlimited code (here, not in lib/scene, to keep them out of the main package): the page gets them URL-encoded in `query.scene`
 * ("t%3DAb12cd" → { t: 'Ab12cd' }), next to any ordinary query of a share path.
 */
export function sceneParams(query: Record<string, string | undefined>): Record<string, string> {
  const raw = query.scene
  if (!raw) return {}
  let text: string
  try {
    text = decodeURIComponent(raw)
  } catch {
    return {}
  }
  const out: Record<string, string> = {}
  for (const part of text.split('&')) {
    const at = part.indexOf('=')
    if (at > 0) out[part.slice(0, at)] = part.slice(at + 1)
  }
  return out
}
