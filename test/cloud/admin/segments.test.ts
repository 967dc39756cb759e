import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { DEFAULT_SETTINGS } from '../../../cloudfunctions/domain/merchant-settings'
import { memberIdOf } from '../../../cloudfunctions/services/documents'
import { audienceOf } from '../../../cloudfunctions/services/segments'
import { rfmSegments, DEFAULT_RFM, type SegmentCondition, type SegmentGroup } from '../../../miniprogram/shared/segment-rules'
import { all, insertMember, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from './helpers'

/**
 * Segments (人群): every condition type, and/or groups and the staff scope, evaluated by the
 * server on a seeded population and checked against an oracle written here from the seed's own
 * description (not from the compiler). The evaluation runs in-process on the same database for
 * the full member list, and through admin.segments.preview for the count and the masked sample.
 */
const DAY = 86_400_000
const NOW = Date.now()
const ago = (d: number) => new Date(NOW - d * DAY)

interface Seed {
  openid: string
  memberNo: string
  tier: number
  /** Paid (or refunded) orders, days ago. */
  orders: Array<{ days: number; fen: number; refunded?: boolean }>
  firstStore: 'A' | 'B' | ''
  visits: { A?: number; B?: number }
  touchpoint: string
  referred: boolean
  birthday: string | null
  manualTags: string[]
  coupons: Array<{ status: 'available' | 'used' | 'given'; expired?: boolean; tpl: 't1' | 't2' }>
  plays: number[]
  joinedDays: number
}

/** A deterministic population of 60 with every kind of fact spread across it. */
function population(): Seed[] {
  const seeds: Seed[] = []
  for (let i = 0; i < 60; i += 1) {
    const orderCount = i % 7
    const orders = Array.from({ length: orderCount }, (_, k) => ({ days: ((i * 13 + k * 29) % 200) + 1, fen: 1500 + ((i * 37 + k * 11) % 9) * 1000, refunded: (i + k) % 11 === 0 }))
    seeds.push({
      openid: `o-seg-${String(i).padStart(3, '0')}`,
      memberNo: String(50_000_000 + i),
      tier: (i % 3) + 1,
      orders,
      firstStore: i % 5 === 0 ? '' : i % 2 === 0 ? 'A' : 'B',
      visits: orderCount === 0 ? {} : i % 4 === 0 ? { A: 1, B: 3 } : i % 4 === 1 ? { A: 4, B: 1 } : i % 4 === 2 ? { A: 2 } : { B: 2 },
      touchpoint: ['poster', 'table:7', 'wifi'][i % 3],
      referred: i % 6 === 1,
      birthday: i % 8 === 0 ? null : `${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
      manualTags: i % 9 === 0 ? ['咖啡豆爱好者'] : i % 9 === 4 ? ['企业客户', '咖啡豆爱好者'] : [],
      coupons: Array.from({ length: i % 4 }, (_, k) => ({ status: (['available', 'used', 'given'] as const)[(i + k) % 3], expired: (i + k) % 5 === 0, tpl: k % 2 === 0 ? 't1' : 't2' })),
      plays: Array.from({ length: i % 5 }, (_, k) => ((i * 7 + k * 17) % 60) + 1),
      joinedDays: 10 + ((i * 17) % 300),
    })
  }
  return seeds
}

const SEEDS = population()

// ---- the oracle: what each condition means, over the seed description ----
const paid = (s: Seed) => s.orders.filter((o) => !o.refunded)
const lastVisitDays = (s: Seed) => (s.orders.length ? Math.min(...s.orders.map((o) => o.days)) : null)
const favourite = (s: Seed): 'A' | 'B' | null => {
  const a = s.visits.A ?? 0
  const b = s.visits.B ?? 0
  if (a === 0 && b === 0) return null
  return a >= b ? (a === b ? null : 'A') : 'B'
}
const cmp = (op: 'gte' | 'lte', v: number, t: number) => (op === 'gte' ? v >= t : v <= t)

let c: AdminCloud
let org: Org
let storeOf: (k: 'A' | 'B') => string

function oracle(cond: SegmentCondition, s: Seed): boolean {
  switch (cond.kind) {
    case 'tag':
      return cond.source === 'manual' ? s.manualTags.includes(cond.tag) === cond.has : autoTagOracle(cond.tag, s) === cond.has
    case 'tier':
      return cond.levels.includes(s.tier)
    case 'recency': {
      const d = lastVisitDays(s)
      return cond.op === 'lte' ? d !== null && d <= cond.days : d === null || d >= cond.days
    }
    case 'frequency':
      return cmp(cond.op, paid(s).filter((o) => o.days <= cond.windowDays).length, cond.count)
    case 'monetary':
      return cmp(cond.op, paid(s).filter((o) => o.days <= cond.windowDays).reduce((x, o) => x + o.fen, 0), cond.fen)
    case 'aov': {
      const p = paid(s)
      return p.length > 0 && cmp(cond.op, p.reduce((x, o) => x + o.fen, 0) / p.length, cond.fen)
    }
    case 'store': {
      const which = cond.which === 'first' ? s.firstStore : favourite(s)
      return !!which && cond.storeIds.includes(storeOf(which))
    }
    case 'touchpoint':
      return cond.touchpoints.includes(s.touchpoint)
    case 'referred':
      return s.referred === cond.value
    case 'birthdayMonth':
      return s.birthday !== null && cond.months.includes(Number(s.birthday.slice(0, 2)))
    case 'coupons': {
      const mine = s.coupons.filter((x) => !cond.templateId || cond.templateId === tplIds[x.tpl])
      const n = cond.state === 'held' ? mine.filter((x) => x.status === 'available' && !x.expired).length : mine.filter((x) => x.status === 'used').length
      return cmp(cond.op, n, cond.count)
    }
    case 'gamePlays':
      return cmp(cond.op, s.plays.filter((d) => d <= cond.windowDays).length, cond.count)
  }
}

/** 沉睡 (no visit for lapseDays = 60) and 好友推荐, from the seed. */
function autoTagOracle(tag: string, s: Seed): boolean {
  if (tag === '沉睡') {
    const d = lastVisitDays(s)
    return d === null || d > DEFAULT_SETTINGS.lapseDays
  }
  if (tag === '好友推荐') return s.referred
  throw new Error(`no oracle for ${tag}`)
}

function groupOracle(g: SegmentGroup, s: Seed): boolean {
  const each = g.items.map((i) => ('kind' in i ? oracle(i, s) : groupOracle(i, s)))
  return g.op === 'and' ? each.every(Boolean) : each.some(Boolean)
}

const tplIds = { t1: 'tpl-seg-1', t2: 'tpl-seg-2' }

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  storeOf = (k) => (k === 'A' ? org.storeA : org.storeB)
  for (const s of SEEDS) {
    const p = paid(s)
    const last = lastVisitDays(s)
    await insertMember(c.db, s.openid, s.memberNo, {
      tierLevel: s.tier,
      totalSpentFen: p.reduce((x, o) => x + o.fen, 0),
      paidOrderCount: p.length,
      visitCount: s.orders.length,
      lastVisitAt: last === null ? null : ago(last),
      firstStoreId: s.firstStore ? storeOf(s.firstStore) : '',
      storeVisits: Object.fromEntries(Object.entries(s.visits).map(([k, v]) => [storeOf(k as 'A' | 'B'), v])),
      sourceTouchpoint: s.touchpoint,
      referrerOpenid: s.referred ? 'o-seg-000' : null,
      birthday: s.birthday,
      manualTags: s.manualTags,
      phone: `139${s.memberNo}`,
      createdAt: ago(s.joinedDays),
    })
    for (const [k, o] of s.orders.entries()) {
      await c.db.collection(COLLECTIONS.orders).add({
        data: { _id: `seg-${s.openid}-${k}`, outTradeNo: `SEG${s.memberNo}${k}`, openid: s.openid, memberId: memberIdOf(s.openid), storeId: org.storeA, amountFen: o.fen, status: o.refunded ? 'refunded' : 'paid', channel: 'cashier', clerkOpenid: null, touchpoint: '', pointsEarned: 0, joined: false, transactionId: null, createdAt: ago(o.days), paidAt: ago(o.days), refundedAt: o.refunded ? ago(o.days) : null },
      })
    }
    for (const [k, x] of s.coupons.entries()) {
      await c.db.collection(COLLECTIONS.coupons).add({
        data: { _id: `segc-${s.openid}-${k}`, couponNo: `9${s.memberNo}${k}`, templateId: tplIds[x.tpl], openid: s.openid, claimedBy: s.openid, status: x.status, validFrom: ago(30), validUntil: x.expired ? ago(1) : new Date(NOW + 10 * DAY), usedAt: x.status === 'used' ? ago(2) : null },
      })
    }
    for (const [k, d] of s.plays.entries()) {
      await c.db.collection(COLLECTIONS.chanceEvents).add({ data: { _id: `play:${s.openid}:${k}`, gameId: 'g1', openid: s.openid, delta: -1, source: 'play', createdAt: ago(d), revokedAt: null, revoked: 0 } })
    }
    // A grant is not a play.
    await c.db.collection(COLLECTIONS.chanceEvents).add({ data: { _id: `grant:${s.openid}`, gameId: 'g1', openid: s.openid, delta: 3, source: 'daily', createdAt: ago(1), revokedAt: null, revoked: 0 } })
  }
}, 240_000)

afterAll(async () => {
  await c?.stop()
})

async function evaluate(root: SegmentGroup, scopeStoreIds: string[] | null = null): Promise<string[]> {
  const answer = await audienceOf(c.db, root, { now: new Date(NOW), settings: DEFAULT_SETTINGS, scopeStoreIds, sampleSize: 10_000, budgetMs: 60_000 })
  expect(answer.complete).toBe(true)
  expect(answer.count).toBe(answer.sample.length)
  return answer.sample.map((m) => m.memberNo).sort()
}

const expected = (root: SegmentGroup, scope: (s: Seed) => boolean = () => true) => SEEDS.filter((s) => scope(s) && groupOracle(root, s)).map((s) => s.memberNo).sort()
const one = (cond: SegmentCondition): SegmentGroup => ({ op: 'and', items: [cond] })

const CONDITIONS: Array<[string, () => SegmentCondition]> = [
  ['manual tag has', () => ({ kind: 'tag', source: 'manual', tag: '咖啡豆爱好者', has: true })],
  ['manual tag has not', () => ({ kind: 'tag', source: 'manual', tag: '企业客户', has: false })],
  ['auto tag 沉睡', () => ({ kind: 'tag', source: 'auto', tag: '沉睡', has: true })],
  ['auto tag 好友推荐 absent', () => ({ kind: 'tag', source: 'auto', tag: '好友推荐', has: false })],
  ['tier', () => ({ kind: 'tier', levels: [2, 3] })],
  ['recency within 30 days', () => ({ kind: 'recency', op: 'lte', days: 30 })],
  ['recency 90 days or more (and never)', () => ({ kind: 'recency', op: 'gte', days: 90 })],
  ['frequency ≥ 2 in 90 days', () => ({ kind: 'frequency', windowDays: 90, op: 'gte', count: 2 })],
  ['frequency ≤ 1 in 60 days', () => ({ kind: 'frequency', windowDays: 60, op: 'lte', count: 1 })],
  ['monetary ≥ ¥100 in 180 days', () => ({ kind: 'monetary', windowDays: 180, op: 'gte', fen: 10_000 })],
  ['monetary ≤ ¥50 in 120 days', () => ({ kind: 'monetary', windowDays: 120, op: 'lte', fen: 5_000 })],
  ['aov ≥ ¥55', () => ({ kind: 'aov', op: 'gte', fen: 5_500 })],
  ['aov ≤ ¥40', () => ({ kind: 'aov', op: 'lte', fen: 4_000 })],
  ['first store A', () => ({ kind: 'store', which: 'first', storeIds: [org.storeA] })],
  ['favourite store B', () => ({ kind: 'store', which: 'favourite', storeIds: [org.storeB] })],
  ['touchpoint', () => ({ kind: 'touchpoint', touchpoints: ['table:7', 'wifi'] })],
  ['referred', () => ({ kind: 'referred', value: true })],
  ['not referred', () => ({ kind: 'referred', value: false })],
  ['birthday month', () => ({ kind: 'birthdayMonth', months: [1, 12, 6] })],
  ['coupons held ≥ 1', () => ({ kind: 'coupons', state: 'held', op: 'gte', count: 1 })],
  ['coupons used ≥ 1 of t2', () => ({ kind: 'coupons', state: 'used', op: 'gte', count: 1, templateId: tplIds.t2 })],
  ['coupons held ≤ 0', () => ({ kind: 'coupons', state: 'held', op: 'lte', count: 0 })],
  ['game plays ≥ 2 in 30 days', () => ({ kind: 'gamePlays', windowDays: 30, op: 'gte', count: 2 })],
]

describe('segment conditions on a seeded population', () => {
  it.each(CONDITIONS)('%s returns exactly the members it describes', async (_name, make) => {
    const root = one(make())
    const want = expected(root)
    // Each condition selects some but not all: the case tells members apart.
    expect(want.length).toBeGreaterThan(0)
    expect(want.length).toBeLessThan(SEEDS.length)
    expect(await evaluate(root)).toEqual(want)
  })

  it('combines with and / or, nested', async () => {
    const cases: SegmentGroup[] = [
      { op: 'and', items: [{ kind: 'tier', levels: [1, 2] }, { kind: 'frequency', windowDays: 120, op: 'gte', count: 1 }, { kind: 'touchpoint', touchpoints: ['poster', 'wifi'] }] },
      { op: 'or', items: [{ kind: 'referred', value: true }, { kind: 'tag', source: 'manual', tag: '企业客户', has: true }, { kind: 'birthdayMonth', months: [3] }] },
      { op: 'or', items: [{ kind: 'gamePlays', windowDays: 60, op: 'gte', count: 3 }, { kind: 'tier', levels: [3] }] },
      {
        op: 'and',
        items: [
          { kind: 'recency', op: 'gte', days: 20 },
          { op: 'or', items: [{ kind: 'monetary', windowDays: 200, op: 'gte', fen: 12_000 }, { kind: 'coupons', state: 'held', op: 'gte', count: 1 }] },
        ],
      },
    ]
    for (const root of cases) {
      const want = expected(root)
      expect(want.length).toBeGreaterThan(0)
      expect(await evaluate(root)).toEqual(want)
    }
  })

  it('ready-made RFM segments (thresholds configurable) match their definitions', async () => {
    const t = { ...DEFAULT_RFM, recencyDays: 40, frequency: 2, monetaryFen: 8_000, windowDays: 200 }
    for (const preset of rfmSegments(t)) expect([preset.name, await evaluate(preset.root)]).toEqual([preset.name, expected(preset.root)])
  })

  it('scopes a store manager to members whose first or favourite store is theirs', async () => {
    const inA = (s: Seed) => s.firstStore === 'A' || favourite(s) === 'A'
    const root = one({ kind: 'tier', levels: [1, 2, 3] })
    const want = expected(root, inA)
    expect(want.length).toBeLessThan(SEEDS.length)
    expect(await evaluate(root, [org.storeA])).toEqual(want)
    // Through the function: the manager's preview counts only those; HQ's counts everyone.
    const mine = await c.ok(org.manager, 'segments.preview', { root })
    expect(mine.count).toBe(want.length)
    expect(mine.sample.map((r: { memberNo: string }) => r.memberNo)).toEqual(want.slice(0, 5))
    expect(mine.sample[0].phone).toMatch(/^139\*{4}\d{4}$/)
    const hq = await c.ok(org.hq, 'segments.preview', { root })
    expect(hq.count).toBe(SEEDS.length)
    // An exact member-field segment at HQ is one count (+ the sample's get).
    expect(hq.cost).toMatchObject({ exact: true, counts: 1, aggregates: 0 })
  })
})

describe('saving segments', () => {
  it('saves, lists, gets and removes, with an audit line each', async () => {
    const root = one({ kind: 'recency', op: 'gte', days: 60 })
    const saved = await c.ok(org.owner, 'segments.save', { name: '60 天未到店', root })
    const listed = await c.ok(org.owner, 'segments.list', {})
    expect(listed.segments.map((s: { id: string }) => s.id)).toContain(saved.segment.id)
    expect(listed.presets.map((p: { name: string }) => p.name)).toEqual(['重要价值会员', '重要唤回会员', '一般保持会员', '沉睡会员'])
    expect((await c.ok(org.owner, 'segments.get', { segmentId: saved.segment.id })).segment.root).toEqual(root)
    const preview = await c.ok(org.owner, 'segments.preview', { segmentId: saved.segment.id })
    expect(preview.count).toBe(expected(root).length)
    await c.ok(org.owner, 'segments.remove', { segmentId: saved.segment.id })
    expect(await c.admin(org.owner, 'segments.get', { segmentId: saved.segment.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    const lines = (await all(c.db, COLLECTIONS.audit)).filter((l) => l.target === `segment:${saved.segment.id}`)
    expect(lines.map((l) => l.action).sort()).toEqual(['segments.remove', 'segments.save'])
  })

  it("keeps a manager's segments to their store and refuses naming another store", async () => {
    const before = await snapshot(c.db)
    const otherStore = one({ kind: 'store', which: 'first', storeIds: [org.storeB] })
    expect(await c.admin(org.manager, 'segments.save', { name: '别家会员', root: otherStore })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.manager, 'segments.preview', { root: otherStore })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await snapshot(c.db)).toBe(before)
    const hqSeg = await c.ok(org.hq, 'segments.save', { name: '全体', root: one({ kind: 'tier', levels: [1] }) })
    const mine = await c.ok(org.manager, 'segments.save', { name: '本店', root: one({ kind: 'tier', levels: [1] }) })
    const seen = (await c.ok(org.manager, 'segments.list', {})).segments.map((s: { id: string }) => s.id)
    expect(seen).toContain(mine.segment.id)
    expect(seen).not.toContain(hqSeg.segment.id)
    expect(await c.admin(org.manager, 'segments.get', { segmentId: hqSeg.segment.id })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.manager, 'segments.remove', { segmentId: hqSeg.segment.id })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    // The clerk has no segments at all.
    expect(await c.admin(org.clerk, 'segments.list', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })

  it('refuses bad inputs with specific codes and changes nothing', async () => {
    const before = await snapshot(c.db)
    const bad: Array<[string, unknown]> = [
      ['segments.save', { name: '', root: one({ kind: 'tier', levels: [1] }) }],
      ['segments.save', { name: '人'.repeat(21), root: one({ kind: 'tier', levels: [1] }) }],
      ['segments.save', { name: '空', root: { op: 'and', items: [] } }],
      ['segments.save', { name: '坏', root: one({ kind: 'tier', levels: [] } as never) }],
      ['segments.save', { name: '坏', root: one({ kind: 'frequency', windowDays: 0, op: 'gte', count: 1 }) }],
      ['segments.save', { name: '坏', root: one({ kind: 'frequency', windowDays: 400, op: 'gte', count: 1 }) }],
      ['segments.save', { name: '坏', root: one({ kind: 'monetary', windowDays: 30, op: 'gt', fen: 1 } as never) }],
      ['segments.save', { name: '坏', root: one({ kind: 'birthdayMonth', months: [13] }) }],
      ['segments.save', { name: '坏', root: one({ kind: 'store', which: 'first', storeIds: ['a.b'] }) }],
      ['segments.save', { name: '坏', root: one({ kind: 'nope' } as never) }],
      ['segments.save', { name: '坏', root: one({ kind: 'tag', source: 'manual', tag: 'a\u202eb', has: true }) }],
      ['segments.save', { name: '深', root: { op: 'and', items: [{ op: 'or', items: [{ op: 'and', items: [{ op: 'or', items: [{ kind: 'tier', levels: [1] }] }] }] }] } }],
      ['segments.save', { name: '多', root: { op: 'or', items: Array.from({ length: 13 }, () => ({ kind: 'tier', levels: [1] })) } }],
      ['segments.preview', { root: one({ kind: 'tier', levels: [1] }), extra: 1 }],
      ['segments.preview', {}],
      ['segments.settings', {}],
      ['segments.settings', { noticeCapDays: 0 }],
    ]
    for (const [action, input] of bad) expect([action, input, await c.admin(org.owner, action, input)]).toEqual([action, input, expect.objectContaining({ ok: false, code: 'INVALID_INPUT' })])
    expect(await c.admin(org.owner, 'segments.get', { segmentId: 'seg_missing' })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await c.admin(org.manager, 'segments.settings', { noticeCapDays: 3 })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await snapshot(c.db)).toBe(before)
  })

  it('owner sets RFM thresholds and the notice cap', async () => {
    const done = await c.ok(org.owner, 'segments.settings', { rfm: { recencyDays: 30, frequency: 3, monetaryFen: 30_000, windowDays: 180 }, noticeCapDays: 5 })
    expect(done.settings).toEqual({ rfm: { recencyDays: 30, frequency: 3, monetaryFen: 30_000, windowDays: 180 }, noticeCapDays: 5 })
    const listed = await c.ok(org.owner, 'segments.list', {})
    expect(listed.presets[0].root.items[0]).toEqual({ kind: 'recency', op: 'lte', days: 30 })
    expect(listed.settings.noticeCapDays).toBe(5)
  })
})
