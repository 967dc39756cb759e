import dayjs from 'dayjs'
import { callCloud } from '../../../lib/call-cloud'
import { invitableRoles, ROLE_NAMES, roleNeedsStore } from '../../../lib/staff'
import { instanceStore, toast, toastError } from '../../../lib/ui'
import { errorMessageOf, initialLoadable } from '../../../lib/view-state'

const local = instanceStore(() => ({ busy: false }))

Component({
  data: {
    ...initialLoadable,
    roles: [] as { value: string; label: string }[],
    role: '',
    stores: [] as { id: string; name: string }[],
    storeId: '',
    needsStore: false,
    generating: false,
    invite: null as null | { code: string; roleName: string; storeName: string; expiresText: string },
  },
  methods: {
    onLoad() {
      void this.load()
    },
    onRetry() {
      void this.load()
    },
    async load() {
      this.setData({ viewState: 'loading' })
      try {
        const { staff } = await callCloud('admin', 'me', {})
        const roles = staff ? invitableRoles(staff.role) : []
        if (!staff || !roles.length) return this.setData({ viewState: 'empty', errorMessage: '' })
        const role = roles[roles.length - 1]
        const stores = staff.stores.map((s) => ({ id: s.id, name: s.name }))
        this.setData({
          viewState: 'ready',
          errorMessage: '',
          roles: roles.map((r) => ({ value: r, label: ROLE_NAMES[r] })),
          role,
          needsStore: roleNeedsStore(role),
          stores,
          storeId: stores.length === 1 ? stores[0].id : '',
        })
      } catch (e) {
        this.setData({ viewState: 'error', errorMessage: errorMessageOf(e) })
      }
    },
    onPickRole(e: WechatMiniprogram.TouchEvent) {
      const role = String(e.currentTarget.dataset.role ?? '')
      this.setData({ role, needsStore: roleNeedsStore(role), invite: null })
    },
    onPickStore(e: WechatMiniprogram.TouchEvent) {
      this.setData({ storeId: String(e.currentTarget.dataset.id ?? ''), invite: null })
    },
    async onGenerate() {
      const s = local(this)
      if (s.busy) return
      const { role, storeId, needsStore } = this.data
      if (needsStore && !storeId) return toast('请选择员工所在门店')
      s.busy = true
      this.setData({ generating: true })
      try {
        const res = await callCloud('admin', 'staff.invite', { role: role as 'clerk', ...(needsStore ? { storeId } : {}) })
        this.setData({
          invite: {
            code: res.code,
            roleName: ROLE_NAMES[role as 'clerk'] ?? role,
            storeName: needsStore ? (this.data.stores.find((x) => x.id === storeId)?.name ?? '') : '全部门店',
            expiresText: `有效期至 ${dayjs(res.expiresAt).format('YYYY-MM-DD HH:mm')}，仅可使用一次`,
          },
        })
      } catch (e) {
        toastError(e)
      } finally {
        s.busy = false
        this.setData({ generating: false })
      }
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
