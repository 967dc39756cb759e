import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { DEFAULT_BIRTHDAY, DEFAULT_CHECKIN, type BirthdayConfig, type CheckinConfig, type PayRule } from '../../miniprogram/shared/reward-rules'
import { getDoc, txGet, type Transaction } from './db-util'

/**
 * Rewards settings (issue 13): each kind in one document of reward_settings, so the capture's
 * transaction reads the payment rules with one doc(id).get() (a transaction cannot query).
 */
export const PAY_RULES_DOC = 'payRules'
export const CHECKIN_DOC = 'checkin'
export const BIRTHDAY_DOC = 'birthday'

export interface PayRulesDoc {
  _id: string
  rules: PayRule[]
  updatedAt: Date
}

export const payRulesFrom = (doc: Partial<PayRulesDoc> | null): PayRule[] => doc?.rules ?? []
export const checkinFrom = (doc: Partial<CheckinConfig> | null): CheckinConfig => ({
  enabled: doc?.enabled ?? DEFAULT_CHECKIN.enabled,
  gift: doc?.gift ?? DEFAULT_CHECKIN.gift,
  radiusM: doc?.radiusM ?? DEFAULT_CHECKIN.radiusM,
  requireLocation: doc?.requireLocation ?? DEFAULT_CHECKIN.requireLocation,
})
export const birthdayFrom = (doc: Partial<BirthdayConfig> | null): BirthdayConfig => ({
  templateId: doc?.templateId ?? DEFAULT_BIRTHDAY.templateId,
  grantWhenSetInMonth: doc?.grantWhenSetInMonth ?? DEFAULT_BIRTHDAY.grantWhenSetInMonth,
})

export async function loadPayRules(db: Database): Promise<PayRule[]> {
  return payRulesFrom(await getDoc<PayRulesDoc>(db, COLLECTIONS.rewardSettings, PAY_RULES_DOC))
}
export async function txPayRules(t: Transaction): Promise<PayRule[]> {
  return payRulesFrom(await txGet<PayRulesDoc>(t, COLLECTIONS.rewardSettings, PAY_RULES_DOC))
}
export async function loadCheckin(db: Database): Promise<CheckinConfig> {
  return checkinFrom(await getDoc<CheckinConfig>(db, COLLECTIONS.rewardSettings, CHECKIN_DOC))
}
export async function loadBirthday(db: Database): Promise<BirthdayConfig> {
  return birthdayFrom(await getDoc<BirthdayConfig>(db, COLLECTIONS.rewardSettings, BIRTHDAY_DOC))
}
