import type { Database } from '../shared/cloud'

/**
 * Game plays per member since a date, for the gamePlays condition: a play spends one game
 * chance, and every spend is one chance_events document with source 'play' (services/chances.ts), so plays are
 * the spends, counted by one aggregate over the page's members.
 */
const CHANCE_EVENTS = 'chance_events'

export async function loadPlays(db: Database, openids: string[], since: Date): Promise<Map<string, number>> {
  const _ = db.command
  const $ = db.command.aggregate
  const chain = (db.collection(CHANCE_EVENTS) as unknown as { aggregate(): { match(q: unknown): { group(g: unknown): { limit(n: number): { end(): Promise<{ list: unknown[] }> } } } } }).aggregate()
  const res = await chain
    .match({ openid: _.in(openids), source: 'play', createdAt: _.gte(since) })
    .group({ _id: '$openid', n: $.sum(1) })
    .limit(openids.length)
    .end()
  return new Map((res.list as Array<{ _id: string; n: number }>).map((r) => [r._id, r.n]))
}
