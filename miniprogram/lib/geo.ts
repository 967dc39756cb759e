/** Distances for the store picker (nearest first when the user allows location). */

export interface LatLng {
  latitude: number
  longitude: number
}

const EARTH_RADIUS_M = 6_371_000

function rad(deg: number): number {
  return (deg * Math.PI) / 180
}

/** Great-circle distance in metres (haversine). */
export function haversineMeters(a: LatLng, b: LatLng): number {
  const dLat = rad(b.latitude - a.latitude)
  const dLng = rad(b.longitude - a.longitude)
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

function hasCoordinates(p: Partial<LatLng>): p is LatLng {
  return (
    typeof p.latitude === 'number' &&
    typeof p.longitude === 'number' &&
    Number.isFinite(p.latitude) &&
    Number.isFinite(p.longitude) &&
    !(p.latitude === 0 && p.longitude === 0)
  )
}

/**
 * Nearest first; items without coordinates keep their listed order after the located ones.
 * Does not mutate the input. `distanceM` is null where unknown.
 */
export function sortByDistance<T extends Partial<LatLng>>(items: readonly T[], origin: LatLng | null): (T & { distanceM: number | null })[] {
  const withDistance = items.map((item, index) => ({
    item: { ...item, distanceM: origin && hasCoordinates(item) ? haversineMeters(origin, item) : null },
    index,
  }))
  if (!origin) return withDistance.map((x) => x.item)
  return withDistance
    .sort((a, b) => {
      const da = a.item.distanceM
      const db = b.item.distanceM
      if (da === null && db === null) return a.index - b.index
      if (da === null) return 1
      if (db === null) return -1
      return da - db || a.index - b.index
    })
    .map((x) => x.item)
}

/** 850 → "850m", 1234 → "1.2km", null → "" */
export function formatDistance(m: number | null): string {
  if (m === null) return ''
  if (m < 1000) return `${Math.max(1, Math.round(m))}m`
  if (m < 100_000) return `${(m / 1000).toFixed(1)}km`
  return `${Math.round(m / 1000)}km`
}

/** wx.getLocation (GCJ-02, what store coordinates use) as a promise: the position, or null when refused or unavailable. */
export function currentPosition(): Promise<LatLng | null> {
  if (typeof wx.getLocation !== 'function') return Promise.resolve(null)
  return new Promise((resolve) =>
    wx.getLocation({ type: 'gcj02', success: (r) => resolve({ latitude: r.latitude, longitude: r.longitude }), fail: () => resolve(null) }),
  )
}
