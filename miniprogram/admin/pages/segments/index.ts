import { callCloud } from '../../../lib/call-cloud'
import { datasetText } from '../../../lib/dataset'
import { definePage } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { CAMPAIGN_STATUS_LABELS, describeCondition, isGroup, type SegmentGroup } from '../../../shared/segment-rules'

interface Row {
  key: string
  name: string
  line: string
}

/** One line under a segment's name: its first conditions, joined as the group joins them. */
function summary(root: SegmentGroup): string {
  const parts = root.items.slice(0, 3).map((i) => (isGroup(i) ? '（条件组）' : describeCondition(i)))
  return parts.join(root.op === 'and' ? '，且 ' : '，或 ') + (root.items.length > 3 ? ' …' : '')
}

/** 人群与定向发券: ready-made RFM segments, saved segments, and the campaigns sent to them. */
definePage({
  data: { presets: [] as Row[], segments: [] as Row[], campaigns: [] as Row[], canCreate: false },
  refreshOnShow: true,
  methods: {
    onSegment(e: WechatMiniprogram.TouchEvent) {
      const key = datasetText(e, 'key')
      if (key) void wx.navigateTo({ url: `/admin/pages/segment/index?${key}` })
    },
    onNew() {
      void wx.navigateTo({ url: '/admin/pages/segment/index' })
    },
    onCampaign(e: WechatMiniprogram.TouchEvent) {
      const id = datasetText(e, 'key')
      if (id) void wx.navigateTo({ url: `/admin/pages/campaign/index?id=${encodeURIComponent(id)}` })
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff || !staff.capabilities.entries.segments) return { viewState: 'empty' }
    const [list, campaigns] = await Promise.all([callCloud('admin', 'segments.list', {}), callCloud('admin', 'campaigns.list', {})])
    return {
      presets: list.presets.map((p) => ({ key: `preset=${p.preset}`, name: p.name, line: summary(p.root) })),
      segments: list.segments.map((s) => ({ key: `id=${encodeURIComponent(s.id)}`, name: s.name, line: summary(s.root) })),
      campaigns: campaigns.campaigns.map((c) => ({ key: c.id, name: c.name, line: `${CAMPAIGN_STATUS_LABELS[c.status]} · ${c.segmentName} · ${c.templateTitle}` })),
      canCreate: staff.capabilities.actions['segments.save'] !== false,
    }
  },
})
