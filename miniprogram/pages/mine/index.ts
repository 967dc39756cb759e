import { getStaffSession } from '../../lib/staff-session'
import { errorMessageOf } from '../../lib/view-state'

/** 我的: the consumer's shortcuts, plus 商家管理 for staff (known from the staff session). */
Component({
  data: {
    isStaff: false,
    staffText: '',
    /** 'loading' | 'ready' | 'error' for the staff check only; the page itself is always usable */
    staffState: 'loading',
    staffError: '',
  },
  methods: {
    onLoad() {
      void this.loadStaff()
    },
    onShow() {
      // back from 员工加入: the entry may have appeared (joining clears the cached session)
      if (this.data.staffState !== 'loading') void this.loadStaff()
    },
    async loadStaff() {
      try {
        const staff = await getStaffSession()
        this.setData({
          isStaff: !!staff,
          // what each role may do differs (HQ has no 收银, a clerk invites no one): name the role only
          staffText: staff ? `当前身份：${staff.roleName}` : '',
          staffState: 'ready',
          staffError: '',
        })
      } catch (e) {
        this.setData({ staffState: 'error', staffError: errorMessageOf(e) })
      }
    },
    onRetryStaff() {
      this.setData({ staffState: 'loading' })
      void this.loadStaff()
    },
  },
})
