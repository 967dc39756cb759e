import { capabilitiesOf, ENTRY_ACTIONS, type AdminEntry } from '../../cloudfunctions/domain/capabilities'
import { ADMIN_ACTIONS, decide, INVITABLE_ROLES, STAFF_ROLES, type AdminAction, type StaffScope } from '../../cloudfunctions/domain/permissions'

const STORES = ['S1', 'S2', 'S3']
const scopes: StaffScope[] = STAFF_ROLES.map((role) => ({ role, storeIds: role === 'owner' || role === 'hq' ? [] : ['S1'] }))

describe('capabilities (admin.me) say exactly what decide() allows', () => {
  it.each(scopes.map((s) => [s.role, s] as const))('%s: every action, on every store', (_role, scope) => {
    const caps = capabilitiesOf(scope, scope.storeIds.length ? scope.storeIds : STORES)
    for (const action of Object.keys(ADMIN_ACTIONS) as AdminAction[]) {
      const cap = caps.actions[action]
      for (const store of [...STORES, 'elsewhere']) {
        const may = cap === 'all' ? true : cap === false ? false : cap.includes(store)
        expect([action, store, may]).toEqual([action, store, decide(scope, action, store).allowed])
      }
    }
  })

  it('entries, invitable roles and flags follow the same table', () => {
    for (const scope of scopes) {
      const caps = capabilitiesOf(scope)
      for (const entry of Object.keys(ENTRY_ACTIONS) as AdminEntry[]) {
        const byRole = caps.actions[ENTRY_ACTIONS[entry]] !== false
        expect([scope.role, entry, caps.entries[entry]]).toEqual([scope.role, entry, entry === 'staffInvite' ? byRole && INVITABLE_ROLES[scope.role].length > 0 : byRole])
      }
      expect(caps.canEditSettings).toBe(decide(scope, 'settings.update').allowed)
      expect(caps.canTagMembers).toBe(decide(scope, 'members.tag').allowed)
      expect(caps.invitableRoles).toEqual(decide(scope, 'staff.invite', 'S1').allowed ? INVITABLE_ROLES[scope.role] : [])
    }
    expect(capabilitiesOf({ role: 'hq', storeIds: [] }).entries).toEqual({ cashier: false, members: true, staffInvite: true, stores: true, settings: true, staff: true, audit: true, subBrands: true, approvals: false, segments: true })
    expect(capabilitiesOf({ role: 'clerk', storeIds: ['S1'] }).entries).toEqual({ cashier: true, members: true, staffInvite: false, stores: true, settings: true, staff: false, audit: false, subBrands: true, approvals: false, segments: false })
    expect(capabilitiesOf({ role: 'clerk', storeIds: ['S1'] }).actions['cashier.capture']).toEqual(['S1'])
    expect(capabilitiesOf({ role: 'owner', storeIds: [] })).toMatchObject({ seesAllStores: true, canEditSettings: true, invitableRoles: ['hq', 'brand', 'region', 'manager', 'clerk'] })
  })

  it('lists only the stores a store-staff member has (and that exist)', () => {
    expect(capabilitiesOf({ role: 'manager', storeIds: ['S1', 'gone'] }, ['S1']).actions['orders.refund']).toEqual(['S1'])
  })

  it('a store clerk or manager whose stores are all gone is offered no store-scoped entry', () => {
    for (const role of ['manager', 'clerk'] as const) {
      const caps = capabilitiesOf({ role, storeIds: ['S-deleted'] }, [])
      expect([role, caps.actions['cashier.capture'], caps.entries.cashier, caps.entries.staffInvite, caps.invitableRoles]).toEqual([role, [], false, false, []])
      // Actions that are not store-scoped stay offered.
      expect([role, caps.entries.members]).toEqual([role, true])
    }
  })
})
