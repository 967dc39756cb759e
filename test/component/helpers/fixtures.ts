import type { RouteOutput } from './fake-cloud'

/** The demo café's brand and a silver member, as member.card answers them (typed by the contract). */
export const demoBrand: RouteOutput<'member.card'>['brand'] = { name: '山野咖啡', logoUrl: '', cardBackground: '#0b3d2e', cardTextColor: '#ffffff' }

export const demoCardMember: NonNullable<RouteOutput<'member.card'>['member']> = {
  memberNo: '10000023',
  tierName: '银卡会员',
  tierLevel: 2,
  points: 1280,
  pointsDebt: 0,
  growth: 1280,
  nextTierName: '金卡会员',
  growthToNext: 720,
  progressPercent: 64,
  benefits: [],
  birthday: null,
  joinedAt: '2025-03-01T02:00:00.000Z',
  totalSpentFen: 128000,
  visitCount: 9,
  phoneMasked: null,
}
