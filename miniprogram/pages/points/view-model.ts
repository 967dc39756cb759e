import { formatTime } from '../../lib/date-format'
import type { ActionOutput } from '../../../cloudfunctions/shared/contract'

export type PointsItem = ActionOutput<'member', 'pointsHistory'>['items'][number]

export interface PointsRow {
  id: string
  title: string
  deltaText: string
  positive: boolean
  timeText: string
}

export function pointsRow(item: PointsItem): PointsRow {
  return {
    id: item.id,
    title: item.title,
    deltaText: item.delta > 0 ? `+${item.delta}` : String(item.delta),
    positive: item.delta > 0,
    timeText: formatTime(item.createdAt, 'YYYY-MM-DD HH:mm'),
  }
}

/** Appends a page, dropping rows already shown (a new line may shift the pages). */
export function appendRows(existing: readonly PointsRow[], items: readonly PointsItem[]): PointsRow[] {
  const seen = new Set(existing.map((r) => r.id))
  return [...existing, ...items.filter((i) => !seen.has(i.id)).map(pointsRow)]
}
