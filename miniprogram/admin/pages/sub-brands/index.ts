import { callCloud } from '../../../lib/call-cloud'
import { definePage, exclusive } from '../../../lib/page'
import { getStaffSession, may } from '../../../lib/staff-session'
import { toast } from '../../../lib/ui'
import { assignTargets, colourProblem, storesOf, subBrandView, type AssignTarget, type StoreView, type SubBrandView } from './view-model'

/**
 * 子品牌与区域: the chain's tree (sub-brands, their regions and stores) as far as the caller
 * sees it. Owner and HQ create sub-brands and regions and assign stores; a sub-brand's operator
 * edits its card look (what members who joined there see on their card).
 */
definePage({
  data: {
    subBrands: [] as SubBrandView[],
    stores: [] as StoreView[],
    targets: [] as AssignTarget[],
    targetLabels: [] as string[],
    canEditTree: false,
    newSubBrand: '',
    newRegion: '',
    editing: null as null | { id: string; name: string; brandName: string; background: string; textColor: string },
    saving: false,
  },
  methods: {
    onNewSubBrand(e: WechatMiniprogram.Input) {
      this.setData({ newSubBrand: e.detail.value })
    },
    onNewRegion(e: WechatMiniprogram.Input) {
      this.setData({ newRegion: e.detail.value })
    },
    async onCreateSubBrand() {
      const name = this.data.newSubBrand.trim()
      if (!name) return toast('请输入子品牌名称')
      await exclusive(this, 'saving', async () => {
        await callCloud('admin', 'subBrands.create', { name })
        toast('已新建子品牌')
        this.setData({ newSubBrand: '' })
        await this.reload({ quiet: true })
      })
    },
    async onCreateRegion(e: WechatMiniprogram.TouchEvent) {
      const subBrandId = String(e.currentTarget.dataset.id ?? '')
      const name = this.data.newRegion.trim()
      if (!name) return toast('请输入区域名称')
      await exclusive(this, 'saving', async () => {
        await callCloud('admin', 'regions.create', { subBrandId, name })
        toast('已新建区域')
        this.setData({ newRegion: '' })
        await this.reload({ quiet: true })
      })
    },
    onEditLook(e: WechatMiniprogram.TouchEvent) {
      const b = this.data.subBrands.find((x) => x.id === e.currentTarget.dataset.id)
      if (!b) return
      this.setData({ editing: { id: b.id, name: b.name, brandName: b.ownLook ? b.cardName : '', background: b.background, textColor: b.textColor }, newRegion: '' })
    },
    onCancelEdit() {
      this.setData({ editing: null })
    },
    onLookField(e: WechatMiniprogram.Input) {
      const editing = this.data.editing
      const field = e.currentTarget.dataset.field as 'brandName' | 'background' | 'textColor'
      if (editing) this.setData({ editing: { ...editing, [field]: e.detail.value } })
    },
    async onSaveLook() {
      const editing = this.data.editing
      if (!editing) return
      const problem = colourProblem(editing.background) ?? colourProblem(editing.textColor)
      if (problem) return toast(problem)
      await exclusive(this, 'saving', async () => {
        await callCloud('admin', 'subBrands.update', {
          subBrandId: editing.id,
          brandName: editing.brandName.trim(),
          card: { background: editing.background, textColor: editing.textColor },
        })
        toast('已保存')
        this.setData({ editing: null })
        await this.reload({ quiet: true })
      })
    },
    async onAssign(e: WechatMiniprogram.PickerChange) {
      const storeId = String(e.currentTarget.dataset.id ?? '')
      const target = this.data.targets[Number(e.detail.value)]
      if (!storeId || !target) return
      await exclusive(this, 'saving', async () => {
        await callCloud('admin', 'stores.assign', { storeId, subBrandId: target.subBrandId, regionId: target.regionId })
        toast('已划归')
        await this.reload({ quiet: true })
      })
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff) return { viewState: 'empty' }
    const [tree, settings] = await Promise.all([callCloud('admin', 'subBrands.list', {}), callCloud('admin', 'settings.get', {})])
    const group = { brandName: settings.settings.brandName, background: settings.settings.card.background, textColor: settings.settings.card.textColor }
    const canEditTree = may(staff.capabilities, 'stores.assign')
    const targets = assignTargets(tree)
    return {
      subBrands: tree.subBrands.map((b) => subBrandView(b, group)),
      stores: canEditTree ? storesOf(tree) : [],
      targets,
      targetLabels: targets.map((t) => t.label),
      canEditTree,
      editing: null,
    }
  },
})
