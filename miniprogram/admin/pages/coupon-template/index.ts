import { callCloud, CloudCallError } from '../../../lib/call-cloud'
import { datasetText } from '../../../lib/dataset'
import { definePage, exclusive } from '../../../lib/page'
import { getStaffSession, may } from '../../../lib/staff-session'
import { confirmDialog, instanceStore, toast } from '../../../lib/ui'
import { chinaDate } from '../../../shared/coupon-labels'
import type { AdminTemplateView } from '../../../shared/coupon-rules'
import { blankForm, createInputOf, formOf, statusActions, statusLine, TEXT_FIELDS, TYPE_OPTIONS, updateInputOf, type TemplateForm, type TextField } from './view-model'

type Link = { scene: string; sharePath: string; shareTitle: string; qrDataUrl: string }

const local = instanceStore(() => ({ templateId: '' }))
const DAY_MS = 86_400_000

/**
 * One coupon template: created as a draft (HQ for all or some stores, a manager for their
 * store), edited in full while nobody has claimed, afterwards only its stock (growing), rules
 * text and state; started, paused, resumed, ended; and its campaign link (QR code and share card).
 */
definePage({
  data: {
    template: null as AdminTemplateView | null,
    form: null as TemplateForm | null,
    locked: false,
    statusText: '',
    actions: [] as ReturnType<typeof statusActions>,
    issuers: [] as { id: string; name: string }[],
    storeOptions: [] as { id: string; name: string; on: boolean }[],
    typeOptions: TYPE_OPTIONS,
    link: null as Link | null,
    saving: false,
    busy: false,
  },
  onQuery(query) {
    local(this).templateId = (query.id ?? '').slice(0, 64)
  },
  methods: {
    setForm(form: TemplateForm) {
      const stores = this.data.storeOptions.map((s) => ({ ...s, on: form.usableStoreIds.includes(s.id) }))
      this.setData({ form, storeOptions: stores })
    },
    showTemplate(t: AdminTemplateView) {
      void wx.setNavigationBarTitle?.({ title: t.title })
      this.setData({ template: t, locked: t.editable === 'limited' || t.status === 'ended', statusText: statusLine(t), actions: statusActions(t) })
      this.setForm(formOf(t))
    },
    onField(e: WechatMiniprogram.Input) {
      const field = datasetText(e, 'field') as TextField
      const form = this.data.form
      if (!form || !(TEXT_FIELDS as readonly string[]).includes(field)) return
      this.setData({ form: { ...form, [field]: e.detail.value } })
    },
    onIssuer(e: WechatMiniprogram.TouchEvent) {
      const form = this.data.form
      if (form) this.setForm({ ...form, issuer: datasetText(e, 'id') })
    },
    onType(e: WechatMiniprogram.TouchEvent) {
      const form = this.data.form
      const type = TYPE_OPTIONS.find((o) => o.value === datasetText(e, 'value'))?.value
      if (form && type && !this.data.locked) this.setForm({ ...form, type })
    },
    onValidityKind(e: WechatMiniprogram.TouchEvent) {
      const form = this.data.form
      const kind = datasetText(e, 'kind')
      if (form && !this.data.locked && (kind === 'fixed' || kind === 'relative')) this.setForm({ ...form, validityKind: kind })
    },
    onAudience(e: WechatMiniprogram.TouchEvent) {
      const form = this.data.form
      const kind = datasetText(e, 'kind')
      if (form && !this.data.locked && (kind === 'everyone' || kind === 'tiers' || kind === 'tags')) this.setForm({ ...form, audienceKind: kind, audienceList: '' })
    },
    onToggle(e: WechatMiniprogram.TouchEvent) {
      const form = this.data.form
      const flag = datasetText(e, 'flag')
      if (!form || this.data.locked || (flag !== 'forwardable' && flag !== 'stackable' && flag !== 'allStores')) return
      this.setForm({ ...form, [flag]: !form[flag] })
    },
    onUsableStore(e: WechatMiniprogram.TouchEvent) {
      const form = this.data.form
      const id = datasetText(e, 'id')
      if (!form || this.data.locked || !id) return
      const ids = form.usableStoreIds.includes(id) ? form.usableStoreIds.filter((x) => x !== id) : [...form.usableStoreIds, id]
      this.setForm({ ...form, usableStoreIds: ids })
    },

    async onSave() {
      const form = this.data.form
      if (!form) return
      const t = this.data.template
      if (t) {
        const update = updateInputOf(t.id, form, t.editable)
        if (!update.ok) return toast(update.message)
        await exclusive(this, 'saving', async () => {
          this.showTemplate((await callCloud('admin', 'couponTemplates.update', update.value)).template)
          toast('已保存')
        })
        return
      }
      const create = createInputOf(form)
      if (!create.ok) return toast(create.message)
      await exclusive(this, 'saving', async () => {
        const { template } = await callCloud('admin', 'couponTemplates.create', create.value)
        local(this).templateId = template.id
        this.showTemplate(template)
        toast('已创建草稿，确认后点「开始发放」')
      })
    },
    async onStatus(e: WechatMiniprogram.TouchEvent) {
      const t = this.data.template
      const to = datasetText(e, 'to')
      if (!t || (to !== 'active' && to !== 'paused' && to !== 'ended')) return
      if (to === 'ended' && !(await confirmDialog('结束活动', '结束后不能再领取，也不能重新开始；已领取的券仍可在有效期内使用。', '结束'))) return
      await exclusive(this, 'busy', async () => {
        const res = await callCloud('admin', 'couponTemplates.setStatus', { templateId: t.id, to })
        this.showTemplate(res.template)
        toast(to === 'active' ? '已开始发放' : to === 'paused' ? '已暂停' : '已结束')
      })
    },
    async onLink() {
      const t = this.data.template
      if (!t) return
      await exclusive(this, 'busy', async () => {
        const res = await callCloud('admin', 'couponTemplates.link', { templateId: t.id })
        this.setData({ link: { scene: res.scene, sharePath: res.sharePath, shareTitle: res.shareTitle, qrDataUrl: res.qrDataUrl } })
      })
    },
    onShareAppMessage() {
      const link = this.data.link
      if (link) return { title: link.shareTitle, path: `/${link.sharePath.replace(/^\//, '')}` }
      return { title: '领券中心', path: '/coupons/pages/center/index' }
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff || !staff.capabilities.coupons.templates) return { viewState: 'empty' }
    const caps = staff.capabilities
    const storeOptions = staff.stores.map((s) => ({ id: s.id, name: s.name, on: false }))
    const issuers = [...(caps.coupons.createForAllStores ? [{ id: '', name: '总部（全部门店）' }] : []), ...staff.stores.filter((s) => may(caps, 'couponTemplates.create', s.id)).map((s) => ({ id: s.id, name: s.name }))]
    this.setData({ storeOptions, issuers })
    const id = local(this).templateId
    if (id) {
      const { template } = await callCloud('admin', 'couponTemplates.get', { templateId: id })
      this.showTemplate(template)
      return {}
    }
    if (!issuers.length) throw new CloudCallError('FORBIDDEN', '您的角色不能创建优惠券')
    const now = new Date()
    this.setForm(blankForm(issuers[0].id, chinaDate(now), chinaDate(new Date(now.getTime() + 30 * DAY_MS))))
    return {}
  },
})
