import { callCloud } from '../../../lib/call-cloud'
import { chinaMinute as minuteOf, COUPON_PAGES } from '../../../lib/coupons'
import { datasetText } from '../../../lib/dataset'
import { definePage } from '../../../lib/page'
import type { GiftView } from '../../../shared/coupon-rules'

interface GiftRow {
  key: string
  couponId: string
  title: string
  status: string
  statusName: string
  sub: string
}

function row(g: GiftView, side: 'sent' | 'received'): GiftRow {
  const sub =
    side === 'received'
      ? `${minuteOf(g.closedAt ?? g.createdAt)} 领取好友赠送`
      : g.status === 'pending'
        ? `${minuteOf(g.createdAt)} 送出 · ${minuteOf(g.expiresAt)} 前未领取将退回`
        : `${minuteOf(g.createdAt)} 送出${g.closedAt ? ` · ${minuteOf(g.closedAt)} ${g.statusName}` : ''}`
  return { key: `${side}-${g.token}`, couponId: g.couponId, title: g.title, status: g.status, statusName: g.statusName, sub }
}

/** 转赠记录: the gifts this member sent (and what became of each) and the ones they received. */
definePage({
  data: { sent: [] as GiftRow[], received: [] as GiftRow[] },
  refreshOnShow: true,
  methods: {
    onOpen(e: WechatMiniprogram.TouchEvent) {
      const id = datasetText(e, 'id')
      if (id) void wx.navigateTo({ url: `${COUPON_PAGES.detail}?id=${encodeURIComponent(id)}` })
    },
  },
  async load() {
    const { sent, received } = await callCloud('member', 'myGifts', {})
    if (!sent.length && !received.length) return { sent: [], received: [], viewState: 'empty' }
    return { sent: sent.map((g) => row(g, 'sent')), received: received.map((g) => row(g, 'received')) }
  },
})
