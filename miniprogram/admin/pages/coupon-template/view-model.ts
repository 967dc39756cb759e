import type { ActionInput } from '../../../../cloudfunctions/shared/contract'
import { parseYuanToFen } from '../../../lib/money'
import { COUPON_TYPE_NAMES } from '../../../shared/coupon-labels'
import type { AdminTemplateView, CouponType, TemplateStatus } from '../../../shared/coupon-rules'

/** The template form as typed: text fields (yuan, counts, dates), choices and toggles. */
export interface TemplateForm {
  /** '' = HQ (every store), else the issuing store */
  issuer: string
  type: CouponType
  title: string
  rulesText: string
  value: string
  threshold: string
  rate: string
  cap: string
  giftName: string
  validityKind: 'fixed' | 'relative'
  startDate: string
  endDate: string
  days: string
  delayDays: string
  stock: string
  perMemberLimit: string
  perDayLimit: string
  audienceKind: 'everyone' | 'tiers' | 'tags'
  audienceList: string
  forwardable: boolean
  stackable: boolean
  /** HQ templates: usable everywhere, or in the stores picked */
  allStores: boolean
  usableStoreIds: string[]
}

export const TEXT_FIELDS = ['title', 'rulesText', 'value', 'threshold', 'rate', 'cap', 'giftName', 'startDate', 'endDate', 'days', 'delayDays', 'stock', 'perMemberLimit', 'perDayLimit', 'audienceList'] as const
export type TextField = (typeof TEXT_FIELDS)[number]

export const TYPE_OPTIONS = (Object.keys(COUPON_TYPE_NAMES) as CouponType[]).map((t) => ({ value: t, label: COUPON_TYPE_NAMES[t] }))

function yuanText(fen: number): string {
  return fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2)
}

export function blankForm(issuer: string, today: string, monthLater: string): TemplateForm {
  return {
    issuer,
    type: 'cash',
    title: '',
    rulesText: '',
    value: '',
    threshold: '',
    rate: '',
    cap: '',
    giftName: '',
    validityKind: 'relative',
    startDate: today,
    endDate: monthLater,
    days: '7',
    delayDays: '0',
    stock: '100',
    perMemberLimit: '1',
    perDayLimit: '0',
    audienceKind: 'everyone',
    audienceList: '',
    forwardable: true,
    stackable: false,
    allStores: true,
    usableStoreIds: [],
  }
}

export function formOf(t: AdminTemplateView): TemplateForm {
  const v = t.value
  return {
    issuer: t.storeId ?? '',
    type: v.type,
    title: t.title,
    rulesText: t.rulesText,
    value: v.type === 'cash' || v.type === 'threshold' ? yuanText(v.valueFen) : '',
    threshold: v.type === 'threshold' || v.type === 'discount' ? (v.thresholdFen ? yuanText(v.thresholdFen) : '') : '',
    rate: v.type === 'discount' ? String(v.ratePercent) : '',
    cap: v.type === 'discount' ? yuanText(v.capFen) : '',
    giftName: v.type === 'gift' ? v.giftName : '',
    validityKind: t.validity.kind,
    startDate: t.validity.kind === 'fixed' ? t.validity.startDate : '',
    endDate: t.validity.kind === 'fixed' ? t.validity.endDate : '',
    days: t.validity.kind === 'relative' ? String(t.validity.days) : '7',
    delayDays: t.validity.kind === 'relative' ? String(t.validity.delayDays) : '0',
    stock: String(t.stock),
    perMemberLimit: String(t.perMemberLimit),
    perDayLimit: String(t.perDayLimit),
    audienceKind: t.audience.kind,
    audienceList: t.audience.kind === 'tiers' ? t.audience.levels.join(',') : t.audience.kind === 'tags' ? t.audience.tags.join(',') : '',
    forwardable: t.forwardable,
    stackable: t.stackable,
    allStores: t.usableStoreIds === null,
    usableStoreIds: t.usableStoreIds ?? [],
  }
}

type CreateInput = ActionInput<'admin', 'couponTemplates.create'>
type Value = CreateInput['value']

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

function fenOf(label: string, text: string, optional = false): Parsed<number> {
  if (optional && text.trim() === '') return { ok: true, value: 0 }
  const p = parseYuanToFen(text.trim())
  return p.ok ? { ok: true, value: p.fen } : { ok: false, message: `${label}：${p.message}` }
}

function intOf(label: string, text: string): Parsed<number> {
  const t = text.trim()
  if (!/^\d+$/.test(t)) return { ok: false, message: `${label}应为整数` }
  return { ok: true, value: Number(t) }
}

function valueOf(f: TemplateForm): Parsed<Value> {
  switch (f.type) {
    case 'cash': {
      const v = fenOf('面额', f.value)
      return v.ok ? { ok: true, value: { type: 'cash', valueFen: v.value } } : v
    }
    case 'threshold': {
      const v = fenOf('减免金额', f.value)
      if (!v.ok) return v
      const th = fenOf('使用门槛', f.threshold)
      return th.ok ? { ok: true, value: { type: 'threshold', valueFen: v.value, thresholdFen: th.value } } : th
    }
    case 'discount': {
      const rate = intOf('折扣', f.rate)
      if (!rate.ok) return rate
      // a discount without its cap is refused here as on the server
      if (!f.cap.trim()) return { ok: false, message: '折扣券须设置最高优惠金额' }
      const cap = fenOf('最高优惠金额', f.cap)
      if (!cap.ok) return cap
      const th = fenOf('使用门槛', f.threshold, true)
      return th.ok ? { ok: true, value: { type: 'discount', ratePercent: rate.value, capFen: cap.value, thresholdFen: th.value } } : th
    }
    case 'gift':
      return f.giftName.trim() ? { ok: true, value: { type: 'gift', giftName: f.giftName } } : { ok: false, message: '请填写兑换内容' }
  }
}

/** The form as couponTemplates.create takes it (the server validates it again, with its own messages). */
export function createInputOf(f: TemplateForm): Parsed<CreateInput> {
  const value = valueOf(f)
  if (!value.ok) return value
  const ints: Record<string, number> = {}
  const fields: [string, string][] = [
    ['库存', f.stock],
    ['每人限领', f.perMemberLimit],
    ['每人每日限领', f.perDayLimit],
    ...(f.validityKind === 'relative' ? ([['有效天数', f.days], ['生效延迟天数', f.delayDays]] as [string, string][]) : []),
  ]
  for (const [label, text] of fields) {
    const n = intOf(label, text)
    if (!n.ok) return n
    ints[label] = n.value
  }
  const list = f.audienceList
    .split(/[,，、\s]+/)
    .map((x) => x.trim())
    .filter(Boolean)
  let audience: CreateInput['audience']
  if (f.audienceKind === 'everyone') audience = { kind: 'everyone' }
  else if (f.audienceKind === 'tiers') {
    const levels = list.map(Number)
    if (!levels.length || levels.some((n) => !Number.isInteger(n))) return { ok: false, message: '请填写会员等级序号，如 2,3' }
    audience = { kind: 'tiers', levels }
  } else {
    if (!list.length) return { ok: false, message: '请填写会员标签' }
    audience = { kind: 'tags', tags: list }
  }
  if (!f.issuer && !f.allStores && !f.usableStoreIds.length) return { ok: false, message: '请至少选择一家适用门店' }
  return {
    ok: true,
    value: {
      storeId: f.issuer || null,
      title: f.title,
      rulesText: f.rulesText,
      value: value.value,
      validity: f.validityKind === 'fixed' ? { kind: 'fixed', startDate: f.startDate.trim(), endDate: f.endDate.trim() } : { kind: 'relative', days: ints['有效天数'], delayDays: ints['生效延迟天数'] },
      stock: ints['库存'],
      perMemberLimit: ints['每人限领'],
      perDayLimit: ints['每人每日限领'],
      audience,
      forwardable: f.forwardable,
      stackable: f.stackable,
      // a store's template is usable in that store (the server decides); HQ picks all or some
      ...(f.issuer ? {} : { usableStoreIds: f.allStores ? null : f.usableStoreIds }),
    },
  }
}

type UpdateInput = ActionInput<'admin', 'couponTemplates.update'>

/**
 * The update for a template: everything while nobody has claimed; once claimed ('limited')
 * only the stock and the rules text (the server refuses anything else: claimed coupons keep
 * the terms they were claimed under).
 */
export function updateInputOf(templateId: string, f: TemplateForm, editable: 'all' | 'limited'): Parsed<UpdateInput> {
  if (editable === 'limited') {
    const stock = intOf('库存', f.stock)
    if (!stock.ok) return stock
    return { ok: true, value: { templateId, stock: stock.value, rulesText: f.rulesText } }
  }
  const full = createInputOf(f)
  if (!full.ok) return full
  const { storeId: _issuer, ...rest } = full.value
  return { ok: true, value: { templateId, ...rest } }
}

const ACTION_NAMES: Record<TemplateStatus, string> = { draft: '草稿', active: '开始发放', paused: '暂停发放', ended: '结束活动' }

export function statusActions(t: AdminTemplateView): { to: 'active' | 'paused' | 'ended'; text: string; danger: boolean }[] {
  return t.transitions
    .filter((to): to is 'active' | 'paused' | 'ended' => to !== 'draft')
    .map((to) => ({ to, text: t.status === 'paused' && to === 'active' ? '恢复发放' : ACTION_NAMES[to], danger: to === 'ended' }))
}

export function statusLine(t: AdminTemplateView): string {
  return `${t.statusName} · 已领 ${t.claimed} / 库存 ${t.stock}（剩余 ${t.remaining}）· ${t.issuerName}`
}
