import { DEFAULT_SETTINGS } from '../../cloudfunctions/domain/merchant-settings'
import { applyCredit, growthForSpend, pointsForSpend, reversePoints, tierForGrowth, tierProgress } from '../../cloudfunctions/domain/loyalty'

const tiers = DEFAULT_SETTINGS.tiers

describe('points and tiers', () => {
  it('credits one point per yuan at the tier multiplier, rounding down, never on fractions of a yuan', () => {
    expect(pointsForSpend(DEFAULT_SETTINGS, tiers[0], 3880)).toBe(38)
    expect(pointsForSpend(DEFAULT_SETTINGS, tiers[1], 10000)).toBe(120)
    expect(pointsForSpend(DEFAULT_SETTINGS, tiers[2], 999)).toBe(13) // 9 × 1.5 = 13.5 → 13
    expect(pointsForSpend(DEFAULT_SETTINGS, tiers[0], 99)).toBe(0)
    expect(growthForSpend(12345)).toBe(123)
  })

  it('finds the tier by growth at the exact thresholds', () => {
    expect(tierForGrowth(tiers, 0).level).toBe(1)
    expect(tierForGrowth(tiers, 499).level).toBe(1)
    expect(tierForGrowth(tiers, 500).level).toBe(2)
    expect(tierForGrowth(tiers, 2000).level).toBe(3)
    expect(tierForGrowth([...tiers].reverse(), 600).level).toBe(2)
  })

  it('shows the progress to the next tier, and full at the top', () => {
    expect(tierProgress(tiers, 250)).toMatchObject({ remaining: 250, percent: 50, next: { name: '金卡会员' } })
    expect(tierProgress(tiers, 5000)).toMatchObject({ remaining: 0, percent: 100, next: null })
  })

  it('never takes the balance below zero on a reversal; the rest is debt, paid first by later credits', () => {
    expect(reversePoints(100, 30)).toEqual({ debit: 30, debt: 0 })
    expect(reversePoints(10, 30)).toEqual({ debit: 10, debt: 20 })
    expect(reversePoints(0, 5)).toEqual({ debit: 0, debt: 5 })
    expect(applyCredit(20, 50)).toEqual({ toBalance: 30, debtPaid: 20 })
    expect(applyCredit(80, 50)).toEqual({ toBalance: 0, debtPaid: 50 })
    expect(applyCredit(0, 50)).toEqual({ toBalance: 50, debtPaid: 0 })
  })
})
