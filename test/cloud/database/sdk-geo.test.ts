import { rejection, useSdkDatabase } from './helpers/db-server'

/**
 * Geo through the real SDK, as a store locator asks for it: db.Geo.Point fields with a geo index
 * (2dsphere), _.geoNear (nearest first, min/max distance in metres), _.geoWithin (polygon,
 * centerSphere), _.geoIntersects, and the geoNear aggregation stage. The cloud requires a geo
 * index on the queried field for all of them (需对查询字段建立地理位置索引).
 */
const fx = useSdkDatabase({
  stores: { indexes: [{ name: 'location_geo', keys: { location: '2dsphere' } }] },
  plain: { indexes: [] },
})

// Around Guangzhou's Canton Tower (113.3245, 23.1064); distances by the haversine formula.
const ORIGIN: [number, number] = [113.3245, 23.1064]
const STORES: Array<{ _id: string; lng: number; lat: number; city: string }> = [
  { _id: 'tower', lng: 113.3245, lat: 23.1064, city: 'gz' }, // 0 m
  { _id: 'near', lng: 113.3345, lat: 23.1064, city: 'gz' }, // ≈ 1.02 km east
  { _id: 'mid', lng: 113.3245, lat: 23.1364, city: 'gz' }, // ≈ 3.34 km north
  { _id: 'far', lng: 113.2645, lat: 23.1264, city: 'gz' }, // ≈ 6.5 km
  { _id: 'shenzhen', lng: 114.0579, lat: 22.5431, city: 'sz' }, // ≈ 98 km
]

function point(lng: number, lat: number): ReturnType<typeof fx.db.Geo.Point> {
  return fx.db.Geo.Point(lng, lat)
}

/** _.geoWithin({ centerSphere }) (documented; missing from the SDK's typings). */
function withinCircle(centre: [number, number], radians: number): ReturnType<typeof fx.db.command.geoWithin> {
  const options = { centerSphere: [centre, radians] } as unknown as Parameters<typeof fx.db.command.geoWithin>[0]
  return fx.db.command.geoWithin(options)
}

beforeAll(async () => {
  await fx.db.collection('stores').add({ data: STORES.map((s) => ({ _id: s._id, city: s.city, location: point(s.lng, s.lat) })) })
  await fx.db.collection('plain').add({ data: { _id: 'p', location: point(...ORIGIN) } })
})

const ids = (res: { data: unknown[] }): string[] => (res.data as Array<{ _id: string }>).map((d) => d._id)

describe('where()', () => {
  it('geoNear answers the nearest stores first, within min and max distance', async () => {
    const _ = fx.db.command
    const all = await fx.db.collection('stores').where({ location: _.geoNear({ geometry: point(...ORIGIN) }) }).get()
    expect(ids(all)).toEqual(['tower', 'near', 'mid', 'far', 'shenzhen'])
    const ring = await fx.db.collection('stores').where({ location: _.geoNear({ geometry: point(...ORIGIN), minDistance: 500, maxDistance: 5000 }) }).get()
    expect(ids(ring)).toEqual(['near', 'mid'])
    // Combined with other conditions and a limit, as a "nearest 2 in this city" query.
    const two = await fx.db.collection('stores').where({ city: 'gz', location: _.geoNear({ geometry: point(114.05, 22.55) }) }).limit(2).get()
    expect(ids(two)).toEqual(['near', 'tower'])
  })

  it('stored points come back as db.Geo.Point', async () => {
    const res = await fx.db.collection('stores').doc('near').get()
    const loc = (res.data as { location: { longitude: number; latitude: number } }).location
    expect(loc).toBeInstanceOf((point(0, 0) as object).constructor)
    expect([loc.longitude, loc.latitude]).toEqual([113.3345, 23.1064])
  })

  it('geoWithin a polygon and within a centerSphere circle', async () => {
    const _ = fx.db.command
    const { Point, LineString, Polygon } = fx.db.Geo
    const box = Polygon([LineString([Point(113.3, 23.1), Point(113.34, 23.1), Point(113.34, 23.14), Point(113.3, 23.14), Point(113.3, 23.1)])])
    const inBox = await fx.db.collection('stores').where({ location: _.geoWithin({ geometry: box }) }).get()
    expect(ids(inBox).sort()).toEqual(['mid', 'near', 'tower'])
    // centerSphere: [[lng, lat], radius in radians] = 2 km / 6378.1 km.
    const circle = await fx.db.collection('stores').where({ location: withinCircle(ORIGIN, 2 / 6378.1) }).get()
    expect(ids(circle).sort()).toEqual(['near', 'tower'])
    expect((await fx.db.collection('stores').where({ location: withinCircle(ORIGIN, 2 / 6378.1) }).count()).total).toBe(2)
  })

  it('geoIntersects a polygon', async () => {
    const _ = fx.db.command
    const { Point, LineString, Polygon } = fx.db.Geo
    const shenzhen = Polygon([LineString([Point(113.7, 22.4), Point(114.6, 22.4), Point(114.6, 22.9), Point(113.7, 22.9), Point(113.7, 22.4)])])
    expect(ids(await fx.db.collection('stores').where({ location: _.geoIntersects({ geometry: shenzhen }) }).get())).toEqual(['shenzhen'])
  })

  it('without a geo index on the field every geo query is refused (it used to be answered)', async () => {
    const _ = fx.db.command
    const near = await rejection(fx.db.collection('plain').where({ location: _.geoNear({ geometry: point(...ORIGIN) }) }).get())
    expect(near).toMatchObject({ errCode: -502002, errMsg: expect.stringContaining('地理位置索引') })
    const within = await rejection(fx.db.collection('plain').where({ location: withinCircle(ORIGIN, 0.01) }).get())
    expect(within).toMatchObject({ errCode: -502002 })
  })
})

describe('aggregate().geoNear()', () => {
  it('adds the distance, filters by query and distance, nearest first', async () => {
    const res = (await fx.db
      .collection('stores')
      .aggregate()
      .geoNear({ distanceField: 'distance', spherical: true, near: point(...ORIGIN), query: { city: 'gz' }, maxDistance: 5000, key: 'location' })
      .project({ _id: 1, distance: 1 })
      .end()) as { list: Array<{ _id: string; distance: number }> }
    expect(res.list.map((r) => r._id)).toEqual(['tower', 'near', 'mid'])
    expect(res.list[0].distance).toBe(0)
    expect(res.list[1].distance).toBeGreaterThan(1000)
    expect(res.list[1].distance).toBeLessThan(1040)
    expect(res.list[2].distance).toBeGreaterThan(3300)
    expect(res.list[2].distance).toBeLessThan(3360)
  })

  it('must be the first stage and needs the geo index', async () => {
    const late = await rejection(fx.db.collection('stores').aggregate().match({ city: 'gz' }).geoNear({ distanceField: 'd', spherical: true, near: point(...ORIGIN) }).end())
    expect(String(late.errMsg)).toContain('第一个阶段')
    const noIndex = await rejection(fx.db.collection('plain').aggregate().geoNear({ distanceField: 'd', spherical: true, near: point(...ORIGIN) }).end())
    expect(String(noIndex.errMsg)).toContain('地理位置索引')
  })
})
