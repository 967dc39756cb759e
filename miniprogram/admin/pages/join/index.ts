import { callCloud } from '../../../lib/call-cloud'
import { instanceStore, toast, toastError } from '../../../lib/ui'

const local = instanceStore(() => ({ busy: false }))

/** 员工加入: anyone may open it; the server checks the code (once, before it expires). */
Component({
  data: { code: '', joining: false, joinedRole: '' },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query?.code) this.setData({ code: query.code.toUpperCase().slice(0, 16) })
    },
    onInput(e: WechatMiniprogram.Input) {
      this.setData({ code: e.detail.value.toUpperCase() })
    },
    async onJoin() {
      const s = local(this)
      const code = this.data.code.trim()
      if (s.busy) return
      if (!code) return toast('请输入邀请码')
      s.busy = true
      this.setData({ joining: true })
      try {
        const res = await callCloud('admin', 'joinStaff', { code })
        this.setData({ joinedRole: res.roleName })
      } catch (e) {
        toastError(e)
      } finally {
        s.busy = false
        this.setData({ joining: false })
      }
    },
    goAdmin() {
      void wx.redirectTo({ url: '/admin/pages/index/index' })
    },
  },
})
