import { callCloud } from '../../../lib/call-cloud'
import { lookupQueryOf, scanText } from '../../lib/staff'
import { toast } from '../../../lib/ui'
import { errorMessageOf, type ViewState } from '../../../lib/view-state'
import { memberSummaryView, type MemberSummaryView } from './view-model'

Component({
  data: {
    keyword: '',
    /** idle until the first search */
    viewState: 'ready' as ViewState,
    searched: false,
    errorMessage: '',
    member: null as MemberSummaryView | null,
  },
  methods: {
    onInput(e: WechatMiniprogram.Input) {
      this.setData({ keyword: e.detail.value })
    },
    async onScan() {
      const text = await scanText()
      if (!text) return
      this.setData({ keyword: text.trim() })
      await this.search()
    },
    onSearch() {
      void this.search()
    },
    onRetry() {
      void this.search()
    },
    async search() {
      const q = lookupQueryOf(this.data.keyword)
      if (!q.ok) return toast(q.message)
      this.setData({ viewState: 'loading', searched: true })
      try {
        const { member } = await callCloud('admin', 'members.lookup', q.query)
        this.setData({ member: member ? memberSummaryView(member) : null, viewState: member ? 'ready' : 'empty', errorMessage: '' })
      } catch (e) {
        this.setData({ viewState: 'error', errorMessage: errorMessageOf(e), member: null })
      }
    },
    openProfile() {
      const m = this.data.member
      if (m) void wx.navigateTo({ url: `/admin/pages/member/index?memberNo=${m.memberNo}` })
    },
  },
})
