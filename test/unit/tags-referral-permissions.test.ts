import { computeAutoTags, favouriteStore } from '../../cloudfunctions/domain/tags'
import { checkBind } from '../../cloudfunctions/domain/referral'
import { ADMIN_ACTIONS, decide, INVITABLE_ROLES, type StaffRole } from '../../cloudfunctions/domain/permissions'
import { DEFAULT_SETTINGS } from '../../cloudfunctions/domain/merchant-settings'

const DAY = 86_400_000
const now = new Date(Date.UTC(2026, 10, 22, 4, 0, 0)) // 22 Nov, noon in China

describe('automatic tags', () => {
  const base = { joinedAt: now, lastVisitAt: now, totalSpentFen: 0, birthday: null, referrerOpenid: null, storeVisits: {} }
  it('new and active right after joining', () => {
    expect(computeAutoTags(base, DEFAULT_SETTINGS, now)).toEqual(['新会员', '活跃'])
  })
  it('lapsing after the merchant\'s lapse days without a visit, and no longer active or new', () => {
    const old = { ...base, joinedAt: new Date(now.getTime() - 200 * DAY), lastVisitAt: new Date(now.getTime() - 61 * DAY) }
    expect(computeAutoTags(old, DEFAULT_SETTINGS, now)).toEqual(['沉睡'])
  })
  it('high spender, birthday this month (China time) and referred', () => {
    const tags = computeAutoTags({ ...base, totalSpentFen: 100000, birthday: '11-30', referrerOpenid: 'o-x' }, DEFAULT_SETTINGS, now)
    expect(tags).toEqual(expect.arrayContaining(['高消费', '本月生日', '好友推荐']))
    expect(computeAutoTags({ ...base, birthday: '12-01' }, DEFAULT_SETTINGS, now)).not.toContain('本月生日')
  })
  it('favourite store is the most visited, ties by id', () => {
    expect(favouriteStore({ b: 2, a: 2, c: 1 })).toBe('a')
    expect(favouriteStore({})).toBeNull()
  })
})

describe('referral binding rules', () => {
  const ok = { inviteeOpenid: 'o-b', inviterOpenid: 'o-a', inviteeIsMember: false, inviteeAlreadyBound: false, inviterAncestors: [] }
  it('binds a new friend', () => expect(checkBind(ok)).toBeNull())
  it('refuses self-invite, members, a second inviter, cycles and unknown inviters', () => {
    expect(checkBind({ ...ok, inviterOpenid: 'o-b' })).toBe('SELF_INVITE')
    expect(checkBind({ ...ok, inviteeIsMember: true })).toBe('ALREADY_MEMBER')
    expect(checkBind({ ...ok, inviteeAlreadyBound: true })).toBe('ALREADY_BOUND')
    expect(checkBind({ ...ok, inviterAncestors: ['o-c', 'o-b'] })).toBe('CYCLE')
    expect(checkBind({ ...ok, inviterOpenid: null })).toBe('INVITER_NOT_MEMBER')
  })
})

describe('permissions', () => {
  const roles: StaffRole[] = ['owner', 'hq', 'brand', 'region', 'manager', 'clerk']
  it('owner and HQ act on every store; a manager or clerk only on their own', () => {
    expect(decide({ role: 'hq', storeIds: [] }, 'orders.refund', 'any')).toEqual({ allowed: true })
    expect(decide({ role: 'manager', storeIds: ['s1'] }, 'orders.refund', 's1')).toEqual({ allowed: true })
    expect(decide({ role: 'manager', storeIds: ['s1'] }, 'orders.refund', 's2')).toEqual({ allowed: false, reason: 'STORE' })
    expect(decide({ role: 'clerk', storeIds: ['s1'] }, 'cashier.capture', undefined)).toEqual({ allowed: false, reason: 'STORE' })
    expect(decide({ role: 'clerk', storeIds: ['s1'] }, 'orders.refund', 's1')).toEqual({ allowed: false, reason: 'ROLE' })
  })
  it('only the owner changes settings, and every role invites only below itself', () => {
    for (const role of roles) expect(decide({ role, storeIds: ['s1'] }, 'settings.update').allowed).toBe(role === 'owner')
    for (const role of roles) {
      const rank = roles.indexOf(role)
      for (const target of INVITABLE_ROLES[role]) expect(roles.indexOf(target)).toBeGreaterThan(rank)
    }
    expect(Object.keys(ADMIN_ACTIONS).length).toBeGreaterThan(5)
  })
})
