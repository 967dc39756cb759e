import type { ActionContext } from '../shared/handler'
import { COLLECTIONS } from '../shared/collections'
import { list } from '../services/db-util'
import type { MemberDoc } from '../services/documents'
import { refreshTagsOf } from '../services/member-tags'
import { loadSettings } from '../services/settings'

const PAGE = 100

/**
 * Daily timer, where the runtime has timer triggers: the tags that change with time alone (新会员
 * ends, 沉睡 begins, 本月生日 moves with the month), refreshed ahead of time. Nothing depends on
 * it: reads recompute stale tags themselves (services/member-tags.ts withFreshTags). Walks
 * members by _id in pages and writes only those whose tags changed.
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
    updated += await refreshTagsOf(ctx.db, settings, page, now)
    scanned += page.length
    if (page.length < PAGE) break
    lastId = page[page.length - 1]._id
  }
  return { scanned, updated }
}
