import { formatDistance, haversineMeters, sortByDistance } from '../../miniprogram/lib/geo'

describe('haversineMeters', () => {
  it('measures known distances', () => {
    // Beijing Tiananmen → Shanghai People's Square ≈ 1067 km
    const d = haversineMeters({ latitude: 39.9087, longitude: 116.3975 }, { latitude: 31.2304, longitude: 121.4737 })
    expect(d / 1000).toBeGreaterThan(1060)
    expect(d / 1000).toBeLessThan(1075)
    expect(haversineMeters({ latitude: 31, longitude: 121 }, { latitude: 31, longitude: 121 })).toBe(0)
    // one degree of latitude ≈ 111.2 km
    expect(Math.round(haversineMeters({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 }) / 100)).toBe(1112)
  })
})

describe('sortByDistance', () => {
  const stores = [
    { id: 'far', latitude: 31.3, longitude: 121.6 },
    { id: 'none', latitude: 0, longitude: 0 },
    { id: 'near', latitude: 31.231, longitude: 121.474 },
    { id: 'mid', latitude: 31.25, longitude: 121.5 },
  ]
  it('puts the nearest first and stores without coordinates last', () => {
    const sorted = sortByDistance(stores, { latitude: 31.2304, longitude: 121.4737 })
    expect(sorted.map((s) => s.id)).toEqual(['near', 'mid', 'far', 'none'])
    expect(sorted[0].distanceM).toBeLessThan(200)
    expect(sorted[3].distanceM).toBeNull()
  })
  it('keeps the listed order without a position, and does not mutate', () => {
    const copy = stores.map((s) => ({ ...s }))
    expect(sortByDistance(stores, null).map((s) => s.id)).toEqual(['far', 'none', 'near', 'mid'])
    expect(stores).toEqual(copy)
  })
  it('formats distances', () => {
    expect(formatDistance(null)).toBe('')
    expect(formatDistance(850.4)).toBe('850m')
    expect(formatDistance(1234)).toBe('1.2km')
    expect(formatDistance(250_000)).toBe('250km')
  })
})
