import { definePage } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { adminHomeView, NO_COUPON_ENTRIES, NO_ENTRIES } from './view-model'

/** 商家管理: the caller's staff card and the entries they may use. */
definePage({
  data: { name: '', roleName: '', storesText: '', entries: NO_ENTRIES, couponEntries: NO_COUPON_ENTRIES, inviteText: '', settingsText: '' },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    return staff ? adminHomeView(staff) : { viewState: 'empty' }
  },
  methods: {
    goJoin() {
      void wx.navigateTo({ url: '/admin/pages/join/index' })
    },
  },
})
