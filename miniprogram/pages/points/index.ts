import { callCloud, hasCode } from '../../lib/call-cloud'
import { instanceStore, toastError } from '../../lib/ui'
import { errorMessageOf, initialLoadable } from '../../lib/view-state'
import { appendRows, type PointsRow } from './view-model'

export const PAGE_SIZE = 20

const local = instanceStore(() => ({ loadingMore: false }))

Component({
  data: {
    ...initialLoadable,
    rows: [] as PointsRow[],
    page: 0,
    hasMore: false,
    footer: '' as '' | 'loading' | 'more' | 'end' | 'error',
  },
  methods: {
    onLoad() {
      void this.reload()
    },
    onPullDownRefresh() {
      void this.reload().then(() => wx.stopPullDownRefresh())
    },
    onReachBottom() {
      void this.loadMore()
    },
    onRetry() {
      void this.reload()
    },

    async reload() {
      this.setData({ viewState: 'loading' })
      try {
        const res = await callCloud('member', 'pointsHistory', { page: 1, pageSize: PAGE_SIZE })
        const rows = appendRows([], res.items)
        this.setData({
          rows,
          page: 1,
          hasMore: res.hasMore,
          footer: res.hasMore ? 'more' : 'end',
          viewState: rows.length ? 'ready' : 'empty',
          errorMessage: '',
        })
      } catch (e) {
        // not a member yet: nothing to list (the card page explains how to join)
        if (hasCode(e, 'NOT_FOUND')) this.setData({ rows: [], hasMore: false, viewState: 'empty', errorMessage: '' })
        else this.setData({ viewState: 'error', errorMessage: errorMessageOf(e) })
      }
    },

    async loadMore() {
      const s = local(this)
      if (s.loadingMore || !this.data.hasMore || this.data.viewState !== 'ready') return
      s.loadingMore = true
      this.setData({ footer: 'loading' })
      try {
        const page = this.data.page + 1
        const res = await callCloud('member', 'pointsHistory', { page, pageSize: PAGE_SIZE })
        this.setData({ rows: appendRows(this.data.rows, res.items), page, hasMore: res.hasMore, footer: res.hasMore ? 'more' : 'end' })
      } catch (e) {
        toastError(e)
        this.setData({ footer: 'error' })
      } finally {
        s.loadingMore = false
      }
    },
  },
})
