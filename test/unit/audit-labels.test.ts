import { ADMIN_ACTIONS, type AdminAction } from '../../cloudfunctions/domain/permissions'
import { AUDIT_ACTION_LABELS } from '../../miniprogram/shared/audit-labels'

describe('audit action labels', () => {
  it('names every admin action that changes something in Chinese (the audit list shows it)', () => {
    const changing = (Object.keys(ADMIN_ACTIONS) as AdminAction[]).filter((a) => ADMIN_ACTIONS[a].changes)
    const unlabelled = changing.filter((a) => !/[\u4e00-\u9fff]/.test(AUDIT_ACTION_LABELS[a] ?? ''))
    expect(unlabelled).toEqual([])
    // and no label for an action that is not a changing row (a typo would never show)
    expect(Object.keys(AUDIT_ACTION_LABELS).filter((a) => !changing.includes(a as AdminAction))).toEqual([])
  })
})
