/**
 * Who can hold the preview's phone: the demo merchant's people (database/demo-seed.ts) and
 * brand-new visitors, each with a fresh openid. Each identity has its own phone: page stack,
 * storage, and the X-WX-OPENID on every call.
 */
export interface Identity {
  key: string
  label: string
  openid: string
  note: string
}

export const IDENTITIES: Identity[] = [
  { key: 'consumer', label: '演示会员', openid: 'demo-consumer-openid', note: '有消费记录和邀请好友的会员' },
  { key: 'clerk', label: '店员', openid: 'demo-clerk-openid', note: '店员小李 · 徐汇漕溪北路店' },
  { key: 'manager', label: '店长', openid: 'demo-manager-openid', note: '徐汇店长王敏 · 徐汇漕溪北路店' },
  { key: 'hq', label: '总部', openid: 'demo-hq-openid', note: '总部小周 · 全部门店' },
  { key: 'owner', label: '老板', openid: 'demo-owner-openid', note: '林老板 · 可改商家设置' },
  // Segments (segments): a lapsed member, the audience of a 定向发券 campaign.
  { key: 'lapsed', label: '老会员', openid: 'demo-lapsed-openid', note: '90 天没来过的会员' },
]

/** A new visitor: never seen by the cloud, so the app treats them as a first-time user. */
export function visitorOpenid(random: () => number = Math.random): string {
  return `preview-visitor-${Date.now().toString(36)}${Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0')}`
}

/** WeChat scene values the launcher offers. */
export const SCENES: { value: number; label: string }[] = [
  { value: 1001, label: '1001 发现栏小程序主入口' },
  { value: 1007, label: '1007 单人聊天会话中的小程序消息卡片' },
  { value: 1008, label: '1008 群聊会话中的小程序消息卡片' },
  { value: 1011, label: '1011 扫描二维码' },
  { value: 1047, label: '1047 扫描小程序码' },
  { value: 1154, label: '1154 朋友圈内打开“单页模式”' },
]
