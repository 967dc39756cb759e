import { callCloud } from '../../../lib/call-cloud'
import { definePage } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { instanceStore } from '../../../lib/ui'
import { formatYuan } from '../../../shared/money'
import { CAMPAIGN_LIMITS } from '../../../shared/segment-rules'

const local = instanceStore(() => ({ id: '' }))

const day = (iso: string | null) => (iso ? new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 10) : '')

/**
 * A campaign's effect: coupons issued and used, and sales in the 14 days after the start by the
 * members who got the coupon against the hold-out who got nothing (per member, so shares of
 * different sizes compare).
 */
definePage({
  data: {
    name: '',
    issued: 0,
    notified: 0,
    usedText: '',
    windowText: '',
    treatedText: '',
    holdoutText: '',
    liftText: '',
    hasHoldout: false,
  },
  onQuery(query) {
    local(this).id = (query.id ?? '').slice(0, 40)
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    const id = local(this).id
    if (!staff || !staff.capabilities.entries.segments || !id) return { viewState: 'empty' }
    const { campaign, results: r } = await callCloud('admin', 'campaigns.results', { campaignId: id })
    const lift = r.liftPerMemberFen
    return {
      name: campaign.name,
      issued: r.issued,
      notified: r.notified,
      usedText: r.usedRatePercent === null ? '未发券' : `${r.used} 张（${r.usedRatePercent}%）`,
      windowText: r.windowFrom ? `${day(r.windowFrom)} 至 ${day(r.windowTo)}（开始后 ${CAMPAIGN_LIMITS.attributionDays} 天内）` : '活动尚未开始',
      treatedText: `${r.treated.members} 人，${r.treated.buyers} 人消费，合计 ${formatYuan(r.treated.salesFen)}，人均 ${formatYuan(r.treated.perMemberFen)}`,
      holdoutText: `${r.holdout.members} 人，${r.holdout.buyers} 人消费，合计 ${formatYuan(r.holdout.salesFen)}，人均 ${formatYuan(r.holdout.perMemberFen)}`,
      liftText: lift === null ? '未设对照组，无法比较' : `${lift >= 0 ? '多' : '少'} ${formatYuan(Math.abs(lift))} / 人`,
      hasHoldout: lift !== null,
    }
  },
})
