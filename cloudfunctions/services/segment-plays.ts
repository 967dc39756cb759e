import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'

/**
 * Game plays per member since a date, for the gamePlays condition: a play spends one game
 * chance, and every spend is one chance_events document with source 'play' (services/chances.ts), so plays are
 * the spends, counted by one aggregate over the page's members.
 */
export async function loadPlays(db: Database, openids: string[], since: Date): Promise<Map<string, number>> {
  const _ = db.command
  const $ = db.command.aggregate
  const res = (await db
    .collection(COLLECTIONS.chanceEvents)
    .aggregate()
    .match({ openid: _.in(openids), source: 'play', createdAt: _.gte(since) })
    .group({ _id: '$openid', n: $.sum(1) })
    .limit(openids.length)
    .end()) as { list: Array<{ _id: string; n: number }> }
  return new Map(res.list.map((r) => [r._id, r.n]))
}
