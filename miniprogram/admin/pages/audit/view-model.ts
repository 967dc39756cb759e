import { formatTime } from '../../../lib/date-format'
import type { ActionOutput } from '../../../../cloudfunctions/shared/contract'

export type AuditPage = ActionOutput<'admin', 'audit.list'>
export type AuditLine = AuditPage['lines'][number]
export interface FilterOption {
  value: string
  label: string
}

export interface AuditLineView {
  id: string
  title: string
  summary: string
  meta: string
}

export function auditLineView(l: AuditLine): AuditLineView {
  return {
    id: l.id,
    title: l.actionLabel,
    summary: l.summary,
    meta: [formatTime(l.createdAt, 'YYYY-MM-DD HH:mm'), `${l.actorName}（${l.actorRoleName}）`, l.storeName].filter(Boolean).join(' · '),
  }
}

/** A filter as a picker shows it: 「全部」 first. */
export function pickerRange(options: FilterOption[], all: string): string[] {
  return [all, ...options.map((o) => o.label)]
}
