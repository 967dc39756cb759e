import { callCloud } from '../../../lib/call-cloud'
import { datasetText } from '../../../lib/dataset'
import { definePage, exclusive } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { instanceStore, toast } from '../../../lib/ui'
import { CAMPAIGN_LIMITS, type RfmPreset } from '../../../shared/segment-rules'

type Audience = { segmentId: string } | { preset: RfmPreset }
type DryRow = { memberNo: string; name: string; phone: string; fateText: string; noticeText: string }

const local = instanceStore(() => ({ audience: null as Audience | null }))
const PRESETS: readonly string[] = ['valuable', 'winBack', 'keepFrequent', 'sleeping']

/** 'YYYY-MM-DD' + 'HH:mm' in China time → ISO; '' when not a real time. */
export function chinaTimeToIso(day: string, time: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^\d{2}:\d{2}$/.test(time)) return ''
  const d = new Date(`${day}T${time}:00+08:00`)
  return Number.isNaN(d.getTime()) ? '' : d.toISOString()
}

/**
 * 定向发券: a coupon (active, with stock) to the chosen segment, at once or at a time, with an
 * optional notice to members who subscribed, and a hold-out share that gets nothing (to measure
 * the effect). 试算 shows who would get what before anything is sent.
 */
definePage({
  data: {
    segmentName: '',
    templates: [] as Array<{ id: string; title: string; line: string }>,
    templateIndex: 0,
    name: '',
    holdout: '10',
    notify: true,
    scheduled: false,
    day: '',
    time: '10:00',
    dry: null as null | { audience: number; holdout: number; wouldIssue: number; noStock: number; sample: DryRow[]; complete: boolean },
    running: false,
    creating: false,
  },
  onQuery(query) {
    const preset = query.preset ?? ''
    local(this).audience = query.segmentId ? { segmentId: query.segmentId.slice(0, 40) } : PRESETS.includes(preset) ? { preset: preset as RfmPreset } : null
  },
  methods: {
    onName(e: WechatMiniprogram.Input) {
      this.setData({ name: e.detail.value })
    },
    onHoldout(e: WechatMiniprogram.Input) {
      this.setData({ holdout: e.detail.value, dry: null })
    },
    onTemplate(e: WechatMiniprogram.PickerChange) {
      this.setData({ templateIndex: Number(e.detail.value), dry: null })
    },
    onToggle(e: WechatMiniprogram.TouchEvent) {
      const flag = datasetText(e, 'flag')
      if (flag === 'notify') this.setData({ notify: !this.data.notify, dry: null })
      if (flag === 'scheduled') this.setData({ scheduled: !this.data.scheduled })
    },
    onDay(e: WechatMiniprogram.PickerChange) {
      this.setData({ day: String(e.detail.value) })
    },
    onTime(e: WechatMiniprogram.PickerChange) {
      this.setData({ time: String(e.detail.value) })
    },
    holdoutPercent(): number | null {
      const s = this.data.holdout.trim() || '0'
      if (!/^\d+$/.test(s) || Number(s) > CAMPAIGN_LIMITS.holdoutMaxPercent) return null
      return Number(s)
    },
    async onDryRun() {
      const audience = local(this).audience
      const template = this.data.templates[this.data.templateIndex]
      const holdoutPercent = this.holdoutPercent()
      if (!audience || !template) return toast('请选择人群和优惠券')
      if (holdoutPercent === null) return toast(`对照组比例须为 0–${CAMPAIGN_LIMITS.holdoutMaxPercent} 的整数`)
      await exclusive(this, 'running', async () => {
        const res = await callCloud('admin', 'campaigns.dryRun', { ...audience, templateId: template.id, holdoutPercent, notify: this.data.notify })
        this.setData({
          dry: {
            audience: res.audience,
            holdout: res.holdout,
            wouldIssue: res.wouldIssue,
            noStock: res.noStock,
            complete: res.complete,
            sample: res.sample.map((s) => ({ memberNo: s.memberNo, name: s.name, phone: s.phone, fateText: s.fate === 'holdout' ? '对照组' : '发券', noticeText: s.fate === 'holdout' || !this.data.notify ? '' : s.notice ? '会收到通知' : '未订阅通知' })),
          },
        })
      })
    },
    async onCreate() {
      const audience = local(this).audience
      const template = this.data.templates[this.data.templateIndex]
      const holdoutPercent = this.holdoutPercent()
      if (!audience || !template) return toast('请选择人群和优惠券')
      if (!this.data.name.trim()) return toast('请输入活动名称')
      if (holdoutPercent === null) return toast(`对照组比例须为 0–${CAMPAIGN_LIMITS.holdoutMaxPercent} 的整数`)
      const startAt = this.data.scheduled ? chinaTimeToIso(this.data.day, this.data.time) : ''
      if (this.data.scheduled && !startAt) return toast('请选择开始时间')
      await exclusive(this, 'creating', async () => {
        const { campaign } = await callCloud('admin', 'campaigns.create', { ...audience, name: this.data.name.trim(), templateId: template.id, holdoutPercent, notify: this.data.notify, ...(startAt ? { startAt } : {}) })
        void wx.redirectTo({ url: `/admin/pages/campaign/index?id=${encodeURIComponent(campaign.id)}` })
      })
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    const audience = local(this).audience
    if (!staff || staff.capabilities.actions['campaigns.create'] === false || !audience) return { viewState: 'empty' }
    const [list, templates] = await Promise.all([callCloud('admin', 'segments.list', {}), callCloud('admin', 'couponTemplates.list', { status: 'active' })])
    const segmentName = 'segmentId' in audience ? (list.segments.find((s) => s.id === audience.segmentId)?.name ?? '') : (list.presets.find((p) => p.preset === audience.preset)?.name ?? '')
    const usable = templates.templates.filter((t) => t.remaining > 0).map((t) => ({ id: t.id, title: t.title, line: `${t.title} · ${t.valueLabel} · 剩余 ${t.remaining} 张` }))
    const today = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10)
    return { segmentName, templates: usable, name: segmentName ? `${segmentName}专享` : '', day: today, viewState: usable.length && segmentName ? 'ready' : 'empty' }
  },
})

