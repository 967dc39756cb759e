import { formatTime, isValidTime } from '../../../lib/date-format'
import { formatYuan } from '../../../lib/money'

/** One of the member's recent orders as the profile lists it, with 退款 where the server allows. */
export interface OrderRow {
  outTradeNo: string
  amountText: string
  amountFen: number
  pointsEarned: number
  meta: string
  statusText: string
  refundable: boolean
}

const ORDER_STATUS: Record<string, string> = { paid: '已支付', refunded: '已退款', created: '待支付', closed: '已关闭' }

export function orderRows(
  orders: { outTradeNo: string; amountFen: number; status: string; channel: string; storeName: string; createdAt: string | null; pointsEarned: number; refundable: boolean; refundNote?: string }[],
): OrderRow[] {
  return orders.map((o) => ({
    outTradeNo: o.outTradeNo,
    amountText: formatYuan(o.amountFen),
    amountFen: o.amountFen,
    pointsEarned: o.pointsEarned,
    meta: [o.storeName, o.channel === 'cashier' ? '门店收银' : '微信支付', o.createdAt ? formatTime(o.createdAt, 'MM-DD HH:mm') : ''].filter(Boolean).join(' · '),
    statusText: [ORDER_STATUS[o.status] ?? o.status, o.refundNote].filter(Boolean).join(' · '),
    refundable: o.refundable,
  }))
}

/** A date of the profile, or 「—」 when the server has none (an empty time would read Invalid Date). */
export function dateText(iso: string | null | undefined, format = 'YYYY-MM-DD'): string {
  if (!iso) return '—'
  return isValidTime(iso) ? formatTime(iso, format) : '—'
}

/** The profile's detail rows. */
export function profileExtra(m: {
  joinedAt: string | null
  firstStoreName: string | null
  favouriteStoreName: string | null
  sourceTouchpoint: string | null
  referrerMemberNo: string | null
}): { label: string; value: string }[] {
  return [
    { label: '加入时间', value: dateText(m.joinedAt) },
    { label: '首次门店', value: m.firstStoreName || '—' },
    { label: '常去门店', value: m.favouriteStoreName || '—' },
    { label: '来源渠道', value: m.sourceTouchpoint || '自然进入' },
    { label: '推荐人', value: m.referrerMemberNo ? `会员 ${m.referrerMemberNo}` : '—' },
  ]
}
