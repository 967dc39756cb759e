import { homeViewModel } from '../../miniprogram/pages/home/view-model'

const brand = { name: '拾光咖啡', logoUrl: '', cardBackground: '#1f2a44', cardTextColor: '#f5e6c8' }

describe('homeViewModel', () => {
  it('greets a member by tier with points and growth', () => {
    const view = homeViewModel({
      brand,
      member: {
        memberNo: '12345678', tierName: '金卡会员', tierLevel: 2, points: 810, pointsDebt: 0, growth: 610, nextTierName: '黑金会员',
        growthToNext: 1390, progressPercent: 7, benefits: [], birthday: null, phoneMasked: null, joinedAt: '2026-11-01T00:00:00.000Z',
        totalSpentFen: 61000, visitCount: 5,
      },
    })
    expect(view).toMatchObject({ brandName: '拾光咖啡', isMember: true, greeting: '尊敬的金卡会员', pointsText: '810' })
    expect(view.growthText).toBe('再获得 1390 成长值升级为「黑金会员」')
    expect(view.cardStyle).toContain('#1f2a44')
  })

  it('invites a non-member to join by paying', () => {
    const view = homeViewModel({ brand, member: null })
    expect(view).toMatchObject({ isMember: false, greeting: '欢迎光临', pointsText: '' })
    expect(view.growthText).toBe('首次支付即成为会员，消费即得积分')
  })
})
