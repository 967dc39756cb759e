import { callCloud } from '../../../lib/call-cloud'
import { datasetText } from '../../../lib/dataset'
import { definePage, exclusive } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { instanceStore, toast, toastError } from '../../../lib/ui'
import { SEGMENT_LIMITS, type SegmentConditionKind, type SegmentGroup } from '../../../shared/segment-rules'
import { blankDraft, buildCondition, countText, fieldsOf, KIND_OPTIONS, rowsOf, type ConditionDraft } from './view-model'

type SampleRow = { memberNo: string; name: string; phone: string; lastVisitAt: string | null; totalSpentFen: number }

const local = instanceStore(() => ({ segmentId: '', preset: '', previewSeq: 0, timer: null as ReturnType<typeof setTimeout> | null, storeNames: new Map<string, string>(), tierNames: new Map<number, string>() }))
/** Live count: asked again this long after the last change. */
const PREVIEW_DELAY_MS = 400

/**
 * 人群编辑: a name, 全部满足 / 满足任一, the conditions, and under them the live audience size
 * and a masked sample, counted by the server (segments.preview) after each change.
 */
definePage({
  data: {
    name: '',
    root: { op: 'and', items: [] } as SegmentGroup,
    rows: [] as Array<{ index: number; text: string }>,
    draft: blankDraft(),
    fields: fieldsOf('recency'),
    kindOptions: KIND_OPTIONS,
    kindIndex: KIND_OPTIONS.findIndex((k) => k.value === 'recency'),
    stores: [] as Array<{ id: string; name: string; on: boolean }>,
    count: '',
    counting: false,
    sample: [] as SampleRow[],
    costText: '',
    readOnly: false,
    saving: false,
    canCampaign: false,
  },
  onQuery(query) {
    local(this).segmentId = (query.id ?? '').slice(0, 40)
    local(this).preset = (query.preset ?? '').slice(0, 20)
  },
  methods: {
    show(root: SegmentGroup) {
      const l = local(this)
      const names = { store: (id: string) => l.storeNames.get(id) ?? '其他门店', tier: (t: number) => l.tierNames.get(t) ?? `等级 ${t}` }
      this.setData({ root, rows: rowsOf(root, names) })
      this.schedulePreview()
    },
    schedulePreview() {
      const l = local(this)
      if (l.timer) clearTimeout(l.timer)
      l.timer = setTimeout(() => void this.preview(), PREVIEW_DELAY_MS)
    },
    async preview() {
      const l = local(this)
      const seq = (l.previewSeq += 1)
      const root = this.data.root
      if (root.items.length === 0) return this.setData({ count: '', sample: [], costText: '添加条件后显示人数' })
      this.setData({ counting: true })
      try {
        const res = l.preset && this.data.readOnly ? await callCloud('admin', 'segments.preview', { preset: l.preset as 'valuable' }) : await callCloud('admin', 'segments.preview', { root })
        if (seq !== l.previewSeq) return
        this.setData({
          count: countText(res.count, res.cost.complete),
          sample: res.sample.map((s) => ({ memberNo: s.memberNo, name: s.name, phone: s.phone, lastVisitAt: s.lastVisitAt ? s.lastVisitAt.slice(0, 10) : '未消费', totalSpentFen: s.totalSpentFen })),
          costText: res.cost.exact ? '按会员字段直接统计' : `逐批统计 ${res.cost.scanned} 位会员，读取 ${res.cost.reads} 次`,
        })
      } catch (e) {
        if (seq === l.previewSeq) toastError(e)
      } finally {
        if (seq === l.previewSeq) this.setData({ counting: false })
      }
    },
    onName(e: WechatMiniprogram.Input) {
      this.setData({ name: e.detail.value })
    },
    onOp(e: WechatMiniprogram.TouchEvent) {
      const op = datasetText(e, 'op')
      if (this.data.readOnly || (op !== 'and' && op !== 'or')) return
      this.show({ ...this.data.root, op })
    },
    onKind(e: WechatMiniprogram.PickerChange) {
      const option = KIND_OPTIONS[Number(e.detail.value)]
      if (!option) return
      const kind: SegmentConditionKind = option.value
      this.setData({ kindIndex: Number(e.detail.value), draft: blankDraft(kind), fields: fieldsOf(kind), stores: this.data.stores.map((s) => ({ ...s, on: false })) })
    },
    onDraftField(e: WechatMiniprogram.Input) {
      const field = datasetText(e, 'field')
      if (field !== 'number' && field !== 'windowDays' && field !== 'list' && field !== 'tag') return
      this.setData({ draft: { ...this.data.draft, [field]: e.detail.value } })
    },
    onDraftChoice(e: WechatMiniprogram.TouchEvent) {
      const field = datasetText(e, 'field')
      const value = datasetText(e, 'value')
      const d: ConditionDraft = { ...this.data.draft }
      if (field === 'op' && (value === 'gte' || value === 'lte')) d.op = value
      else if (field === 'source' && (value === 'auto' || value === 'manual')) d.source = value
      else if (field === 'which' && (value === 'first' || value === 'favourite')) d.which = value
      else if (field === 'state' && (value === 'held' || value === 'used')) d.state = value
      else if (field === 'has') d.has = value === 'true'
      else if (field === 'value') d.value = value === 'true'
      else return
      this.setData({ draft: d })
    },
    onStore(e: WechatMiniprogram.TouchEvent) {
      const id = datasetText(e, 'id')
      const stores = this.data.stores.map((s) => (s.id === id ? { ...s, on: !s.on } : s))
      this.setData({ stores, draft: { ...this.data.draft, storeIds: stores.filter((s) => s.on).map((s) => s.id) } })
    },
    onAdd() {
      if (this.data.readOnly) return
      if (this.data.root.items.length >= SEGMENT_LIMITS.itemsMax) return toast(`最多 ${SEGMENT_LIMITS.itemsMax} 个条件`)
      const built = buildCondition(this.data.draft)
      if (!built.ok) return toast(built.message)
      this.show({ ...this.data.root, items: [...this.data.root.items, built.condition] })
      this.setData({ draft: blankDraft(this.data.draft.kind), stores: this.data.stores.map((s) => ({ ...s, on: false })) })
    },
    onRemove(e: WechatMiniprogram.TouchEvent) {
      if (this.data.readOnly) return
      const index = Number(datasetText(e, 'index'))
      this.show({ ...this.data.root, items: this.data.root.items.filter((_, i) => i !== index) })
    },
    async onSave() {
      if (this.data.readOnly) return
      if (!this.data.name.trim()) return toast('请输入人群名称')
      if (this.data.root.items.length === 0) return toast('请至少添加一个条件')
      await exclusive(this, 'saving', async () => {
        const l = local(this)
        const res = await callCloud('admin', 'segments.save', { ...(l.segmentId ? { segmentId: l.segmentId } : {}), name: this.data.name.trim(), root: this.data.root })
        l.segmentId = res.segment.id
        toast('已保存')
      })
    },
    onCampaign() {
      const l = local(this)
      const q = l.segmentId ? `segmentId=${encodeURIComponent(l.segmentId)}` : l.preset ? `preset=${encodeURIComponent(l.preset)}` : ''
      if (!q) return toast('请先保存人群')
      void wx.navigateTo({ url: `/admin/pages/campaign-create/index?${q}` })
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff || !staff.capabilities.entries.segments) return { viewState: 'empty' }
    const l = local(this)
    const [settings, storeList] = await Promise.all([callCloud('admin', 'settings.get', {}), callCloud('admin', 'stores.list', {})])
    l.tierNames = new Map(settings.settings.tiers.map((t) => [t.level, t.name]))
    l.storeNames = new Map(storeList.stores.map((s) => [s.id, s.name]))
    const stores = storeList.stores.map((s) => ({ id: s.id, name: s.name, on: false }))
    const canCampaign = staff.capabilities.actions['campaigns.create'] !== false
    if (l.segmentId) {
      const { segment } = await callCloud('admin', 'segments.get', { segmentId: l.segmentId })
      this.setData({ stores })
      this.show(segment.root)
      return { name: segment.name, canCampaign }
    }
    if (l.preset) {
      const list = await callCloud('admin', 'segments.list', {})
      const preset = list.presets.find((p) => p.preset === l.preset)
      if (!preset) return { viewState: 'empty' }
      this.setData({ stores, readOnly: true })
      this.show(preset.root)
      return { name: preset.name, canCampaign }
    }
    this.setData({ stores })
    this.show({ op: 'and', items: [] })
    return { canCampaign }
  },
})
