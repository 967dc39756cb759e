/**
 * Counter fraud at the cashier (issue 12): who may record a sale for whom, how much before a
 * manager must approve it, and how much per clerk and per store per China day. cashier.ts calls
 * judgeSale() before anything is written and saleGuard() inside the capture's transaction.
 */
import { COLLECTIONS } from '../shared/collections'
import { AppError, ERROR_MESSAGES, type ErrorCode } from '../shared/errors'
import type { MerchantSettings } from '../domain/merchant-settings'
import { chinaDay } from '../domain/tags'
import { formatYuan } from '../../miniprogram/shared/money'
import { getDoc, txGet, type Transaction } from '../services/db-util'
import type { MemberDoc, StaffDoc } from '../services/documents'
import { writeAudit, type AuditDoc } from '../services/audit'
import { CASHIER_STORE_WORDS, requireOpenStoreIn } from '../services/store-open'
import type { CaptureGuard } from '../services/capture'
import type { StaffActionContext } from './staff-context'

/** Owner and managers record any sale themselves and approve clerks' sales; HQ does not take money. */
export function mayApprove(role: StaffDoc['role']): boolean {
  return role === 'owner' || role === 'manager'
}

export type ApprovalReason = 'amount' | 'typedNumber'
export const APPROVAL_REASON_TEXT: Record<ApprovalReason, string> = {
  amount: '金额超过单笔审批线',
  typedNumber: '手动输入会员号',
}

export interface SaleFacts {
  storeId: string
  member: MemberDoc
  amountFen: number
  /** The member was named by a typed member number (not a scanned code). */
  typed: boolean
}

export type SaleVerdict = { kind: 'record' } | { kind: 'approval'; reason: ApprovalReason }

interface TotalDoc {
  totalFen: number
  count: number
}

export const clerkTotalId = (openid: string, now: Date): string => `clerk:${openid}:${chinaDay(now)}`
export const storeTotalId = (storeId: string, now: Date): string => `store:${storeId}:${chinaDay(now)}`

function capRefusal(settings: MerchantSettings, clerk: TotalDoc | null, store: TotalDoc | null, amountFen: number): ErrorCode | null {
  if ((clerk?.totalFen ?? 0) + amountFen > settings.cashier.clerkDailyCapFen) return 'CASHIER_CLERK_DAILY_CAP'
  if ((store?.totalFen ?? 0) + amountFen > settings.cashier.storeDailyCapFen) return 'CASHIER_STORE_DAILY_CAP'
  return null
}

function capError(code: ErrorCode, settings: MerchantSettings): AppError {
  const cap = code === 'CASHIER_CLERK_DAILY_CAP' ? settings.cashier.clerkDailyCapFen : settings.cashier.storeDailyCapFen
  return new AppError(code, `${ERROR_MESSAGES[code]}（每日 ${formatYuan(cap)}）`)
}

/** Self-dealing: one's own membership never; another staff member's only by a manager or above. */
export async function checkWhoFor(ctx: StaffActionContext, recorder: StaffDoc, member: MemberDoc): Promise<void> {
  if (member.openid === recorder.openid || member.openid === ctx.staff.openid) throw new AppError('CASHIER_SELF')
  if (!mayApprove(ctx.staff.role)) {
    const memberIsStaff = await getDoc<StaffDoc>(ctx.db, COLLECTIONS.staff, member.openid)
    if (memberIsStaff) throw new AppError('CASHIER_STAFF_MEMBER')
  }
}

/**
 * Before anything is written: refuses self-dealing and a sale past a daily cap (read here for a
 * quick answer; saleGuard() decides again in the transaction), and says whether a manager must
 * approve (a clerk's sale above the approval line, or a typed number where the merchant chose
 * manager approval for those).
 */
export async function judgeSale(ctx: StaffActionContext, settings: MerchantSettings, sale: SaleFacts): Promise<SaleVerdict> {
  await checkWhoFor(ctx, ctx.staff, sale.member)
  const now = ctx.now()
  const [clerk, store] = await Promise.all([
    getDoc<TotalDoc>(ctx.db, COLLECTIONS.cashierTotals, clerkTotalId(ctx.staff.openid, now)),
    getDoc<TotalDoc>(ctx.db, COLLECTIONS.cashierTotals, storeTotalId(sale.storeId, now)),
  ])
  const cap = capRefusal(settings, clerk, store, sale.amountFen)
  if (cap) throw capError(cap, settings)
  if (mayApprove(ctx.staff.role)) return { kind: 'record' }
  if (sale.typed && settings.cashier.typedNumberCheck === 'managerApproval') return { kind: 'approval', reason: 'typedNumber' }
  if (sale.amountFen > settings.cashier.approvalAboveFen) return { kind: 'approval', reason: 'amount' }
  return { kind: 'record' }
}

/**
 * Inside the capture's transaction (new captures only): the store is still open, the clerk's
 * and the store's totals for the China day stay under their caps — counters with derived ids,
 * read and written here, so concurrent sales cannot both slip under a cap — and the audit line
 * commits with the sale. `extra` does the approval's own update in the same transaction.
 */
export function saleGuard(settings: MerchantSettings, sale: { storeId: string; clerkOpenid: string; amountFen: number }, audit: AuditDoc, extra?: CaptureGuard): CaptureGuard {
  return async (t: Transaction, now: Date) => {
    await requireOpenStoreIn(t, sale.storeId, CASHIER_STORE_WORDS)
    const clerkId = clerkTotalId(sale.clerkOpenid, now)
    const storeId = storeTotalId(sale.storeId, now)
    const [clerk, store] = await Promise.all([txGet<TotalDoc>(t, COLLECTIONS.cashierTotals, clerkId), txGet<TotalDoc>(t, COLLECTIONS.cashierTotals, storeId)])
    const cap = capRefusal(settings, clerk, store, sale.amountFen)
    if (cap) throw capError(cap, settings)
    await t.collection(COLLECTIONS.cashierTotals).doc(clerkId).set({ data: { totalFen: (clerk?.totalFen ?? 0) + sale.amountFen, count: (clerk?.count ?? 0) + 1, updatedAt: now } })
    await t.collection(COLLECTIONS.cashierTotals).doc(storeId).set({ data: { totalFen: (store?.totalFen ?? 0) + sale.amountFen, count: (store?.count ?? 0) + 1, updatedAt: now } })
    if (extra) await extra(t, now)
    await writeAudit(t, audit)
  }
}
