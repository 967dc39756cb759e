import { callCloud, hasCode } from '../../../lib/call-cloud'
import { exclusive } from '../../../lib/page'
import { clearStaffSession } from '../../../lib/staff-session'
import { toast, toastError } from '../../../lib/ui'
import { STAFF_NAME_MAX } from '../../../shared/text-limits'

/** 员工加入: anyone may open it; the server checks the code (once, before it expires). */
Component({
  data: { code: '', name: '', joining: false, joinedRole: '', showSetup: false, setupKey: '', ownerName: '' },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query?.code) this.setData({ code: query.code.toUpperCase().slice(0, 16) })
    },
    onInput(e: WechatMiniprogram.Input) {
      this.setData({ code: e.detail.value.toUpperCase() })
    },
    onName(e: WechatMiniprogram.Input) {
      this.setData({ name: e.detail.value })
    },
    async onJoin() {
      const code = this.data.code.trim()
      // optional: the server names an unnamed member 「店员1234」; 1..20 characters (staffNameSchema)
      const name = this.data.name.trim()
      if (this.data.joining) return
      if (!code) return toast('请输入邀请码')
      if (name.length > STAFF_NAME_MAX) return toast(`姓名最多 ${STAFF_NAME_MAX} 个字`)
      await this.become(() => callCloud('admin', 'joinStaff', { code, ...(name ? { name } : {}) }))
    },
    toggleSetup() {
      this.setData({ showSetup: !this.data.showSetup })
    },
    onSetupKey(e: WechatMiniprogram.Input) {
      this.setData({ setupKey: e.detail.value })
    },
    onOwnerName(e: WechatMiniprogram.Input) {
      this.setData({ ownerName: e.detail.value })
    },
    /** 店主初始化: binds the first owner of a new deployment with the key set on the server. */
    async onBootstrap() {
      const setupKey = this.data.setupKey.trim()
      const name = this.data.ownerName.trim()
      if (this.data.joining) return
      if (!setupKey) return toast('请输入初始化密钥')
      if (!name) return toast('请输入您的称呼')
      if (name.length > STAFF_NAME_MAX) return toast(`称呼最多 ${STAFF_NAME_MAX} 个字`)
      await this.become(() => callCloud('admin', 'bootstrapOwner', { setupKey, name }))
    },
    /** Joining and owner setup alike: one request at a time, then the role, or the server's refusal. */
    async become(request: () => Promise<{ roleName: string }>) {
      await exclusive(
        this,
        'joining',
        async () => {
          const res = await request()
          // Who the caller is has changed: 我的 and 商家管理 must ask again.
          clearStaffSession()
          this.setData({ joinedRole: res.roleName })
        },
        (e) => {
          // A used or expired code cannot work again: clear it for the new one the inviter sends.
          if (hasCode(e, 'INVITE_USED', 'INVITE_EXPIRED')) this.setData({ code: '' })
          toastError(e)
        },
      )
    },
    goAdmin() {
      void wx.redirectTo({ url: '/admin/pages/index/index' })
    },
  },
})
