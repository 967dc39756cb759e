import { formatYuan } from '../../../shared/money'
import type { ActionOutput } from '../../../../cloudfunctions/shared/contract'

/** 奖励设置 as the page shows it (what admin.rewards.get answers, in words). */
export type RewardsAnswer = ActionOutput<'admin', 'rewards.get'>

export interface RuleRow {
  id: string
  title: string
  line: string
  active: boolean
}

export function ruleRows(answer: RewardsAnswer, storeNames: Map<string, string>): RuleRow[] {
  return answer.payRules.map((r) => ({
    id: r.id,
    title: r.name,
    line: `满 ${formatYuan(r.minSpendFen)}${r.firstPaymentOnly ? ' · 仅首次消费' : ''} · ${r.storeId ? (storeNames.get(r.storeId) ?? '指定门店') : '全部门店'} · 送${r.giftLabel}`,
    active: r.active,
  }))
}

export interface ShopRow {
  id: string
  title: string
  line: string
  active: boolean
}

export function shopRows(answer: RewardsAnswer): ShopRow[] {
  return answer.shopItems.map((i) => ({ id: i.id, title: i.title, line: `${i.pricePoints} 积分 · 剩余 ${i.remaining}/${i.stock} · 每人限 ${i.perMemberLimit}`, active: i.active }))
}

export function checkinText(answer: RewardsAnswer): string {
  const c = answer.checkin
  if (!c.enabled) return '未开启'
  return `每店每天一次，送${c.giftLabel}${c.radiusM ? `，限门店 ${c.radiusM} 米内${c.requireLocation ? '（须授权位置）' : ''}` : ''}`
}

export function birthdayText(answer: RewardsAnswer): string {
  const b = answer.birthday
  if (!b.templateId) return '未开启'
  return `生日当月发放「${b.templateTitle}」，每年一次${b.grantWhenSetInMonth ? '；当月填写生日也发放' : '；当月才填写生日的次年起发放'}`
}

/** Yuan typed by a person → fen (null when not a positive amount with at most 2 decimals). */
export function yuanToFen(text: string): number | null {
  if (!/^\d+(\.\d{1,2})?$/.test(text.trim())) return null
  const fen = Math.round(Number(text.trim()) * 100)
  return fen > 0 ? fen : null
}

export function positiveInt(text: string): number | null {
  return /^\d+$/.test(text.trim()) && Number(text) > 0 ? Number(text) : null
}
