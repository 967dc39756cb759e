/**
 * 客服自动回复's limits and labels, one copy for the admin page and the server
 * (cloudfunctions/domain/service-replies.ts and admin/service.ts validate with the same numbers).
 */
export const SERVICE_LIMITS = { replies: 20, keywords: 10, keywordChars: 10, textChars: 300, greetingChars: 200 } as const

export const REPLY_KIND_LABELS = { text: '文字回复', hours: '门店营业时间', address: '门店地址与电话', card: '小程序卡片' } as const
export type ReplyKindName = keyof typeof REPLY_KIND_LABELS

export const CARD_PAGE_LABELS = { card: '会员卡', pay: '付款', coupons: '优惠券', stores: '门店' } as const
export type CardPageName = keyof typeof CARD_PAGE_LABELS
