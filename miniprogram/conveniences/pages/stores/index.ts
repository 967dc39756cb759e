import { callCloud } from '../../../lib/call-cloud'
import { currentPosition } from '../../../lib/geo'
import { definePage } from '../../../lib/page'
import { toast } from '../../../lib/ui'
import { mapCenter, storeMarkers, storeViews, type MapMarker, type StoreView } from './view-model'

/**
 * 门店: the open stores, nearest first when the person allows location (the privacy popup asks
 * first), by name otherwise; hours with 营业中/已打烊, a map, call, navigate and 客服.
 */
definePage({
  data: {
    stores: [] as StoreView[],
    markers: [] as MapMarker[],
    hasMap: false,
    latitude: 0,
    longitude: 0,
    located: false,
    selected: 0,
  },
  methods: {
    storeAt(e: WechatMiniprogram.BaseEvent): StoreView | undefined {
      return this.data.stores[Number(e.currentTarget.dataset.index)]
    },
    onCall(e: WechatMiniprogram.BaseEvent) {
      const store = this.storeAt(e)
      if (!store?.phone) return toast('该门店暂未提供电话')
      void wx.makePhoneCall({ phoneNumber: store.phone }).catch(() => undefined)
    },
    onNavigate(e: WechatMiniprogram.BaseEvent) {
      const store = this.storeAt(e)
      if (!store?.hasLocation) return toast('该门店暂未标注位置')
      void wx.openLocation({ latitude: store.latitude, longitude: store.longitude, name: store.name, address: store.address, scale: 16 }).catch(() => undefined)
    },
    onMarkerTap(e: WechatMiniprogram.CustomEvent<{ markerId: number }>) {
      const index = Number(e.detail.markerId)
      if (this.data.stores[index]) this.setData({ selected: index })
    },
    onSelect(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index)
      const store = this.data.stores[index]
      if (store) this.setData({ selected: index, ...(store.hasLocation ? { latitude: store.latitude, longitude: store.longitude } : {}) })
    },
  },
  async load() {
    const origin = await currentPosition()
    const { stores } = await callCloud('member', 'stores', origin ? { near: origin } : {})
    if (!stores.length) return { viewState: 'empty', stores: [], markers: [], hasMap: false }
    const views = storeViews(stores)
    const center = mapCenter(views, origin)
    return {
      stores: views,
      markers: storeMarkers(views),
      hasMap: center !== null,
      latitude: center?.latitude ?? 0,
      longitude: center?.longitude ?? 0,
      located: origin !== null,
      selected: 0,
    }
  },
})
