import { formatTime } from '../../../lib/date-format'
import { callCloud } from '../../../lib/call-cloud'
import { definePage, exclusive } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { ROLE_NAMES, roleNeedsStore, scopeKindOf, type StaffRole } from '../../../shared/staff-roles'
import { toast, toastError } from '../../../lib/ui'

definePage({
  data: {
    roles: [] as { value: StaffRole; label: string }[],
    role: '' as StaffRole | '',
    stores: [] as { id: string; name: string }[],
    storeId: '',
    needsStore: false,
    // Chain (issue 17): a sub-brand operator's invite names a sub-brand, a region manager's a region.
    units: { subBrand: [] as { id: string; name: string }[], region: [] as { id: string; name: string }[] },
    unitKind: '' as '' | 'subBrand' | 'region',
    unitId: '',
    seesAllStores: false,
    generating: false,
    invite: null as null | { code: string; roleName: string; storeName: string; expiresText: string },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    const roles = staff?.capabilities.invitableRoles ?? []
    if (!staff || !roles.length) return { viewState: 'empty' }
    const role = roles[roles.length - 1]
    const stores = staff.stores.map((s) => ({ id: s.id, name: s.name }))
    return {
      seesAllStores: staff.capabilities.seesAllStores,
      unitKind: '' as const,
      unitId: '',
      roles: roles.map((r) => ({ value: r, label: ROLE_NAMES[r] })),
      role,
      needsStore: roleNeedsStore(role),
      stores,
      storeId: stores.length === 1 ? stores[0].id : '',
    }
  },
  methods: {
    onPickRole(e: WechatMiniprogram.TouchEvent) {
      const role = this.data.roles.find((r) => r.value === e.currentTarget.dataset.role)?.value
      if (!role) return
      const kind = scopeKindOf(role)
      this.setData({ role, needsStore: roleNeedsStore(role), unitKind: kind === 'subBrand' || kind === 'region' ? kind : '', unitId: '', invite: null })
      if ((kind === 'subBrand' || kind === 'region') && !this.data.units.subBrand.length && !this.data.units.region.length) void this.loadUnits()
    },
    /** The sub-brands (HQ only) and regions an operator or region manager can be invited to, asked for when such a role is picked. */
    async loadUnits() {
      try {
        const tree = await callCloud('admin', 'subBrands.list', {})
        this.setData({
          units: {
            subBrand: this.data.seesAllStores ? tree.subBrands.map((b) => ({ id: b.id, name: b.name })) : [],
            region: tree.subBrands.flatMap((b) => b.regions.map((r) => ({ id: r.id, name: `${b.name} · ${r.name}` }))),
          },
        })
      } catch (e) {
        toastError(e)
      }
    },
    onPickUnit(e: WechatMiniprogram.TouchEvent) {
      this.setData({ unitId: String(e.currentTarget.dataset.id ?? ''), invite: null })
    },
    onPickStore(e: WechatMiniprogram.TouchEvent) {
      this.setData({ storeId: String(e.currentTarget.dataset.id ?? ''), invite: null })
    },
    async onGenerate() {
      const { role, storeId, needsStore, unitKind, unitId } = this.data
      if (!role) return
      if (needsStore && !storeId) return toast('请选择员工所在门店')
      if (unitKind && !unitId) return toast(unitKind === 'subBrand' ? '请选择子品牌' : '请选择区域')
      await exclusive(this, 'generating', async () => {
        const unit = unitKind === 'subBrand' ? { subBrandId: unitId } : unitKind === 'region' ? { regionId: unitId } : {}
        const res = await callCloud('admin', 'staff.invite', { role, ...(needsStore ? { storeId } : {}), ...unit })
        const unitName = unitKind ? (this.data.units[unitKind].find((u) => u.id === unitId)?.name ?? '') : ''
        this.setData({
          invite: {
            code: res.code,
            roleName: ROLE_NAMES[role],
            storeName: needsStore ? (this.data.stores.find((x) => x.id === storeId)?.name ?? '') : unitName || '全部门店',
            expiresText: `有效期至 ${formatTime(res.expiresAt, 'YYYY-MM-DD HH:mm')}，仅可使用一次`,
          },
        })
      })
    },
    /** wx.setClipboardData is privacy-gated: the page's privacy-popup asks first when WeChat needs it. */
    onCopy() {
      const code = this.data.invite?.code
      if (!code) return
      wx.setClipboardData({
        data: code,
        success: () => toast('邀请码已复制，可粘贴发给对方'),
        fail: (err: { errMsg?: string }) => toast(/privacy|auth deny|permission/i.test(err?.errMsg ?? '') ? '未同意隐私保护指引，无法复制，请长按邀请码手动复制' : '复制失败，请长按邀请码手动复制'),
      })
    },
  },
})
