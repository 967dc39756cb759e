import { callCloud } from '../../../lib/call-cloud'
import { definePage } from '../../../lib/page'

interface StoreRow {
  id: string
  name: string
  address: string
  phone: string
  hours: string
}

definePage({
  data: { stores: [] as StoreRow[] },
  async load() {
    const { stores } = await callCloud('admin', 'stores.list', {})
    const rows = stores.map((s) => ({ id: s.id, name: s.name, address: s.address || '未填写地址', phone: s.phone || '', hours: s.hours || '' }))
    return { stores: rows, viewState: rows.length ? 'ready' : 'empty' }
  },
  methods: {
    onCall(e: WechatMiniprogram.TouchEvent) {
      const phone = String(e.currentTarget.dataset.phone ?? '')
      if (phone) void wx.makePhoneCall({ phoneNumber: phone })
    },
  },
})
