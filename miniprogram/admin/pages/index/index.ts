import { definePage } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { adminEntries, inviteDescription, settingsDescription } from './view-model'

/** 商家管理: the caller's staff card and the entries their role may use. */
definePage({
  data: { name: '', roleName: '', storesText: '', entries: adminEntries(''), inviteText: '', settingsText: '' },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff) return { viewState: 'empty' }
    return {
      name: staff.name || '员工',
      roleName: staff.roleName,
      storesText: staff.role === 'owner' || staff.role === 'hq' ? '全部门店' : staff.stores.map((s) => s.name).join('、') || '未分配门店',
      entries: adminEntries(staff.role),
      inviteText: inviteDescription(staff.role),
      settingsText: settingsDescription(staff.role),
    }
  },
  methods: {
    goJoin() {
      void wx.navigateTo({ url: '/admin/pages/join/index' })
    },
  },
})
