import type { MerchantSettings, TierRule } from './merchant-settings'

/** Points and tiers: pure rules, shared by pay callbacks, the cashier and refunds. */

export function isFen(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0
}

export function tierForGrowth(tiers: TierRule[], growth: number): TierRule {
  const sorted = [...tiers].sort((a, b) => a.minGrowth - b.minGrowth)
  let current = sorted[0]
  for (const t of sorted) if (growth >= t.minGrowth) current = t
  if (!current) throw new Error('merchant has no tiers')
  return current
}

/** Growth earned for a spend: one per whole yuan. */
export function growthForSpend(amountFen: number): number {
  return Math.floor(amountFen / 100)
}

/** Points for a spend at the member's tier before the spend (the multiplier they held when paying). */
export function pointsForSpend(settings: Pick<MerchantSettings, 'fenPerPoint'>, tier: TierRule, amountFen: number): number {
  const base = Math.floor(amountFen / settings.fenPerPoint)
  return Math.floor((base * tier.multiplierPercent) / 100)
}

export interface TierProgress {
  current: TierRule
  next: TierRule | null
  growth: number
  /** Growth still needed for the next tier (0 at the top). */
  remaining: number
  /** 0–100 progress within the current tier band. */
  percent: number
}

export function tierProgress(tiers: TierRule[], growth: number): TierProgress {
  const current = tierForGrowth(tiers, growth)
  const next = [...tiers].sort((a, b) => a.minGrowth - b.minGrowth).find((t) => t.minGrowth > growth) ?? null
  if (!next) return { current, next, growth, remaining: 0, percent: 100 }
  const band = next.minGrowth - current.minGrowth
  const percent = band > 0 ? Math.min(100, Math.floor(((growth - current.minGrowth) * 100) / band)) : 100
  return { current, next, growth, remaining: next.minGrowth - growth, percent }
}

export interface PointsReversal {
  /** Points actually taken from the balance (never more than it holds). */
  debit: number
  /** What could not be taken and is recorded as debt, settled by later credits. */
  debt: number
}

/** Reversing `points` from a balance: the balance never goes below zero; the rest is debt. */
export function reversePoints(balance: number, points: number): PointsReversal {
  const debit = Math.min(balance, points)
  return { debit, debt: points - debit }
}

/** A credit first pays off any recorded debt. */
export function applyCredit(debt: number, points: number): { toBalance: number; debtPaid: number } {
  const debtPaid = Math.min(debt, points)
  return { toBalance: points - debtPaid, debtPaid }
}
