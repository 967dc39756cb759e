import { formatYuan } from '../../../lib/money'

export interface CaptureResult {
  outTradeNo: string
  memberNo: string
  pointsEarned: number
  tierName: string
  alreadyRecorded: boolean
  /** with a coupon (coupons): its discount and what was paid */
  discountFen?: number
  paidFen?: number
}

export interface CashierResultView {
  title: string
  amountText: string
  memberText: string
  pointsText: string
  tierText: string
  note: string
  couponText: string
}

export function cashierResultView(r: CaptureResult, amountFen: number, storeName: string): CashierResultView {
  return {
    title: r.alreadyRecorded ? '该笔消费已记录' : '收银成功',
    amountText: formatYuan(r.paidFen ?? amountFen),
    couponText: r.discountFen ? `消费 ${formatYuan(amountFen)}，优惠券抵扣 ${formatYuan(r.discountFen)}` : '',
    memberText: `会员号 ${r.memberNo}`,
    pointsText: r.pointsEarned > 0 ? `会员获得 ${r.pointsEarned} 积分` : '本次未产生积分',
    tierText: r.tierName ? `会员等级：${r.tierName}` : '',
    note: r.alreadyRecorded ? '重复提交已自动识别，未重复计分' : `${storeName} · 单号 ${r.outTradeNo.slice(-8)}`,
  }
}

/** A clerk's sale waiting for (or decided by) a manager: cashier.capture's pendingApproval, cashier.approval's approval. */
export interface ApprovalResult {
  id: string
  status: 'pending' | 'approved' | 'refused'
  reasonText: string
  memberNo: string
  amountFen: number
  decidedByName: string | null
  outTradeNo: string | null
  pointsEarned: number
}

export interface ApprovalView {
  id: string
  status: ApprovalResult['status']
  title: string
  amountText: string
  lines: string[]
}

export function approvalResultView(a: ApprovalResult): ApprovalView {
  const amountText = formatYuan(a.amountFen)
  const member = `会员号 ${a.memberNo}`
  if (a.status === 'pending') return { id: a.id, status: a.status, title: '等待店长审批', amountText, lines: [member, `需要审批：${a.reasonText}`, '请店长在「收银审批」中处理'] }
  if (a.status === 'approved') {
    return {
      id: a.id,
      status: a.status,
      title: '店长已批准，收银成功',
      amountText,
      lines: [member, a.pointsEarned > 0 ? `会员获得 ${a.pointsEarned} 积分` : '本次未产生积分', `批准人：${a.decidedByName ?? ''}`],
    }
  }
  return { id: a.id, status: a.status, title: '店长已拒绝，本笔未记录', amountText, lines: [member, `处理人：${a.decidedByName ?? ''}`] }
}
