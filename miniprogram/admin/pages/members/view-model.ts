import { formatTime } from '../../../lib/date-format'
import { formatYuan } from '../../../lib/money'

export interface MemberSummary {
  memberNo: string
  tierName: string
  points: number
  phone: string
  totalSpentFen: number
  visitCount: number
  lastVisitAt: string | null
  tags: string[]
  favouriteStoreName: string
}

export interface MemberSummaryView {
  memberNo: string
  tierName: string
  pointsText: string
  phoneText: string
  spendText: string
  visitsText: string
  lastVisitText: string
  favouriteText: string
  tags: string[]
}

export function memberSummaryView(m: MemberSummary): MemberSummaryView {
  return {
    memberNo: m.memberNo,
    tierName: m.tierName,
    pointsText: `${m.points} 积分`,
    phoneText: m.phone || '未绑定手机号',
    spendText: formatYuan(m.totalSpentFen),
    visitsText: `${m.visitCount} 次`,
    lastVisitText: m.lastVisitAt ? formatTime(m.lastVisitAt, 'YYYY-MM-DD HH:mm') : '暂无',
    favouriteText: m.favouriteStoreName || '—',
    tags: m.tags,
  }
}
