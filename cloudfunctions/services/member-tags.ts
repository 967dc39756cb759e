import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import type { MerchantSettings } from '../domain/merchant-settings'
import { computeAutoTags, tagStamp, type TagFacts } from '../domain/tags'
import { updatedCount } from './db-util'
import type { MemberDoc } from './documents'

type TagSettings = Pick<MerchantSettings, 'lapseDays' | 'highSpendFen'>

export function tagFactsOf(m: MemberDoc): TagFacts {
  return {
    joinedAt: new Date(m.createdAt),
    lastVisitAt: m.lastVisitAt ? new Date(m.lastVisitAt) : null,
    totalSpentFen: m.totalSpentFen,
    birthday: m.birthday,
    referrerOpenid: m.referrerOpenid,
    storeVisits: m.storeVisits ?? {},
  }
}

const sameTags = (a: readonly string[], b: readonly string[]) => a.join('|') === b.join('|')

/**
 * The member with tags fit for today. Tags stamped on an earlier China day (or under other
 * thresholds) are recomputed and written back, only if the member has not changed since it was
 * read (a payment meanwhile wrote fresher tags, and wins). No timer is needed for tags to be
 * right when someone looks: new cloud environments may run functions without timer triggers.
 */
export async function withFreshTags(db: Database, settings: TagSettings, member: MemberDoc, now: Date): Promise<MemberDoc> {
  const stamp = tagStamp(settings, now)
  if (member.autoTagsStamp === stamp) return member
  const autoTags = computeAutoTags(tagFactsOf(member), settings, now)
  // updatedAt is left alone: tags that follow from the facts are not a change of the member.
  await db
    .collection(COLLECTIONS.members)
    .where({ _id: member._id, updatedAt: member.updatedAt })
    .update({ data: { autoTags, autoTagsStamp: stamp } })
  return { ...member, autoTags, autoTagsStamp: stamp }
}

/**
 * The daily refresh of a page of members, ahead of the reads: recomputes every member (whatever
 * its stamp), writes those whose tags changed (each on the same condition as above), and stamps
 * the unchanged stale ones in one update, so today's reads write nothing. Returns how many
 * members' tags changed.
 */
export async function refreshTagsOf(db: Database, settings: TagSettings, members: readonly MemberDoc[], now: Date): Promise<number> {
  const stamp = tagStamp(settings, now)
  let changed = 0
  const unchanged: string[] = []
  for (const m of members) {
    const tags = computeAutoTags(tagFactsOf(m), settings, now)
    if (sameTags(tags, m.autoTags ?? [])) {
      if (m.autoTagsStamp !== stamp) unchanged.push(m._id)
      continue
    }
    changed += await updatedCount(db.collection(COLLECTIONS.members).where({ _id: m._id, updatedAt: m.updatedAt }).update({ data: { autoTags: tags, autoTagsStamp: stamp } }))
  }
  if (unchanged.length > 0) {
    // Same tags, so a concurrent payment (which writes the same facts' tags with this stamp) cannot be undone here.
    await db.collection(COLLECTIONS.members).where({ _id: db.command.in(unchanged) }).update({ data: { autoTagsStamp: stamp } })
  }
  return changed
}
