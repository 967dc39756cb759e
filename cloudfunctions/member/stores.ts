import { z } from 'zod'
import type { ActionContext } from '../shared/handler'
import { COLLECTIONS } from '../shared/collections'
import { list } from '../services/db-util'
import type { StoreDoc } from '../services/documents'
import { openStateAt } from '../../miniprogram/shared/store-hours'

/** A merchant has a handful of stores; the locator lists them all, nearest first. */
export const MAX_LISTED_STORES = 100

export interface StoreListing {
  id: string
  name: string
  address: string
  phone: string
  hours: string
  latitude: number
  longitude: number
  /** Metres from the caller's position (geo index), null without a position or a stored location. */
  distanceM: number | null
  /** From the hours in China time, now (shared/store-hours). */
  openState: ReturnType<typeof openStateAt>
}

type StoreRow = StoreDoc & { distanceM?: number }

function listing(s: StoreRow, now: Date): StoreListing {
  return {
    id: s._id,
    name: s.name,
    address: s.address,
    phone: s.phone,
    hours: s.hours,
    latitude: s.latitude,
    longitude: s.longitude,
    distanceM: typeof s.distanceM === 'number' ? Math.round(s.distanceM) : null,
    openState: openStateAt(s.hours ?? '', now),
  }
}

const byName = (a: StoreDoc, b: StoreDoc): number => a.name.localeCompare(b.name, 'zh-Hans-CN')

const position = z
  .object({
    latitude: z.number().finite().min(-90).max(90),
    longitude: z.number().finite().min(-180).max(180),
  })
  .strict()

export const storesInput = z.object({ near: position.optional() }).strict()

/**
 * The open stores: with the caller's position (wx.getLocation, GCJ-02 like the stored
 * coordinates), nearest first through the geo index on `location` (geoNear stage); stores without
 * a location follow by name. Without a position, by name.
 */
export async function listStores(ctx: ActionContext, near: z.output<typeof position> | undefined): Promise<StoreListing[]> {
  const now = ctx.now()
  const all = await list<StoreDoc>(ctx.db.collection(COLLECTIONS.stores).where({ status: 'open' }).limit(MAX_LISTED_STORES))
  if (!near) return [...all].sort(byName).map((s) => listing(s, now))
  const located = ((await ctx.db
    .collection(COLLECTIONS.stores)
    .aggregate()
    .geoNear({
      distanceField: 'distanceM',
      spherical: true,
      near: ctx.db.Geo.Point(near.longitude, near.latitude),
      key: 'location',
      query: { status: 'open' },
    })
    .limit(MAX_LISTED_STORES)
    .end()) as { list: StoreRow[] }).list
  const seen = new Set(located.map((s) => s._id))
  const rest = all.filter((s) => !seen.has(s._id)).sort(byName)
  return [...located, ...rest].map((s) => listing(s, now))
}
