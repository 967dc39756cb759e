import type { ActionOutput } from '../../../../cloudfunctions/shared/contract'
import { formatDistance } from '../../../lib/geo'
import { OPEN_STATE_TEXT } from '../../../shared/store-hours'

export type ListedStore = ActionOutput<'member', 'stores'>['stores'][number]

export interface StoreView {
  id: string
  name: string
  address: string
  phone: string
  hoursText: string
  distanceText: string
  stateText: string
  /** t-tag theme: success while open, default when closed. */
  stateTheme: 'success' | 'default'
  latitude: number
  longitude: number
  hasLocation: boolean
}

export interface MapMarker {
  id: number
  latitude: number
  longitude: number
  title: string
  width: number
  height: number
  callout: { content: string; display: 'BYCLICK' | 'ALWAYS'; padding: number; borderRadius: number }
}

const located = (s: { latitude: number; longitude: number }): boolean =>
  Number.isFinite(s.latitude) && Number.isFinite(s.longitude) && !(s.latitude === 0 && s.longitude === 0)

/** The list as the server ordered it (nearest first with a position, by name without). */
export function storeViews(stores: readonly ListedStore[]): StoreView[] {
  return stores.map((s) => ({
    id: s.id,
    name: s.name,
    address: s.address,
    phone: s.phone,
    hoursText: s.hours ? `营业时间 ${s.hours}` : '营业时间请致电门店',
    distanceText: formatDistance(s.distanceM),
    stateText: OPEN_STATE_TEXT[s.openState],
    stateTheme: s.openState === 'open' ? 'success' : 'default',
    latitude: s.latitude,
    longitude: s.longitude,
    hasLocation: located(s),
  }))
}

/** Map markers (numeric ids: the index in the list), the first store's callout shown. */
export function storeMarkers(views: readonly StoreView[]): MapMarker[] {
  return views.flatMap((v, i) =>
    v.hasLocation
      ? [{ id: i, latitude: v.latitude, longitude: v.longitude, title: v.name, width: 28, height: 36, callout: { content: v.name, display: i === 0 ? ('ALWAYS' as const) : ('BYCLICK' as const), padding: 8, borderRadius: 8 } }]
      : [],
  )
}

/** Where the map centres: the person when located, else the first store with a location. */
export function mapCenter(views: readonly StoreView[], origin: { latitude: number; longitude: number } | null): { latitude: number; longitude: number } | null {
  if (origin) return origin
  const first = views.find((v) => v.hasLocation)
  return first ? { latitude: first.latitude, longitude: first.longitude } : null
}
