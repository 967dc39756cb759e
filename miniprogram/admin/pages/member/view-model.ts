import dayjs from 'dayjs'
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

const ORDER_STATUS: Record<string, string> = { paid: '已支付', refunded: '已退款', created: '待支付' }

export function orderRows(
  orders: { outTradeNo: string; amountFen: number; status: string; channel: string; storeName: string; createdAt: string | null; pointsEarned: number; refundable: boolean }[],
): OrderRow[] {
  return orders.map((o) => ({
    outTradeNo: o.outTradeNo,
    amountText: formatYuan(o.amountFen),
    amountFen: o.amountFen,
    pointsEarned: o.pointsEarned,
    meta: [o.storeName, o.channel === 'cashier' ? '门店收银' : '微信支付', o.createdAt ? dayjs(o.createdAt).format('MM-DD HH:mm') : ''].filter(Boolean).join(' · '),
    statusText: ORDER_STATUS[o.status] ?? o.status,
    refundable: o.refundable,
  }))
}

