import dayjs from 'dayjs'
import { callCloud } from '../../../lib/call-cloud'
import { definePage, exclusive } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { ROLE_NAMES, roleNeedsStore, type StaffRole } from '../../../shared/staff-roles'
import { toast } from '../../../lib/ui'

definePage({
  data: {
    roles: [] as { value: StaffRole; label: string }[],
    role: '' as StaffRole | '',
    stores: [] as { id: string; name: string }[],
    storeId: '',
    needsStore: false,
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
      if (role) this.setData({ role, needsStore: roleNeedsStore(role), invite: null })
    },
    onPickStore(e: WechatMiniprogram.TouchEvent) {
      this.setData({ storeId: String(e.currentTarget.dataset.id ?? ''), invite: null })
    },
    async onGenerate() {
      const { role, storeId, needsStore } = this.data
      if (!role) return
      if (needsStore && !storeId) return toast('请选择员工所在门店')
      await exclusive(this, 'generating', async () => {
        const res = await callCloud('admin', 'staff.invite', { role, ...(needsStore ? { storeId } : {}) })
        this.setData({
          invite: {
            code: res.code,
            roleName: ROLE_NAMES[role],
            storeName: needsStore ? (this.data.stores.find((x) => x.id === storeId)?.name ?? '') : '全部门店',
            expiresText: `有效期至 ${dayjs(res.expiresAt).format('YYYY-MM-DD HH:mm')}，仅可使用一次`,
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
