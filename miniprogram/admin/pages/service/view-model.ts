import { CARD_PAGE_LABELS, REPLY_KIND_LABELS, SERVICE_LIMITS, type CardPageName, type ReplyKindName } from '../../../shared/service-reply-rules'

/** One auto-reply as admin.service.get answers and admin.service.update takes it. */
export interface Reply {
  keywords: string[]
  kind: ReplyKindName
  text: string
  page?: CardPageName
}

export interface ReplyView {
  index: number
  keywordsText: string
  kindLabel: string
  text: string
}

export const KIND_OPTIONS = (Object.keys(REPLY_KIND_LABELS) as ReplyKindName[]).map((value) => ({ value, label: REPLY_KIND_LABELS[value] }))
export const PAGE_OPTIONS = (Object.keys(CARD_PAGE_LABELS) as CardPageName[]).map((value) => ({ value, label: CARD_PAGE_LABELS[value] }))

/** Characters as a person counts them (the server's textField counts the same way for these). */
const chars = (s: string): number => [...s].length

export function replyViews(replies: readonly Reply[]): ReplyView[] {
  return replies.map((r, index) => ({
    index,
    keywordsText: r.keywords.join('、'),
    kindLabel: r.kind === 'card' && r.page ? `${REPLY_KIND_LABELS.card} · 打开「${CARD_PAGE_LABELS[r.page]}」` : REPLY_KIND_LABELS[r.kind],
    text: r.text,
  }))
}

/** Keywords typed in one box: separated by commas, 、 or spaces; blanks and repeats dropped. */
export function parseKeywords(input: string): string[] {
  const out: string[] = []
  for (const k of input.normalize('NFC').split(/[,，、;；\s]+/)) {
    const w = k.trim()
    if (w && !out.some((o) => o.toLowerCase() === w.toLowerCase())) out.push(w)
  }
  return out
}

export interface Draft {
  keywordsText: string
  kind: ReplyKindName
  text: string
  page: CardPageName | ''
}

export const EMPTY_DRAFT: Draft = { keywordsText: '', kind: 'text', text: '', page: '' }

export function draftOf(r: Reply): Draft {
  return { keywordsText: r.keywords.join('、'), kind: r.kind, text: r.text, page: r.page ?? '' }
}

/**
 * The reply a draft makes, or the first problem in plain Chinese (checked before asking the
 * server, which checks again). `editing` is the index being edited (null: a new reply), so a
 * keyword may stay in its own reply but not repeat another's.
 */
export function replyFromDraft(d: Draft, all: readonly Reply[], editing: number | null): { reply: Reply } | { problem: string } {
  if (editing === null && all.length >= SERVICE_LIMITS.replies) return { problem: `最多 ${SERVICE_LIMITS.replies} 条自动回复` }
  const keywords = parseKeywords(d.keywordsText)
  if (keywords.length === 0) return { problem: '请至少填写一个关键词' }
  if (keywords.length > SERVICE_LIMITS.keywords) return { problem: `每条回复最多 ${SERVICE_LIMITS.keywords} 个关键词` }
  const long = keywords.find((k) => chars(k) > SERVICE_LIMITS.keywordChars)
  if (long) return { problem: `关键词「${long}」超过 ${SERVICE_LIMITS.keywordChars} 个字` }
  for (const [i, other] of all.entries()) {
    if (i === editing) continue
    const clash = keywords.find((k) => other.keywords.some((o) => o.toLowerCase() === k.toLowerCase()))
    if (clash) return { problem: `关键词「${clash}」已在第 ${i + 1} 条回复中使用` }
  }
  const text = d.text.trim()
  if (!text) return { problem: d.kind === 'card' ? '请填写卡片标题' : '请填写回复内容' }
  if (chars(text) > SERVICE_LIMITS.textChars) return { problem: `回复内容最多 ${SERVICE_LIMITS.textChars} 字` }
  if (d.kind === 'card' && !d.page) return { problem: '请选择卡片打开的页面' }
  return { reply: { keywords, kind: d.kind, text, ...(d.kind === 'card' && d.page ? { page: d.page } : {}) } }
}

export function greetingProblem(greeting: string): string | null {
  return chars(greeting.trim()) > SERVICE_LIMITS.greetingChars ? `欢迎语最多 ${SERVICE_LIMITS.greetingChars} 字` : null
}

/** What the text box is for, by kind. */
export const TEXT_HINTS: Record<ReplyKindName, string> = {
  text: '回复内容',
  hours: '门店列表前的一句话，如「各门店营业时间：」',
  address: '门店列表前的一句话，如「门店地址：」',
  card: '卡片标题',
}
