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
