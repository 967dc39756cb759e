import type { MerchantSettings } from '../domain/merchant-settings'
import type { Transaction } from './db-util'
import type { MemberDoc, OrderDoc } from './documents'
import { grantPayRewards, restorePayRewards, reversePayRewards } from './pay-rewards'
// Touchpoints and dashboards (touchpoints).
import { touchpointCaptureEffect, touchpointRestoreEffect, touchpointReversalEffect } from './touchpoints'

/**
 * What other features do with a payment, inside its capture transaction: post-payment rewards,
 * counters, attribution. An effect runs for a new capture only (never on a replay, since the
 * capture answers a replay before it writes), so whatever it grants is granted once per order;
 * if it throws, the whole capture rolls back and is retried by the caller like any conflict.
 */
export interface CaptureFacts {
  outTradeNo: string
  openid: string
  memberId: string
  storeId: string
  channel: 'wxpay' | 'cashier'
  /** What was paid (after any coupon). */
  amountFen: number
  clerkOpenid: string | null
  touchpoint: string
  joined: boolean
  firstPayment: boolean
  /**
   * The member as this transaction has written it so far. An effect that changes the member
   * (services/points.ts creditPoints) replaces it with what it wrote, so the next effect reads
   * the current balance.
   */
  member: MemberDoc
  settings: MerchantSettings
  now: Date
}

export type CaptureEffect = (t: Transaction, facts: CaptureFacts) => Promise<void>

/** A paid order being reversed (refund), or paid again after its refund failed (restore). */
export interface ReversalFacts {
  order: OrderDoc
  memberId: string
  /** The member as the reversal wrote it (null: the member erased their membership). */
  member: MemberDoc | null
  settings: MerchantSettings
  now: Date
  /** The refund attempt (0 for the first): causes of a reversal's writes include it. */
  attempt: number
}

export type ReversalEffect = (t: Transaction, facts: ReversalFacts) => Promise<void>

// Registries: each feature appends its effect at the end, with a comment naming the feature.
export const CAPTURE_EFFECTS: CaptureEffect[] = [
  // Rewards (issue 13): 消费有礼 (services/pay-rewards.ts).
  grantPayRewards,
  // Touchpoints and dashboards: attribution, the order fact, day counters.
  touchpointCaptureEffect,
]
export const REVERSAL_EFFECTS: ReversalEffect[] = [
  // Rewards (issue 13): what the order earned goes back where unused.
  reversePayRewards,
  // Touchpoints and dashboards.
  touchpointReversalEffect,
]
export const RESTORE_EFFECTS: ReversalEffect[] = [
  // Rewards (issue 13): the refund failed; what it took back returns.
  restorePayRewards,
  // Touchpoints and dashboards.
  touchpointRestoreEffect,
]

export async function runCaptureEffects(t: Transaction, facts: CaptureFacts): Promise<void> {
  for (const effect of CAPTURE_EFFECTS) await effect(t, facts)
}

export async function runReversalEffects(effects: readonly ReversalEffect[], t: Transaction, facts: ReversalFacts): Promise<void> {
  for (const effect of effects) await effect(t, facts)
}
