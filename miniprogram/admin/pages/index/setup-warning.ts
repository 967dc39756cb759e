import type { Staff } from '../../../lib/staff-session'

/**
 * The owner's warning while the deployment's first-run setup is not confirmed (admin.me answers
 * it to the owner only): the steps left, or nothing once every unique index is confirmed.
 */
export function setupWarningOf(staff: Staff): string[] {
  const setup = staff.setup
  if (!setup || setup.state === 'ready') return []
  return setup.remaining.length > 0 ? setup.remaining : ['部署初始化尚未完成']
}
