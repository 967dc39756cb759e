import type { ActionOutput } from '../../../cloudfunctions/shared/contract'
import { cardViewModel } from '../card/view-model'

export interface HomeView {
  brandName: string
  cardStyle: string
  isMember: boolean
  greeting: string
  pointsText: string
  growthText: string
}

/** The home page's hero: the member's standing at a glance, or the invitation to join by paying. */
export function homeViewModel(card: ActionOutput<'member', 'card'>): HomeView {
  const c = cardViewModel(card)
  return {
    brandName: c.brandName,
    cardStyle: c.cardStyle,
    isMember: c.isMember,
    greeting: c.isMember ? `尊敬的${c.tierName}` : '欢迎光临',
    pointsText: c.pointsText,
    growthText: c.isMember ? c.growthText : '首次支付即成为会员，消费即得积分',
  }
}

export interface HomeEntry {
  icon: string
  text: string
  url: string
  /** switchTab for tab pages, navigateTo otherwise. */
  tab: boolean
}

export const HOME_ENTRIES: HomeEntry[] = [
  { icon: 'wallet', text: '到店支付', url: '/pages/pay/index', tab: false },
  { icon: 'qrcode', text: '会员码', url: '/pages/card/index', tab: true },
  { icon: 'chart-bar', text: '积分明细', url: '/pages/points/index', tab: false },
  { icon: 'user-add', text: '邀请好友', url: '/pages/invite/index', tab: false },
  // Conveniences: the store locator.
  { icon: 'shop', text: '门店', url: '/conveniences/pages/stores/index', tab: false },
  // Coupons (coupons-ui).
  { icon: 'shop', text: '领券中心', url: '/coupons/pages/center/index', tab: false },
]
