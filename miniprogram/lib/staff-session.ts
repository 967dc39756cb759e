import type { ActionOutput } from '../../cloudfunctions/shared/contract'
import { callCloud, identityEpoch } from './call-cloud'

/** What admin.me answers for the caller: their staff card, or null for a consumer. */
export type StaffSession = ActionOutput<'admin', 'me'>['staff']
export type Staff = NonNullable<StaffSession>

let cached: { epoch: number; session: Promise<StaffSession> } | null = null

/**
 * The caller's staff session, fetched once and shared by 我的 and every admin page (who one is
 * does not change while the app runs, except by joining: clearStaffSession()). A failed fetch is
 * not kept, so the next call (a retry) asks again. `fresh` asks again anyway (pull-down refresh).
 */
export function getStaffSession(opts: { fresh?: boolean } = {}): Promise<StaffSession> {
  const epoch = identityEpoch()
  if (!cached || cached.epoch !== epoch || opts.fresh) {
    const session = callCloud('admin', 'me', {}).then((r) => r.staff)
    const entry = { epoch, session }
    cached = entry
    session.catch(() => {
      if (cached === entry) cached = null
    })
  }
  return cached.session
}

/** After joinStaff / bootstrapOwner: the caller's role changed, the next read asks the server. */
export function clearStaffSession(): void {
  cached = null
}

export type StaffCapabilities = Staff['capabilities']
export type AdminActionName = keyof StaffCapabilities['actions']

/**
 * May the caller do `action` (in `storeId`, for store-scoped actions)? A lookup in what admin.me
 * computed with the server's own decide(); the server still checks every call.
 */
export function may(caps: StaffCapabilities, action: AdminActionName, storeId?: string): boolean {
  const scope = caps.actions[action]
  if (scope === 'all') return true
  if (scope === false) return false
  return storeId !== undefined && scope.includes(storeId)
}
