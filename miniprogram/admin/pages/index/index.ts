import { callCloud } from '../../../lib/call-cloud'
import { definePage, exclusive } from '../../../lib/page'
import { clearStaffSession, getStaffSession, may } from '../../../lib/staff-session'
import { setupWarningOf } from './setup-warning'
import { adminHomeView, NO_COUPON_ENTRIES, NO_DATA_ENTRIES, NO_ENTRIES } from './view-model'

/** 商家管理: the caller's staff card and the entries they may use. */
definePage({
  data: { name: '', roleName: '', storesText: '', entries: NO_ENTRIES, couponEntries: NO_COUPON_ENTRIES, inviteText: '', settingsText: '', setupWarning: [] as string[], dataEntries: NO_DATA_ENTRIES, setupChecking: false, serviceEntry: false, rewardsEntry: false },
  methods: {
    /** deploy: the owner re-runs the setup check after creating the indexes by hand. */
    async onSetupCheck() {
      await exclusive(this, 'setupChecking', async () => {
        await callCloud('system', 'setup', {})
        clearStaffSession()
        await this.reload({ fresh: true })
      })
    },
    goJoin() {
      void wx.navigateTo({ url: '/admin/pages/join/index' })
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    // chain-gaps: 客服自动回复 for those who may read its settings (owner and HQ).
    return staff ? { ...adminHomeView(staff), setupWarning: setupWarningOf(staff), serviceEntry: may(staff.capabilities, 'service.get') } : { viewState: 'empty' }
  },
})
