import type { ActionOutput } from '../../../cloudfunctions/shared/contract'
import { formatDistance, sortByDistance, type LatLng } from '../../lib/geo'
import { formatYuan } from '../../lib/money'

/** What the picker needs of a listed store (the locator's distance and open state are not used here). */
export type Store = Omit<ActionOutput<'member', 'stores'>['stores'][number], 'distanceM' | 'openState'>
export type OrderStatus = ActionOutput<'member', 'orderStatus'>

export interface StoreItem {
  id: string
  name: string
  address: string
  hours: string
  distanceText: string
  /** the picker's label: name and distance */
  label: string
  value: string
}

/** Stores for the picker: nearest first when the position is known, as listed otherwise. */
export function storeItems(stores: readonly Store[], origin: LatLng | null): StoreItem[] {
  return sortByDistance(stores, origin).map((s) => {
    const distanceText = formatDistance(s.distanceM)
    return {
      id: s.id,
      name: s.name,
      address: s.address,
      hours: s.hours,
      distanceText,
      label: distanceText ? `${s.name}（${distanceText}）` : s.name,
      value: s.id,
    }
  })
}

export interface PayResultView {
  kind: 'paid' | 'pending' | 'refunded' | 'closed'
  title: string
  amountText: string
  pointsText: string
  welcome: string
  tierText: string
}

export function payResultView(status: OrderStatus | null, amountFen: number): PayResultView {
  const amountText = formatYuan(status?.amountFen ?? amountFen)
  if (!status || status.status === 'created') {
    return { kind: 'pending', title: '支付结果确认中', amountText, pointsText: '积分将在支付确认后到账，可稍后在会员卡查看', welcome: '', tierText: '' }
  }
  if (status.status === 'closed') {
    return { kind: 'closed', title: '订单已关闭', amountText, pointsText: '订单超时未支付，已自动关闭，如需消费请重新下单', welcome: '', tierText: '' }
  }
  if (status.status === 'refunded') {
    return { kind: 'refunded', title: '订单已退款', amountText, pointsText: '', welcome: '', tierText: '' }
  }
  return {
    kind: 'paid',
    title: '支付成功',
    amountText,
    pointsText: status.pointsEarned > 0 ? `本次获得 ${status.pointsEarned} 积分` : '本次消费未产生积分',
    welcome: status.joined ? '欢迎成为会员' : '',
    tierText: status.tierName ? `当前等级：${status.tierName}` : '',
  }
}

/** wx.requestPayment's fail when the user closed the cashier. */
export function isPaymentCancel(err: unknown): boolean {
  const msg = typeof err === 'object' && err !== null ? (typeof (err as { errMsg?: unknown }).errMsg === 'string' ? (err as { errMsg: string }).errMsg : '') : String(err)
  return /cancel/i.test(msg)
}

/** The picked store as the form shows it (nothing when the index is out of range). */
export function storeSelection(items: readonly StoreItem[], index: number): { storeIndex: number; storeName: string; storeMeta: string; storePickerValue: string[] } | null {
  const store = items[index]
  if (!store) return null
  return {
    storeIndex: index,
    storeName: store.name,
    storeMeta: [store.distanceText && `距您 ${store.distanceText}`, store.address].filter(Boolean).join(' · '),
    storePickerValue: [store.id],
  }
}
