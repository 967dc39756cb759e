import { callCloud } from '../../../lib/call-cloud'
import { errorMessageOf, initialLoadable } from '../../../lib/view-state'
import { reloadMethods } from '../../../lib/reload'

interface StoreRow {
  id: string
  name: string
  address: string
  phone: string
  hours: string
}

Component({
  data: { ...initialLoadable, stores: [] as StoreRow[] },
  methods: {
    onLoad() {
      void this.load()
    },
    ...reloadMethods,
    async load() {
      this.setData({ viewState: 'loading' })
      try {
        const { stores } = await callCloud('admin', 'stores.list', {})
        const rows = stores.map((s) => ({ id: s.id, name: s.name, address: s.address || '未填写地址', phone: s.phone || '', hours: s.hours || '' }))
        this.setData({ stores: rows, viewState: rows.length ? 'ready' : 'empty', errorMessage: '' })
      } catch (e) {
        this.setData({ viewState: 'error', errorMessage: errorMessageOf(e) })
      }
    },
    onCall(e: WechatMiniprogram.TouchEvent) {
      const phone = String(e.currentTarget.dataset.phone ?? '')
      if (phone) wx.makePhoneCall({ phoneNumber: phone })
    },
  },
})
