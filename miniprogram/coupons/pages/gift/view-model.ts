import type { GiftOpenView } from '../../../shared/coupon-rules'

export interface GiftPageView {
  status: GiftOpenView['status'] | ''
  heading: string
  message: string
  title: string
  type: string
  valueLabel: string
  conditionLabel: string
  validUntilLabel: string
  storesText: string
  rulesText: string
  muted: boolean
  couponId: string
}

const HEADINGS: Record<GiftOpenView['status'], string> = {
  pending: '好友送你一张优惠券',
  mine: '这是你送出的券',
  acceptedByYou: '领取成功',
  taken: '来晚了',
  closed: '赠送已结束',
}

export function giftPageView(g: GiftOpenView): GiftPageView {
  return {
    status: g.status,
    heading: HEADINGS[g.status],
    // the server says what happened (taken by someone else, taken back, returned, your own)
    message: g.message,
    title: g.title,
    type: g.type,
    valueLabel: g.valueLabel,
    conditionLabel: g.conditionLabel,
    validUntilLabel: g.validUntilLabel,
    storesText: g.storeNames.length ? g.storeNames.join('、') : '全部门店通用',
    rulesText: g.rulesText,
    muted: g.status === 'taken' || g.status === 'closed',
    couponId: g.couponId ?? '',
  }
}

export const emptyGift: GiftPageView = {
  status: '',
  heading: '',
  message: '',
  title: '',
  type: 'cash',
  valueLabel: '',
  conditionLabel: '',
  validUntilLabel: '',
  storesText: '',
  rulesText: '',
  muted: false,
  couponId: '',
}

/** A gift token as it may appear in a card's path (anything else is not looked up). */
export function giftTokenOf(raw: string | undefined): string {
  const t = (raw ?? '').trim()
  return /^[A-Za-z0-9_-]{8,64}$/.test(t) ? t : ''
}
