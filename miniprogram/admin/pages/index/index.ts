import { callCloud } from '../../../lib/call-cloud'
import { errorMessageOf, initialLoadable } from '../../../lib/view-state'
import { reloadMethods } from '../../../lib/reload'
import { adminEntries, inviteDescription, settingsDescription } from './view-model'

/** 商家管理: the caller's staff card and the entries their role may use. */
Component({
  data: { ...initialLoadable, name: '', roleName: '', storesText: '', entries: adminEntries(''), inviteText: '', settingsText: '' },
  methods: {
    onLoad() {
      void this.load()
    },
    ...reloadMethods,
    async load() {
      this.setData({ viewState: 'loading' })
      try {
        const { staff } = await callCloud('admin', 'me', {})
        if (!staff) return this.setData({ viewState: 'empty', errorMessage: '' })
        this.setData({
          viewState: 'ready',
          errorMessage: '',
          name: staff.name || '员工',
          roleName: staff.roleName,
          storesText: staff.role === 'owner' || staff.role === 'hq' ? '全部门店' : staff.stores.map((s) => s.name).join('、') || '未分配门店',
          entries: adminEntries(staff.role),
          inviteText: inviteDescription(staff.role),
          settingsText: settingsDescription(staff.role),
        })
      } catch (e) {
        this.setData({ viewState: 'error', errorMessage: errorMessageOf(e) })
      }
    },
    goJoin() {
      void wx.navigateTo({ url: '/admin/pages/join/index' })
    },
  },
})
