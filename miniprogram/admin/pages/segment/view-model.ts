import { parseYuanToFen } from '../../../shared/money'
import { CONDITION_LABELS, describeCondition, isGroup, SEGMENT_LIMITS, type Cmp, type SegmentCondition, type SegmentConditionKind, type SegmentGroup } from '../../../shared/segment-rules'

/** The condition being added in the editor, as typed (strings until checked). */
export interface ConditionDraft {
  kind: SegmentConditionKind
  op: Cmp
  source: 'auto' | 'manual'
  has: boolean
  which: 'first' | 'favourite'
  state: 'held' | 'used'
  value: boolean
  tag: string
  /** days, count, yuan, window, or a comma-separated list (levels, months, touchpoints). */
  number: string
  windowDays: string
  list: string
  storeIds: string[]
}

export const KIND_OPTIONS: Array<{ value: SegmentConditionKind; label: string }> = (Object.keys(CONDITION_LABELS) as SegmentConditionKind[]).map((k) => ({ value: k, label: CONDITION_LABELS[k] }))

export function blankDraft(kind: SegmentConditionKind = 'recency'): ConditionDraft {
  return { kind, op: 'gte', source: 'manual', has: true, which: 'favourite', state: 'held', value: true, tag: '', number: '', windowDays: '90', list: '', storeIds: [] }
}

/** Which inputs a kind shows. */
export function fieldsOf(kind: SegmentConditionKind): { op: boolean; number: string; window: boolean; list: string } {
  switch (kind) {
    case 'recency':
      return { op: true, number: '天数', window: false, list: '' }
    case 'frequency':
      return { op: true, number: '次数', window: true, list: '' }
    case 'monetary':
      return { op: true, number: '金额（元）', window: true, list: '' }
    case 'aov':
      return { op: true, number: '客单价（元）', window: false, list: '' }
    case 'coupons':
      return { op: true, number: '张数', window: false, list: '' }
    case 'gamePlays':
      return { op: true, number: '次数', window: true, list: '' }
    case 'tier':
      return { op: false, number: '', window: false, list: '等级（如 1,2）' }
    case 'birthdayMonth':
      return { op: false, number: '', window: false, list: '月份（如 1,2,12）' }
    case 'touchpoint':
      return { op: false, number: '', window: false, list: '渠道（如 poster,table:7）' }
    default:
      return { op: false, number: '', window: false, list: '' }
  }
}

type Built = { ok: true; condition: SegmentCondition } | { ok: false; message: string }

const wholeNumber = (raw: string, label: string, min: number, max: number): { ok: true; n: number } | { ok: false; message: string } => {
  const s = raw.trim()
  if (!/^\d+$/.test(s)) return { ok: false, message: `请输入${label}（整数）` }
  const n = Number(s)
  if (n < min || n > max) return { ok: false, message: `${label}须在 ${min}–${max} 之间` }
  return { ok: true, n }
}

function numberList(raw: string, label: string, min: number, max: number): { ok: true; list: number[] } | { ok: false; message: string } {
  const parts = raw.split(/[,，、\s]+/).filter(Boolean)
  if (parts.length === 0) return { ok: false, message: `请输入${label}` }
  const list: number[] = []
  for (const p of parts) {
    const n = wholeNumber(p, label, min, max)
    if (!n.ok) return n
    if (!list.includes(n.n)) list.push(n.n)
  }
  return { ok: true, list }
}

/** The draft as a condition the server accepts, or what to fix (in Chinese). */
export function buildCondition(d: ConditionDraft): Built {
  const window = () => wholeNumber(d.windowDays, '统计天数', 1, SEGMENT_LIMITS.windowDaysMax)
  switch (d.kind) {
    case 'tag': {
      const tag = d.tag.trim()
      if (!tag) return { ok: false, message: '请输入标签' }
      return { ok: true, condition: { kind: 'tag', source: d.source, tag, has: d.has } }
    }
    case 'tier': {
      const l = numberList(d.list, '等级', 1, 20)
      return l.ok ? { ok: true, condition: { kind: 'tier', levels: l.list } } : l
    }
    case 'recency': {
      const n = wholeNumber(d.number, '天数', 0, SEGMENT_LIMITS.recencyDaysMax)
      return n.ok ? { ok: true, condition: { kind: 'recency', op: d.op, days: n.n } } : n
    }
    case 'frequency':
    case 'gamePlays': {
      const w = window()
      if (!w.ok) return w
      const n = wholeNumber(d.number, '次数', 0, 100_000)
      if (!n.ok) return n
      return { ok: true, condition: { kind: d.kind, windowDays: w.n, op: d.op, count: n.n } }
    }
    case 'monetary': {
      const w = window()
      if (!w.ok) return w
      const fen = parseYuanToFen(d.number)
      if (!fen.ok) return { ok: false, message: fen.message }
      return { ok: true, condition: { kind: 'monetary', windowDays: w.n, op: d.op, fen: fen.fen } }
    }
    case 'aov': {
      const fen = parseYuanToFen(d.number)
      if (!fen.ok) return { ok: false, message: fen.message }
      return { ok: true, condition: { kind: 'aov', op: d.op, fen: fen.fen } }
    }
    case 'store':
      if (d.storeIds.length === 0) return { ok: false, message: '请选择门店' }
      return { ok: true, condition: { kind: 'store', which: d.which, storeIds: [...d.storeIds] } }
    case 'touchpoint': {
      const list = d.list.split(/[,，、\s]+/).filter(Boolean)
      if (list.length === 0) return { ok: false, message: '请输入渠道' }
      if (!list.every((t) => /^[A-Za-z0-9_:.-]{1,64}$/.test(t))) return { ok: false, message: '渠道只能包含字母、数字和 _ : . -' }
      return { ok: true, condition: { kind: 'touchpoint', touchpoints: list } }
    }
    case 'referred':
      return { ok: true, condition: { kind: 'referred', value: d.value } }
    case 'birthdayMonth': {
      const l = numberList(d.list, '月份', 1, 12)
      return l.ok ? { ok: true, condition: { kind: 'birthdayMonth', months: l.list } } : l
    }
    case 'coupons': {
      const n = wholeNumber(d.number, '张数', 0, 100_000)
      return n.ok ? { ok: true, condition: { kind: 'coupons', state: d.state, op: d.op, count: n.n } } : n
    }
  }
}

/** Rows the editor lists: each item of the root group, described. */
export function rowsOf(root: SegmentGroup, names: { store: (id: string) => string; tier: (l: number) => string }): Array<{ index: number; text: string }> {
  return root.items.map((item, index) => ({ index, text: isGroup(item) ? `（${item.items.map((i) => (isGroup(i) ? '…' : describeCondition(i, names))).join(item.op === 'and' ? ' 且 ' : ' 或 ')}）` : describeCondition(item, names) }))
}

/** "2,345 人" with a note when the count is a lower bound (the scan ran out of time). */
export function countText(count: number, complete: boolean): string {
  return `${count.toLocaleString('en-US')} 人${complete ? '' : '以上（统计未完成）'}`
}
