import { callCloud } from '../../../lib/call-cloud'
import { datasetText } from '../../../lib/dataset'
import { definePage } from '../../../lib/page'
import { instanceStore, confirmDialog, toast, toastError } from '../../../lib/ui'

interface ShopRow {
  id: string
  title: string
  priceText: string
  line: string
  buttonText: string
  canExchange: boolean
}

const BLOCKED_TEXT: Record<string, string> = { SOLD_OUT: '已兑完', LIMIT_REACHED: '已达限兑', POINTS_SHORT: '积分不足', NOT_MEMBER: '成为会员后兑换' }

const local = instanceStore(() => ({ seq: 0 }))

/** A request id per tap: a retried call answers the same exchange (services/points-shop.ts). */
function requestId(owner: object): string {
  local(owner).seq += 1
  return `x${Date.now().toString(36)}${local(owner).seq}${Math.random().toString(36).slice(2, 8)}`
}

/** 积分商城: coupons for points. The server takes the points and issues the coupon in one go. */
definePage({
  data: { points: 0, isMember: false, rows: [] as ShopRow[], exchanging: '' },
  refreshOnShow: true,
  methods: {
    async onExchange(e: WechatMiniprogram.TouchEvent) {
      const id = datasetText(e, 'id')
      const row = this.data.rows.find((r) => r.id === id)
      if (!row || !row.canExchange || this.data.exchanging) return
      if (!(await confirmDialog('确认兑换', `使用 ${row.priceText} 兑换「${row.title}」？`, '兑换'))) return
      this.setData({ exchanging: id })
      try {
        const res = await callCloud('member', 'exchange', { itemId: id, requestId: requestId(this) })
        toast('兑换成功，券已放入券包')
        this.setData({ points: res.pointsAfter })
      } catch (err) {
        toastError(err)
      } finally {
        this.setData({ exchanging: '' })
        await this.reload({ quiet: true })
      }
    },
    goPay() {
      void wx.navigateTo({ url: '/pages/pay/index' })
    },
    goCoupons() {
      void wx.switchTab({ url: '/pages/coupons/index' })
    },
  },
  async load() {
    const res = await callCloud('member', 'shopItems', {})
    const rows: ShopRow[] = res.items.map((i) => ({
      id: i.id,
      title: i.title,
      priceText: `${i.pricePoints} 积分`,
      line: `剩余 ${i.remaining} · 每人限兑 ${i.perMemberLimit}${i.exchangedByMe ? ` · 已兑 ${i.exchangedByMe}` : ''}`,
      buttonText: i.blocked ? (BLOCKED_TEXT[i.blocked] ?? '不可兑换') : '兑换',
      canExchange: i.blocked === null,
    }))
    return { points: res.points, isMember: res.isMember, rows, viewState: rows.length ? 'ready' : 'empty' }
  },
})
