import { callCloud, hasCode } from '../../lib/call-cloud'
import { definePage, exclusive } from '../../lib/page'
import { toastError } from '../../lib/ui'
import { appendRows, type PointsRow } from './view-model'

export const PAGE_SIZE = 20

definePage({
  data: {
    rows: [] as PointsRow[],
    page: 0,
    hasMore: false,
    footer: '' as '' | 'loading' | 'more' | 'end' | 'error',
    loadingMore: false,
  },
  methods: {
    onReachBottom() {
      void this.loadMore()
    },
    async loadMore(): Promise<void> {
      if (!this.data.hasMore || this.data.viewState !== 'ready') return
      await exclusive(
        this,
        'loadingMore',
        async () => {
          this.setData({ footer: 'loading' })
          const page = this.data.page + 1
          const res = await callCloud('member', 'pointsHistory', { page, pageSize: PAGE_SIZE })
          this.setData({ rows: appendRows(this.data.rows, res.items), page, hasMore: res.hasMore, footer: res.hasMore ? 'more' : 'end' })
        },
        (e) => {
          toastError(e)
          this.setData({ footer: 'error' })
        },
      )
    },
  },
  async load() {
    try {
      const res = await callCloud('member', 'pointsHistory', { page: 1, pageSize: PAGE_SIZE })
      const rows = appendRows([], res.items)
      return { rows, page: 1, hasMore: res.hasMore, footer: res.hasMore ? ('more' as const) : ('end' as const), viewState: rows.length ? 'ready' : 'empty' }
    } catch (e) {
      // not a member yet: nothing to list (the card page explains how to join)
      if (hasCode(e, 'NOT_FOUND')) return { rows: [], hasMore: false, viewState: 'empty' }
      throw e
    }
  },
})
