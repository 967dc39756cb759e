import type { ViewState } from '../../lib/view-state'

/** Loading / empty / error around a page's content; `retry` fires from the error state. */
Component({
  options: { multipleSlots: true },
  properties: {
    /** 当前状态：loading | ready | empty | error */
    state: { type: String, value: 'loading' as ViewState },
    /** 加载中文案 */
    loadingText: { type: String, value: '加载中…' },
    /** 空状态文案 */
    emptyText: { type: String, value: '暂无数据' },
    /** 错误文案（来自服务端的 message） */
    errorText: { type: String, value: '' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry')
    },
  },
})
