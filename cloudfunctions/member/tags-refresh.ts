import type { ActionContext } from '../shared/handler'
import { COLLECTIONS } from '../shared/collections'
import { computeAutoTags } from '../domain/tags'
import { list, updatedCount } from '../services/db-util'
import type { MemberDoc } from '../services/documents'
import { loadSettings } from '../services/settings'

const PAGE = 100

/**
 * Daily timer: the tags that change with time alone (新会员 ends, 沉睡 begins, 本月生日 moves
 * with the month). Walks members by _id in pages and writes only those whose tags changed.
 */
export async function refreshAutoTags(ctx: ActionContext): Promise<{ scanned: number; updated: number }> {
  const settings = await loadSettings(ctx.db)
  const now = ctx.now()
  const _ = ctx.db.command
  let lastId = ''
  let scanned = 0
  let updated = 0
  for (;;) {
    const page = await list<MemberDoc>(
      ctx.db.collection(COLLECTIONS.members).where({ _id: _.gt(lastId) }).orderBy('_id', 'asc').limit(PAGE),
    )
    for (const m of page) {
      const tags = computeAutoTags(
        { joinedAt: new Date(m.createdAt), lastVisitAt: m.lastVisitAt ? new Date(m.lastVisitAt) : null, totalSpentFen: m.totalSpentFen, birthday: m.birthday, referrerOpenid: m.referrerOpenid, storeVisits: m.storeVisits },
        settings,
        now,
      )
      if (tags.join('|') !== (m.autoTags ?? []).join('|')) {
        // Only if the member has not changed since it was read: a payment meanwhile wrote fresher tags.
        updated += await updatedCount(ctx.db.collection(COLLECTIONS.members).where({ _id: m._id, updatedAt: m.updatedAt }).update({ data: { autoTags: tags } }))
      }
    }
    scanned += page.length
    if (page.length < PAGE) break
    lastId = page[page.length - 1]!._id
  }
  return { scanned, updated }
}
