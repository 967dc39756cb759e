import { ADMIN_ACTIONS, INVITABLE_ROLES, type StaffRole } from '../../cloudfunctions/domain/permissions'
import { adminEntries, ENTRY_ACTIONS, ENTRY_ROLES, inviteDescription, settingsDescription, type AdminEntry } from '../../miniprogram/admin/pages/index/view-model'
import { canEditManualTags, TAG_ROLES } from '../../miniprogram/admin/pages/member/view-model'

const ROLES: StaffRole[] = ['owner', 'hq', 'manager', 'clerk']
const sorted = (xs: readonly string[]) => [...xs].sort()

describe('商家管理 entries mirror the server permission table', () => {
  it.each(Object.keys(ENTRY_ACTIONS) as AdminEntry[])('%s is shown to exactly the roles ADMIN_ACTIONS allows', (entry) => {
    expect(sorted(ENTRY_ROLES[entry])).toEqual(sorted(ADMIN_ACTIONS[ENTRY_ACTIONS[entry]].roles))
    for (const role of ROLES) {
      expect(adminEntries(role)[entry]).toBe((ADMIN_ACTIONS[ENTRY_ACTIONS[entry]].roles as readonly string[]).includes(role))
    }
  })

  it('hides 收银 from HQ and 员工邀请 from clerks; shows nothing to an unknown role', () => {
    expect(adminEntries('hq')).toEqual({ cashier: false, members: true, staffInvite: true, stores: true, settings: true })
    expect(adminEntries('clerk')).toEqual({ cashier: true, members: true, staffInvite: false, stores: true, settings: true })
    expect(adminEntries('')).toEqual({ cashier: false, members: false, staffInvite: false, stores: false, settings: false })
  })

  it('staff.invite roles are exactly the roles that may invite someone', () => {
    for (const role of ROLES) expect(adminEntries(role).staffInvite).toBe(INVITABLE_ROLES[role].length > 0)
    expect(inviteDescription('manager')).toBe('生成邀请码，邀请店员加入')
    expect(inviteDescription('owner')).toBe('生成邀请码，邀请总部运营、店长、店员加入')
    expect(inviteDescription('clerk')).toBe('')
  })

  it('商家设置 is shown to every staff role (settings.get) and says who may change it (settings.update)', () => {
    expect(ENTRY_ACTIONS.settings).toBe('settings.get')
    for (const role of ROLES) expect(adminEntries(role).settings).toBe(true)
    for (const role of ROLES) {
      const editable = (ADMIN_ACTIONS['settings.update'].roles as readonly string[]).includes(role)
      expect(settingsDescription(role).includes('仅老板可修改')).toBe(!editable)
    }
  })

  it('manual tags are editable by exactly the roles members.tag allows', () => {
    expect(sorted(TAG_ROLES)).toEqual(sorted(ADMIN_ACTIONS['members.tag'].roles))
    for (const role of ROLES) expect(canEditManualTags(role)).toBe((ADMIN_ACTIONS['members.tag'].roles as readonly string[]).includes(role))
    expect(canEditManualTags('')).toBe(false)
  })
})
