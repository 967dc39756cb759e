import { ADMIN_ACTIONS, decide, type AdminAction, type StaffRole } from '../../../cloudfunctions/domain/permissions'
import { actions } from '../../../cloudfunctions/admin/index'
import { PUBLIC_ADMIN_ACTIONS } from '../../../cloudfunctions/admin/staff-context'
import { insertMember, seedCodeSecret, seedOrg, snapshot, startAdminCloud, STORE_INPUT, type AdminCloud, type Org } from './helpers'

/**
 * THE ROLE TABLE: every admin action × every kind of caller, and for store-scoped actions the
 * caller's own store (徐汇店, where the manager and clerk work) and another store (静安店).
 * Each cell is invoked for real as that identity: ✓ must answer ok, ✗ must answer FORBIDDEN and
 * change nothing in the database. Written out by hand, then also checked against decide() and
 * against the admin function's real actions map (every action but the public ones has its rows).
 */
type Who = StaffRole | 'consumer'
type Target = 'own' | 'other' | '-'
const WHO: Who[] = ['owner', 'hq', 'manager', 'clerk', 'consumer']
const Y = true
const N = false

//                                                owner  hq    manager clerk consumer
const TABLE: Array<[AdminAction, Target, boolean, boolean, boolean, boolean, boolean]> = [
  ['settings.get',    '-',                        Y,     Y,    Y,      Y,    N],
  ['settings.update', '-',                        Y,     N,    N,      N,    N],
  ['stores.list',     '-',                        Y,     Y,    Y,      Y,    N],
  ['stores.create',   '-',                        Y,     Y,    N,      N,    N],
  ['stores.update',   'own',                      Y,     Y,    Y,      N,    N],
  ['stores.update',   'other',                    Y,     Y,    N,      N,    N],
  ['staff.list',      '-',                        Y,     Y,    Y,      N,    N],
  ['staff.invite',    'own',                      Y,     Y,    Y,      N,    N],
  ['staff.invite',    'other',                    Y,     Y,    N,      N,    N],
  ['members.lookup',  '-',                        Y,     Y,    Y,      Y,    N],
  ['members.profile', '-',                        Y,     Y,    Y,      Y,    N],
  ['members.tag',     '-',                        Y,     Y,    Y,      N,    N],
  ['cashier.capture', 'own',                      Y,     N,    Y,      Y,    N],
  ['cashier.capture', 'other',                    Y,     N,    N,      N,    N],
  ['orders.refund',   'own',                      Y,     Y,    Y,      N,    N],
  ['orders.refund',   'other',                    Y,     Y,    N,      N,    N],
  // Counter fraud (issue 12): the approvals of clerks' large or typed-number sales.
  ['cashier.approvals', '-',                      Y,     N,    Y,      N,    N],
  ['cashier.approval', '-',                       Y,     N,    Y,      Y,    N],
  ['cashier.decide',  'own',                      Y,     N,    Y,      N,    N],
  ['cashier.decide',  'other',                    Y,     N,    N,      N,    N],
]

/** The actions the admin function really registers, less those any caller may run. */
const REGISTERED = Object.keys(actions).filter((a) => !(PUBLIC_ADMIN_ACTIONS as readonly string[]).includes(a)) as AdminAction[]

const CELLS = TABLE.flatMap(([action, target, ...allowed]) =>
  WHO.map((who, i) => ({ action, target, who, allowed: allowed[i] })),
)

let c: AdminCloud
let org: Org
const MEMBER_NO = '40400001'

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  await seedCodeSecret(c.db)
  await insertMember(c.db, 'o-role-table-member', MEMBER_NO, { firstStoreId: '', phone: '13900004040' })
})
afterAll(async () => {
  await c?.stop()
})

const openidOf = (who: Who): string => (who === 'consumer' ? 'o-just-a-consumer' : org[who])
const storeOf = (target: Target): string => (target === 'other' ? org.storeB : org.storeA)

let n = 0
/** A fresh, valid input for one cell (setting up what the action needs, e.g. a paid order to refund). */
async function inputFor(action: AdminAction, target: Target): Promise<Record<string, unknown>> {
  n += 1
  const storeId = storeOf(target)
  switch (action) {
    case 'settings.get':
    case 'stores.list':
    case 'staff.list':
      return {}
    case 'settings.update':
      return { brandName: `拾光咖啡${n}` }
    case 'stores.create':
      return { name: `新店${n}`, ...STORE_INPUT }
    case 'stores.update':
      return { storeId, hours: `08:${String(n % 60).padStart(2, '0')}-22:00` }
    case 'staff.invite':
      return { role: 'clerk', storeId }
    case 'members.lookup':
      return { memberNo: MEMBER_NO }
    case 'members.profile':
      return { memberNo: MEMBER_NO, page: 1 }
    case 'members.tag':
      return { memberNo: MEMBER_NO, tag: `标签${n}` }
    case 'cashier.capture':
      return { storeId, amountFen: 1000 + n, memberNo: MEMBER_NO, phoneLast4: '4040', clientRequestId: `role-table-${n}-capture` }
    case 'orders.refund': {
      const paid = await c.ok(org.owner, 'cashier.capture', { storeId, amountFen: 500 + n, memberNo: MEMBER_NO, clientRequestId: `role-table-${n}-refund` })
      return { outTradeNo: paid.outTradeNo }
    }
    case 'cashier.approvals':
      return {}
    case 'cashier.approval':
      return { approvalId: await pendingApproval(org.storeA, n) }
    case 'cashier.decide':
      return { approvalId: await pendingApproval(storeId, n), approve: true }
  }
}

/** A clerk's pending sale in `storeId`, as cashier.capture leaves one (inserted: store B has no clerk). */
async function pendingApproval(storeId: string, i: number): Promise<string> {
  const id = 'A' + String(i).padStart(30, '0')
  await c.db.collection('cashier_approvals').add({
    data: {
      _id: id, storeId, clerkOpenid: org.clerk, clerkName: '店员小赵', memberId: 'm_o-role-table-member', memberNo: MEMBER_NO, amountFen: 60_000 + i,
      clientRequestId: `role-table-${i}-approval`, reason: 'amount', status: 'pending', createdAt: new Date(), decidedAt: null, decidedBy: null, decidedByName: null, outTradeNo: null, pointsEarned: 0,
    },
  })
  return id
}

describe('the role table', () => {
  it('covers every action the admin function registers and agrees with decide()', () => {
    expect(new Set(TABLE.map(([a]) => a))).toEqual(new Set(REGISTERED))
    for (const action of REGISTERED) expect([action, actions[action].staffAction, action in ADMIN_ACTIONS]).toEqual([action, action, true])
    for (const [action, target] of TABLE) {
      if (ADMIN_ACTIONS[action].storeScoped) expect(target).not.toBe('-')
      else expect(target).toBe('-')
    }
    for (const cell of CELLS) {
      if (cell.who === 'consumer') continue
      const scope = { role: cell.who, storeIds: cell.who === 'manager' || cell.who === 'clerk' ? ['STORE_A'] : [] }
      const store = cell.target === '-' ? undefined : cell.target === 'own' ? 'STORE_A' : 'STORE_B'
      expect([cell.action, cell.target, cell.who, decide(scope, cell.action, store).allowed]).toEqual([cell.action, cell.target, cell.who, cell.allowed])
    }
  })

  it.each(CELLS.map((cell) => [`${cell.action}${cell.target === '-' ? '' : ` @${cell.target} store`} as ${cell.who} → ${cell.allowed ? 'allowed' : 'FORBIDDEN'}`, cell] as const))(
    '%s',
    async (_name, cell) => {
      const input = await inputFor(cell.action, cell.target)
      const before = await snapshot(c.db)
      const res = await c.admin(openidOf(cell.who), cell.action, input)
      if (cell.allowed) {
        expect(res).toMatchObject({ ok: true })
      } else {
        expect(res).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/\S/) })
        expect(await snapshot(c.db)).toBe(before)
      }
    },
  )

  it('answers UNAUTHENTICATED to a caller without an OPENID, for every action, changing nothing', async () => {
    const before = await snapshot(c.db)
    for (const action of REGISTERED) {
      // Inputs that need no setup: orders.refund and the approval actions would otherwise write what they act on.
      const noSetup: Record<string, unknown> = { 'orders.refund': { outTradeNo: 'C0' }, 'cashier.approval': { approvalId: 'A' + '0'.repeat(30) }, 'cashier.decide': { approvalId: 'A' + '0'.repeat(30), approve: true } }
      const res = await c.admin('', action, action in noSetup ? noSetup[action] : await inputFor(action, 'own'))
      expect([action, res]).toEqual([action, expect.objectContaining({ ok: false, code: 'UNAUTHENTICATED' })])
    }
    expect(await snapshot(c.db)).toBe(before)
  })

  it('lets anyone ask `me`, and scopes store lists to the caller', async () => {
    expect(await c.ok('o-just-a-consumer', 'me')).toEqual({ staff: null })
    expect(await c.ok('', 'me')).toEqual({ staff: null })
    const managerStores = await c.ok(org.manager, 'stores.list')
    expect(managerStores.stores.map((s: any) => s.id)).toEqual([org.storeA])
    const ownerStores = await c.ok(org.owner, 'stores.list')
    expect(ownerStores.stores.map((s: any) => s.id)).toEqual(expect.arrayContaining([org.storeA, org.storeB]))
  })

  it('only lets owner/HQ open or close a store, and validates store fields', async () => {
    const before = await snapshot(c.db)
    expect(await c.admin(org.manager, 'stores.update', { storeId: org.storeA, status: 'closed' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    for (const bad of [
      { storeId: org.storeA, latitude: 91 },
      { storeId: org.storeA, longitude: -181 },
      { storeId: org.storeA, name: '' },
      { storeId: org.storeA, name: '名'.repeat(31) },
      { storeId: org.storeA, address: '址'.repeat(101) },
      { storeId: org.storeA, phone: 'call me' },
      { storeId: org.storeA, hours: 'h'.repeat(51) },
      { storeId: org.storeA },
      { storeId: org.storeA, latitude: '31' },
    ]) {
      expect(await c.admin(org.owner, 'stores.update', bad)).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    }
    expect(await c.admin(org.owner, 'stores.create', { name: '缺坐标', address: '某路 1 号' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await c.admin(org.owner, 'stores.update', { storeId: 'no-such-store', hours: '9-5' })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await snapshot(c.db)).toBe(before)
    const updated = await c.ok(org.manager, 'stores.update', { storeId: org.storeA, phone: '021-87654321', latitude: 31.2, longitude: 121.5 })
    expect(updated.store).toMatchObject({ id: org.storeA, phone: '021-87654321', latitude: 31.2, longitude: 121.5, name: '徐汇店' })
  })

  it('validates settings: ascending tiers, multipliers 100..500, fenPerPoint 1..100000, brand 1..20 chars', async () => {
    const tiers = (await c.ok(org.clerk, 'settings.get')).settings.tiers
    const before = await snapshot(c.db)
    const bad = [
      { brandName: '' },
      { brandName: '品'.repeat(21) },
      { fenPerPoint: 0 },
      { fenPerPoint: 100_001 },
      { fenPerPoint: 1.5 },
      { tiers: [] },
      { tiers: [{ ...tiers[0], minGrowth: 10 }] },
      { tiers: [tiers[0], { ...tiers[1], minGrowth: 0 }] },
      { tiers: [tiers[1], tiers[0]] },
      { tiers: [tiers[0], { ...tiers[1], multiplierPercent: 99 }] },
      { tiers: [tiers[0], { ...tiers[1], multiplierPercent: 501 }] },
      { card: { background: 'red', textColor: '#ffffff' } },
      { logoUrl: 'javascript:alert(1)' },
      {},
      { unknown: 1 },
    ]
    for (const input of bad) expect([input, await c.admin(org.owner, 'settings.update', input)]).toEqual([input, expect.objectContaining({ ok: false, code: 'INVALID_INPUT' })])
    expect(await snapshot(c.db)).toBe(before)
    const next = [tiers[0], { ...tiers[1], minGrowth: 800, multiplierPercent: 500 }, { name: '钻石会员', minGrowth: 5000, multiplierPercent: 200, benefits: [] }]
    const res = await c.ok(org.owner, 'settings.update', { tiers: next, fenPerPoint: 50, brandName: '拾光' })
    expect(res.settings.tiers.map((t: any) => [t.level, t.minGrowth])).toEqual([[1, 0], [2, 800], [3, 5000]])
    expect((await c.ok(org.clerk, 'settings.get')).settings).toMatchObject({ brandName: '拾光', fenPerPoint: 50 })
  })
})
