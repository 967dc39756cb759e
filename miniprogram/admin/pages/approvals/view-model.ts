import { formatTime } from '../../../lib/date-format'
import type { ActionOutput } from '../../../../cloudfunctions/shared/contract'
import { formatYuan } from '../../../lib/money'

export type PendingApproval = ActionOutput<'admin', 'cashier.approvals'>['approvals'][number]

export interface ApprovalRow {
  id: string
  amountText: string
  memberText: string
  clerkText: string
  reasonText: string
  timeText: string
}

/** One clerk's sale waiting for this manager, as the list shows it. */
export function approvalRow(a: PendingApproval, storeNames: Record<string, string>): ApprovalRow {
  const store = storeNames[a.storeId] ?? ''
  return {
    id: a.id,
    amountText: formatYuan(a.amountFen),
    memberText: `会员号 ${a.memberNo}`,
    clerkText: `${store ? `${store} · ` : ''}店员 ${a.clerkName}`,
    reasonText: `需要审批：${a.reasonText}`,
    timeText: a.createdAt ? formatTime(a.createdAt, 'MM-DD HH:mm') : '',
  }
}
