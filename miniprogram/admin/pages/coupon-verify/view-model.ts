import type { ActionOutput } from '../../../../cloudfunctions/shared/contract'
import { formatYuan } from '../../../lib/money'
import { chinaMinute as minuteOf } from '../../../lib/coupons'
import { thresholdOf } from '../../../shared/coupon-labels'
import type { CounterCouponView, VerificationView } from '../../../shared/coupon-rules'

export type Lookup = ActionOutput<'admin', 'coupons.lookup'>

export interface CounterItem {
  id: string
  title: string
  kind: string
  valueLabel: string
  conditionLabel: string
  line: string
  tag: string
  owner: string
  storesText: string
  /** 本单可优惠 ¥x (when an amount was given) */
  savingText: string
  /** why it cannot be verified here ('' when it can) */
  refusal: string
  ticket: string
  thresholdFen: number
}

export function counterItem(c: CounterCouponView): CounterItem {
  return {
    id: c.id,
    title: c.title,
    kind: c.type,
    valueLabel: c.valueLabel,
    conditionLabel: c.conditionLabel,
    line: c.validUntilLabel,
    tag: c.refusal ? '不可核销' : c.stateName,
    owner: c.owner,
    storesText: c.storeIds === null ? '全部门店' : c.storeNames.join('、'),
    savingText: c.discountFen ? `本单可优惠 ${formatYuan(c.discountFen)}` : '',
    refusal: c.refusal?.message ?? '',
    ticket: c.ticket ?? '',
    thresholdFen: thresholdOf(c.value),
  }
}

export function ownerText(l: Lookup): string {
  if (l.kind === 'member') return `会员 ${l.memberNo} 的可用券（${l.coupons.length} 张），请选择要核销的券`
  return '扫到的券'
}

/** The refusal codes a clerk meets, each with a heading over the server's message (which says when / where). */
const REFUSAL_TITLES: Record<string, string> = {
  ALREADY_USED: '已核销',
  COUPON_GIVEN: '券已转赠，原券码失效',
  COUPON_IN_TRANSIT: '券正在转赠中',
  EXPIRED: '券已过期',
  NOT_STARTED: '券未到使用时间',
  COUPON_WRONG_STORE: '本门店不可用',
  COUPON_THRESHOLD: '未达使用门槛',
  COUPON_LOCKED: '券正在支付中',
  COUPON_EXCEEDS_ORDER: '券面额超过订单金额',
  COUPON_CODE_INVALID: '券码无效',
  NOT_FOUND: '未找到该券',
  FORBIDDEN: '无权核销',
  CONFLICT: '请重试',
}

export function refusalTitle(code: string): string {
  return REFUSAL_TITLES[code] ?? '不能核销'
}

export interface VerifyResultView {
  title: string
  couponText: string
  memberText: string
  whereText: string
  amountText: string
  note: string
}

export function verifyResultView(v: VerificationView, alreadyRecorded: boolean): VerifyResultView {
  return {
    title: alreadyRecorded ? '该券已核销（本次重复提交）' : '核销成功',
    couponText: `${v.title} · ${v.valueLabel}`,
    memberText: v.memberNo ? `会员号 ${v.memberNo}` : '非会员',
    whereText: `${minuteOf(v.createdAt)} · ${v.storeName} · ${v.clerkName}`,
    amountText: v.orderAmountFen ? `订单 ${formatYuan(v.orderAmountFen)}${v.discountFen ? `，优惠 ${formatYuan(v.discountFen)}` : ''}` : '',
    note: alreadyRecorded ? '重复提交已自动识别，未重复核销' : '如核销有误，店长可在 10 分钟内于「核销记录」撤销',
  }
}

export const emptyVerifyResult: VerifyResultView = { title: '', couponText: '', memberText: '', whereText: '', amountText: '', note: '' }
