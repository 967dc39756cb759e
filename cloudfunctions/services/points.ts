import { COLLECTIONS } from '../shared/collections'
import { applyCredit, reversePoints } from '../domain/loyalty'
import type { Transaction } from './db-util'
import type { LedgerDoc, MemberDoc } from './documents'

/**
 * Points moved by a feature other than a purchase (a reward, an exchange, a play, a check-in):
 * the member document and its ledger line change in the caller's transaction. The line's _id is
 * the cause, so the same cause can never move points twice (the ledger refuses a second line).
 */
export type PointsLine = Pick<LedgerDoc, '_id' | 'kind' | 'title'>

/** Credits `points` (recorded debt is paid first, as for any credit); answers the member as written. */
export async function creditPoints(t: Transaction, member: MemberDoc, points: number, line: PointsLine, now: Date): Promise<MemberDoc> {
  if (!Number.isInteger(points) || points < 0) throw new Error(`creditPoints: ${points} is not a whole, non-negative number`)
  const { toBalance, debtPaid } = applyCredit(member.pointsDebt, points)
  const after = { ...member, points: member.points + toBalance, pointsDebt: member.pointsDebt - debtPaid, updatedAt: now }
  const ledger: LedgerDoc = { ...line, memberId: member._id, delta: toBalance, debtDelta: -debtPaid, balanceAfter: after.points, createdAt: now }
  await t.collection(COLLECTIONS.pointsLedger).add({ data: ledger })
  await t.collection(COLLECTIONS.members).doc(member._id).update({ data: { points: after.points, pointsDebt: after.pointsDebt, updatedAt: now } })
  return after
}

/** Spends `points` the member has; null (nothing written) when the balance is short. Never below zero. */
export async function spendPoints(t: Transaction, member: MemberDoc, points: number, line: PointsLine, now: Date): Promise<MemberDoc | null> {
  if (!Number.isInteger(points) || points <= 0) throw new Error(`spendPoints: ${points} is not a whole, positive number`)
  if (member.points < points) return null
  const after = { ...member, points: member.points - points, updatedAt: now }
  const ledger: LedgerDoc = { ...line, memberId: member._id, delta: -points, debtDelta: 0, balanceAfter: after.points, createdAt: now }
  await t.collection(COLLECTIONS.pointsLedger).add({ data: ledger })
  await t.collection(COLLECTIONS.members).doc(member._id).update({ data: { points: after.points, updatedAt: now } })
  return after
}

/**
 * Takes back `points` a cause credited (a refunded order's reward): never below zero, what the
 * balance cannot cover is recorded as debt, as a refund's reversal does.
 */
export async function takeBackPoints(t: Transaction, member: MemberDoc, points: number, line: PointsLine, now: Date): Promise<MemberDoc> {
  const { debit, debt } = reversePoints(member.points, points)
  const after = { ...member, points: member.points - debit, pointsDebt: member.pointsDebt + debt, updatedAt: now }
  const ledger: LedgerDoc = { ...line, memberId: member._id, delta: -debit, debtDelta: debt, balanceAfter: after.points, createdAt: now }
  await t.collection(COLLECTIONS.pointsLedger).add({ data: ledger })
  await t.collection(COLLECTIONS.members).doc(member._id).update({ data: { points: after.points, pointsDebt: after.pointsDebt, updatedAt: now } })
  return after
}
