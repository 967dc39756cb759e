/**
 * 客服自动回复: what the bot answers to a customer-service message, by keyword. The merchant edits
 * the replies (admin service.update); these are the defaults a new deployment answers with.
 * Anything no keyword matches goes to a human (transfer_customer_service).
 */
import { OPEN_STATE_TEXT, openStateAt } from '../../miniprogram/shared/store-hours'

/** text: the reply's text; hours / address: the store list with hours or addresses; card: a mini-program card. */
export type ReplyKind = 'text' | 'hours' | 'address' | 'card'

/** Pages a card may open (tab pages open fine from a card). */
export const CARD_PAGES = {
  card: 'pages/card/index',
  pay: 'pages/pay/index',
  coupons: 'pages/coupons/index',
  stores: 'conveniences/pages/stores/index',
} as const
export type CardPage = keyof typeof CARD_PAGES

export interface AutoReply {
  /** Any of these in the message (case-insensitive) picks this reply; the first reply that matches wins. */
  keywords: string[]
  kind: ReplyKind
  /** text: the whole reply; hours/address: the line before the list; card: the card's title. */
  text: string
  /** card only. */
  page?: CardPage
}

export interface ServiceReplies {
  enabled: boolean
  /** Sent when someone opens the chat (user_enter_tempsession); '' sends nothing. */
  greeting: string
  replies: AutoReply[]
}

// One copy of the limits for the admin page and the server.
export { SERVICE_LIMITS } from '../../miniprogram/shared/service-reply-rules'

export const DEFAULT_SERVICE_REPLIES: ServiceReplies = {
  enabled: true,
  greeting: '您好，欢迎咨询！回复「营业时间」「地址」「会员」「优惠」可立即获得解答，其他问题请直接留言，店员会尽快回复您。',
  replies: [
    { keywords: ['营业时间', '几点', '营业', '开门', '关门'], kind: 'hours', text: '各门店营业时间：' },
    { keywords: ['地址', '在哪', '门店', '怎么走', '位置'], kind: 'address', text: '门店地址：' },
    { keywords: ['会员', '积分', '会员卡', '等级'], kind: 'card', text: '点此查看您的会员卡与积分', page: 'card' },
    { keywords: ['优惠', '优惠券', '活动', '折扣'], kind: 'text', text: '到店支付即成为会员，消费即得积分；会员等级越高积分倍数越高。进入小程序「优惠券」可查看当前可领的优惠。' },
  ],
}

/** The first reply whose keyword the message contains, or null (→ a human). */
export function matchReply(settings: ServiceReplies, content: string): AutoReply | null {
  if (!settings.enabled) return null
  const text = content.normalize('NFC').toLowerCase()
  if (!text.trim()) return null
  return settings.replies.find((r) => r.keywords.some((k) => k.trim() && text.includes(k.trim().toLowerCase()))) ?? null
}

export interface StoreLine {
  name: string
  address: string
  phone: string
  hours: string
}

/** The store list as one text message (WeChat caps a text reply; the list stops before the cap). */
export function storeListText(intro: string, stores: readonly StoreLine[], kind: 'hours' | 'address', now: Date, maxChars = 1000): string {
  if (stores.length === 0) return `${intro}\n暂无营业中的门店`
  const lines = [intro]
  let length = intro.length
  for (const s of stores) {
    const state = OPEN_STATE_TEXT[openStateAt(s.hours, now)]
    const line =
      kind === 'hours'
        ? `【${s.name}】${s.hours || '营业时间请致电门店'}${state ? `（${state}）` : ''}`
        : `【${s.name}】${s.address}${s.phone ? ` 电话 ${s.phone}` : ''}`
    if (length + line.length + 1 > maxChars) {
      lines.push('……更多门店请在小程序「门店」中查看')
      break
    }
    lines.push(line)
    length += line.length + 1
  }
  return lines.join('\n')
}
