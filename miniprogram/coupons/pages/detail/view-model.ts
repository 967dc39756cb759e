import { chinaMinute, couponItem, type CouponItem } from '../../../lib/coupons'
import type { ActionOutput } from '../../../../cloudfunctions/shared/contract'
import type { CouponView, GiftView } from '../../../shared/coupon-rules'

export type CouponDetail = ActionOutput<'member', 'couponDetail'>
export interface DetailStore {
  id: string
  name: string
  address: string
}
export interface GiftLine {
  key: string
  text: string
  status: string
  time: string
}

export interface DetailView {
  id: string
  title: string
  /** the code for the clerk: usable coupons only */
  showCode: boolean
  statusTitle: string
  statusText: string
  gifting: boolean
  giftToken: string
  canForward: boolean
  canPay: boolean
  fromFriend: boolean
  validityText: string
  conditionText: string
  stackText: string
  rulesText: string
  storesText: string
}

const minuteOf = (iso: string | null): string => (iso ? chinaMinute(iso) : '')

function statusOf(c: CouponView): { title: string; text: string } {
  switch (c.state) {
    case 'gifting':
      return { title: '转赠中', text: `等待好友领取，${minuteOf(c.giftExpiresAt)} 前未领取将自动退回；领取前可随时收回。转赠期间此券不可使用。` }
    case 'given':
      return { title: '已转赠', text: '这张券已被好友领取，原券码已失效' }
    case 'used':
      return { title: '已使用', text: `${minuteOf(c.usedAt)}${c.usedStoreName ? ` 于${c.usedStoreName}` : ''}核销` }
    case 'expired':
      return { title: '已过期', text: c.validUntilLabel }
    case 'locked':
      return { title: '支付中', text: '这张券已用于一笔待支付的订单；订单关闭或超时未支付后可再次使用' }
    case 'notStarted':
      return { title: '未生效', text: `${minuteOf(c.validFrom)} 起可用` }
    default:
      return { title: '', text: '' }
  }
}

/** One line of this coupon's gift history: sent to a friend (and what became of it), or received. */
export function giftLine(g: GiftView, side: 'sent' | 'received'): GiftLine {
  return {
    key: `${side}-${g.token}`,
    text: side === 'sent' ? `转赠给${g.counterpart || '好友'}` : `来自${g.counterpart || '好友'}的赠送`,
    status: side === 'sent' ? g.statusName : '已领取',
    time: minuteOf(side === 'received' ? (g.closedAt ?? g.createdAt) : g.createdAt),
  }
}

export function detailView(d: CouponDetail): { view: DetailView; item: CouponItem; stores: DetailStore[]; gifts: GiftLine[] } {
  const c = d.coupon
  const rulesText = d.rulesText
  const status = statusOf(c)
  const money = c.type !== 'gift'
  return {
    item: couponItem(c),
    view: {
      id: c.id,
      title: c.title,
      showCode: c.state === 'available',
      statusTitle: status.title,
      statusText: status.text,
      gifting: c.state === 'gifting' && !!c.giftToken,
      giftToken: c.giftToken ?? '',
      canForward: c.state === 'available' && c.forwardable,
      canPay: c.state === 'available' && money,
      fromFriend: c.fromFriend,
      validityText: `有效期：${minuteOf(c.validFrom).slice(0, 10)} 至 ${c.validUntilLabel.replace('有效期至 ', '')}`,
      conditionText: `使用条件：${c.conditionLabel}${money ? '，到店支付时可选用，或到店出示券码核销' : '，到店出示券码核销'}`,
      stackText: c.stackable ? '可与其他优惠券同时使用' : '每笔订单限用一张优惠券',
      rulesText,
      storesText: d.allStores ? '全部门店通用' : d.stores.length ? `以下 ${d.stores.length} 家门店可用` : '暂无可用门店',
    },
    stores: d.stores.map((s) => ({ id: s.id, name: s.name, address: s.address })),
    // the server lists the sent ones first, then (for a coupon from a friend) the one it came with
    gifts: d.gifts.map((g, i) => giftLine(g, c.fromFriend && i === d.gifts.length - 1 ? 'received' : 'sent')),
  }
}

export const emptyDetail: DetailView = {
  id: '',
  title: '',
  showCode: false,
  statusTitle: '',
  statusText: '',
  gifting: false,
  giftToken: '',
  canForward: false,
  canPay: false,
  fromFriend: false,
  validityText: '',
  conditionText: '',
  stackText: '',
  rulesText: '',
  storesText: '',
}

/** The chat card a gift is sent with: opens the gift page for that token. */
export function giftShare(title: string, token: string): { title: string; path: string } {
  return { title: `送你一张「${title}」，快来领取`, path: `/coupons/pages/gift/index?token=${encodeURIComponent(token)}` }
}
