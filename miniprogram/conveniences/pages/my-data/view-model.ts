import type { ActionOutput } from '../../../../cloudfunctions/shared/contract'
import { formatYuan } from '../../../lib/money'

export type MyData = ActionOutput<'member', 'myData'>

export interface Row {
  label: string
  value: string
}

const day = (isoText: string | null): string => (isoText ? isoText.slice(0, 10) : '—')
const dash = (v: string | null | undefined): string => (v ? v : '未填写')

/** 基本资料: what the member document holds, each as the person reads it. */
export function profileRows(d: MyData): Row[] {
  const p = d.profile
  return [
    { label: '会员号', value: p.memberNo },
    { label: '昵称', value: dash(p.nickname) },
    { label: '头像', value: p.avatarFileId ? '已设置' : '未设置' },
    { label: '手机号', value: dash(p.phone) },
    { label: '生日', value: dash(p.birthday) },
    { label: '会员等级', value: p.tierName },
    { label: '积分', value: String(p.points) + (p.pointsDebt ? `（待抵扣 ${p.pointsDebt}）` : '') },
    { label: '成长值', value: String(p.growth) },
    { label: '累计消费', value: `${formatYuan(p.totalSpentFen)}` },
    { label: '到店次数', value: String(p.visitCount) },
    { label: '入会时间', value: day(p.joinedAt) },
    { label: '最近到店', value: day(p.lastVisitAt) },
  ]
}

const STATUS_TEXT: Record<string, string> = { paid: '已支付', refunded: '已退款', created: '待支付' }

export function orderRows(d: MyData): Row[] {
  return d.orders.items.map((o) => ({ label: `${day(o.createdAt)} ${o.storeName}`, value: `${formatYuan(o.amountFen)} ${STATUS_TEXT[o.status] ?? o.status}` }))
}

export function pointRows(d: MyData): Row[] {
  return d.points.items.map((l) => ({ label: `${day(l.createdAt)} ${l.title}`, value: l.delta > 0 ? `+${l.delta}` : String(l.delta) }))
}

export function referralText(d: MyData): string {
  return `${d.referral.invited ? '您是受好友邀请加入的' : '您不是通过好友邀请加入的'}；您邀请了 ${d.referral.friendsInvited} 位好友`
}

/** The download: everything above as one text the person can copy and keep. */
export function exportText(d: MyData, brandName: string, now: Date): string {
  const lines: string[] = [`${brandName || '商家'}保存的您的个人信息（导出时间 ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC）`, '', '【基本资料】']
  for (const r of profileRows(d)) lines.push(`${r.label}：${r.value}`)
  lines.push('', '【标签】', d.tags.length ? d.tags.join('、') : '无')
  lines.push('', `【积分记录】共 ${d.points.total} 条${d.points.total > d.points.items.length ? `，以下为最近 ${d.points.items.length} 条` : ''}`)
  for (const r of pointRows(d)) lines.push(`${r.label} ${r.value}`)
  lines.push('', `【订单】共 ${d.orders.total} 笔${d.orders.total > d.orders.items.length ? `，以下为最近 ${d.orders.items.length} 笔` : ''}`)
  for (const o of d.orders.items) lines.push(`${o.outTradeNo} ${day(o.createdAt)} ${o.storeName} ${formatYuan(o.amountFen)} ${STATUS_TEXT[o.status] ?? o.status}`)
  lines.push('', '【邀请】', referralText(d))
  return lines.join('\n')
}

/** What deleting does, in the words of the two confirmations. */
export const DELETE_EXPLAINED =
  '注销后将删除：手机号、生日、昵称、头像、标签，积分清零，会员卡失效，店员也无法再查到您。\n为了商家对账，订单和积分流水会保留，但其中您的身份标识将被替换为匿名编号。好友因您获得的邀请奖励不受影响。'
export const DELETE_FINAL = '注销不可撤销。以后再次到店支付，将作为新会员重新开始（原有积分与等级不会恢复）。'
