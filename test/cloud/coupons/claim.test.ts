import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { all, insertMember, seedCodeSecret, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'
import { activeTemplate, CASH, count, couponDoc, member, memberOk, RELATIVE_30, templateDoc } from './helpers'

let c: AdminCloud
let org: Org

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  await seedCodeSecret(c.db)
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

describe('claiming coupons', () => {
  it('1,000 concurrent claims against a stock of 100 issue exactly 100', async () => {
    const t = await activeTemplate(c, org, { title: '千人抢券', stock: 100 })
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => member(c, `o-flash-${i}`, 'claimCoupon', { templateId: t.id })))
    const ok = results.filter((r) => r.ok)
    expect(ok).toHaveLength(100)
    const codes = new Set(results.filter((r) => !r.ok).map((r) => (r as { code: string }).code))
    expect([...codes]).toEqual(['SOLD_OUT'])
    expect(await count(c, COLLECTIONS.coupons, { templateId: t.id })).toBe(100)
    expect(await count(c, COLLECTIONS.couponClaims, { templateId: t.id })).toBe(100)
    const after = await templateDoc(c, t.id)
    expect([after.stock, after.remaining]).toEqual([100, 0])
    // One coupon per winner, each with its own number.
    const rows = await all(c.db, COLLECTIONS.coupons, { templateId: t.id })
    expect(new Set(rows.map((r) => r.openid)).size).toBe(100)
    expect(new Set(rows.map((r) => r.couponNo)).size).toBe(100)
  }, 300_000)

  it('a member firing 20 claims at once with a limit of 2 gets 2, and the stock they did not keep is back', async () => {
    const t = await activeTemplate(c, org, { title: '每人两张', stock: 50, perMemberLimit: 2 })
    const results = await Promise.all(Array.from({ length: 20 }, () => member(c, 'o-greedy', 'claimCoupon', { templateId: t.id })))
    expect(results.filter((r) => r.ok)).toHaveLength(2)
    expect(new Set(results.filter((r) => !r.ok).map((r) => (r as { code: string }).code))).toEqual(new Set(['LIMIT_REACHED']))
    expect(await count(c, COLLECTIONS.coupons, { templateId: t.id, openid: 'o-greedy' })).toBe(2)
    expect((await templateDoc(c, t.id)).remaining).toBe(48)
    const again = await member(c, 'o-greedy', 'claimCoupon', { templateId: t.id })
    expect(again).toMatchObject({ ok: false, code: 'LIMIT_REACHED' })
  }, 120_000)

  it('a per-day limit holds under concurrency (limit 5 in total, 1 a day)', async () => {
    const t = await activeTemplate(c, org, { title: '每日一张', stock: 50, perMemberLimit: 5, perDayLimit: 1 })
    const results = await Promise.all(Array.from({ length: 10 }, () => member(c, 'o-daily', 'claimCoupon', { templateId: t.id })))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(new Set(results.filter((r) => !r.ok).map((r) => (r as { code: string }).code))).toEqual(new Set(['DAILY_LIMIT_REACHED']))
    const center = await memberOk(c, 'o-daily', 'couponCenter')
    const view = center.templates.find((x: any) => x.id === t.id)
    expect(view).toMatchObject({ claimedByMe: 1, claimedToday: 1, canClaim: false, blocked: 'DAILY_LIMIT_REACHED', remaining: 49 })
  }, 120_000)

  it('a non-member may claim (the coupon is theirs by openid) and sees it in 我的券', async () => {
    const t = await activeTemplate(c, org, { title: '新客券' })
    const claimed = await memberOk(c, 'o-not-yet-member', 'claimCoupon', { templateId: t.id })
    expect(claimed.coupon).toMatchObject({ title: '新客券', state: 'available', valueLabel: '¥5', conditionLabel: '无门槛' })
    const mine = await memberOk(c, 'o-not-yet-member', 'myCoupons', { tab: 'available' })
    expect(mine.coupons.map((x: any) => x.id)).toEqual([claimed.coupon.id])
    expect(mine.counts).toEqual({ available: 1, used: 0, expired: 0 })
  })

  it('audience: tiers and tags refuse others with NOT_ELIGIBLE (and hide the template from them)', async () => {
    await insertMember(c.db, 'o-gold', '30000001', { tierLevel: 2 })
    await insertMember(c.db, 'o-silver', '30000002', { tierLevel: 1, manualTags: ['咖啡控'] })
    const gold = await activeTemplate(c, org, { title: '金卡专享', audience: { kind: 'tiers', levels: [2, 3] } })
    const tagged = await activeTemplate(c, org, { title: '咖啡控专享', audience: { kind: 'tags', tags: ['咖啡控'] } })
    expect(await member(c, 'o-silver', 'claimCoupon', { templateId: gold.id })).toMatchObject({ ok: false, code: 'NOT_ELIGIBLE' })
    expect(await member(c, 'o-nobody', 'claimCoupon', { templateId: gold.id })).toMatchObject({ ok: false, code: 'NOT_ELIGIBLE' })
    expect(await member(c, 'o-gold', 'claimCoupon', { templateId: tagged.id })).toMatchObject({ ok: false, code: 'NOT_ELIGIBLE' })
    expect(await member(c, 'o-gold', 'claimCoupon', { templateId: gold.id })).toMatchObject({ ok: true })
    expect(await member(c, 'o-silver', 'claimCoupon', { templateId: tagged.id })).toMatchObject({ ok: true })
    const silverCenter = await memberOk(c, 'o-silver', 'couponCenter')
    expect(silverCenter.templates.map((x: any) => x.id)).not.toContain(gold.id)
  })

  it('paused, ended and draft templates cannot be claimed; resuming opens it again', async () => {
    const t = await activeTemplate(c, org, { title: '暂停券' })
    await c.ok(org.owner, 'couponTemplates.setStatus', { templateId: t.id, to: 'paused' })
    expect(await member(c, 'o-p', 'claimCoupon', { templateId: t.id })).toMatchObject({ ok: false, code: 'TEMPLATE_NOT_ACTIVE' })
    await c.ok(org.owner, 'couponTemplates.setStatus', { templateId: t.id, to: 'active' })
    expect(await member(c, 'o-p', 'claimCoupon', { templateId: t.id })).toMatchObject({ ok: true })
    await c.ok(org.owner, 'couponTemplates.setStatus', { templateId: t.id, to: 'ended' })
    expect(await member(c, 'o-p2', 'claimCoupon', { templateId: t.id })).toMatchObject({ ok: false, code: 'TEMPLATE_NOT_ACTIVE' })
    expect(await c.admin(org.owner, 'couponTemplates.setStatus', { templateId: t.id, to: 'active' })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })
    const draft = await c.ok(org.owner, 'couponTemplates.create', { storeId: null, title: '草稿券', value: CASH, validity: RELATIVE_30, stock: 5 })
    expect(await member(c, 'o-p', 'claimCoupon', { templateId: draft.template.id })).toMatchObject({ ok: false, code: 'TEMPLATE_NOT_ACTIVE' })
    expect(await member(c, 'o-p', 'couponTemplate', { templateId: draft.template.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })

  it('the campaign link: a QR code with a short scene, and the landing page finds the template by it', async () => {
    const t = await activeTemplate(c, org, { title: '扫码领券' })
    const link = await c.ok(org.owner, 'couponTemplates.link', { templateId: t.id })
    expect(link.scene).toBe(`t=${t.shortId}`)
    expect(link.scene.length).toBeLessThanOrEqual(32)
    expect(link.sharePath).toBe(`coupons/pages/claim/index?t=${t.shortId}`)
    expect(link.qrDataUrl).toMatch(/^data:image\/png;base64,iVBOR/)
    const landing = await memberOk(c, 'o-scan', 'couponTemplate', { shortId: t.shortId })
    expect(landing.template).toMatchObject({ id: t.id, canClaim: true })
  })
})

describe('templates: scope, state and what may change after the first claim', () => {
  it('a template edited after claims does not change the coupons already held', async () => {
    const t = await activeTemplate(c, org, { title: '改不了的券', value: { type: 'threshold', valueFen: 2000, thresholdFen: 10000 }, validity: { kind: 'relative', days: 7 }, stock: 10 })
    const held = await memberOk(c, 'o-holder', 'claimCoupon', { templateId: t.id })
    const before = await couponDoc(c, held.coupon.id)
    const snap = await snapshot(c.db)
    for (const change of [{ value: { type: 'cash', valueFen: 100 } }, { validity: { kind: 'relative', days: 1 } }, { title: '新标题' }, { stock: 5 }]) {
      const res = await c.admin(org.owner, 'couponTemplates.update', { templateId: t.id, ...change })
      expect([change, res]).toEqual([change, expect.objectContaining({ ok: false, code: 'TEMPLATE_LOCKED' })])
    }
    expect(await snapshot(c.db)).toBe(snap)
    const grown = await c.ok(org.owner, 'couponTemplates.update', { templateId: t.id, stock: 30, rulesText: '周末不可用' })
    expect(grown.template).toMatchObject({ stock: 30, remaining: 29, claimed: 1, rulesText: '周末不可用', editable: 'limited' })
    const after = await couponDoc(c, held.coupon.id)
    expect(after.terms).toEqual(before.terms)
    expect(after.validUntil).toEqual(before.validUntil)
    const detail = await memberOk(c, 'o-holder', 'couponDetail', { couponId: held.coupon.id })
    expect(detail.coupon).toMatchObject({ valueLabel: '¥20', conditionLabel: '满100可用' })
    expect(detail.rulesText).toBe('周末不可用')
    // Audited in the change's transaction.
    const lines = await all(c.db, COLLECTIONS.audit, { target: `coupon-template:${t.id}` })
    expect(lines.map((l) => l.action).sort()).toEqual(['couponTemplates.create', 'couponTemplates.setStatus', 'couponTemplates.update'])
  })

  it('before any claim everything is editable, and a claim takes the terms in force when it took stock', async () => {
    const t = await activeTemplate(c, org, { title: '可改券', stock: 10 })
    await c.ok(org.owner, 'couponTemplates.update', { templateId: t.id, value: { type: 'discount', ratePercent: 85, capFen: 3000 }, stock: 20 })
    const held = await memberOk(c, 'o-later', 'claimCoupon', { templateId: t.id })
    expect(held.coupon).toMatchObject({ valueLabel: '8.5折', conditionLabel: '最高减¥30' })
    expect((await templateDoc(c, t.id)).remaining).toBe(19)
  })

  it('a store manager works only with templates of their store; a template for every store is HQ’s', async () => {
    const mine = await c.ok(org.manager, 'couponTemplates.create', { storeId: org.storeA, title: '徐汇店券', value: CASH, validity: RELATIVE_30, stock: 5 })
    expect(mine.template).toMatchObject({ storeId: org.storeA, usableStoreIds: [org.storeA], status: 'draft' })
    const snap = await snapshot(c.db)
    expect(await c.admin(org.manager, 'couponTemplates.create', { storeId: null, title: '全店券', value: CASH, validity: RELATIVE_30, stock: 5 })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.manager, 'couponTemplates.create', { storeId: org.storeB, title: '别人的店', value: CASH, validity: RELATIVE_30, stock: 5 })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.manager, 'couponTemplates.create', { storeId: org.storeA, usableStoreIds: [org.storeA, org.storeB], title: '跨店', value: CASH, validity: RELATIVE_30, stock: 5 })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const hqTemplate = await c.ok(org.hq, 'couponTemplates.create', { storeId: null, title: '总部券', value: CASH, validity: RELATIVE_30, stock: 5 })
    expect(await c.admin(org.manager, 'couponTemplates.update', { templateId: hqTemplate.template.id, rulesText: '改' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.clerk, 'couponTemplates.list', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const listed = await c.ok(org.manager, 'couponTemplates.list', {})
    expect(listed.templates.every((x: any) => x.storeId === org.storeA)).toBe(true)
    expect(listed.templates.map((x: any) => x.id)).toContain(mine.template.id)
    const hqList = await c.ok(org.hq, 'couponTemplates.list', {})
    expect(hqList.templates.map((x: any) => x.id)).toEqual(expect.arrayContaining([mine.template.id, hqTemplate.template.id]))
    // Only the HQ template and the manager's own were added; the refusals wrote nothing (no template, no audit line).
    expect((await all(c.db, COLLECTIONS.couponTemplates)).length).toBe(JSON.parse(snap)[COLLECTIONS.couponTemplates].length + 1)
  })

  it('bad template input gets a specific error and changes nothing', async () => {
    const snap = await snapshot(c.db)
    const base = { storeId: null, title: '坏券', validity: RELATIVE_30, stock: 10 }
    const cases: [unknown, RegExp][] = [
      [{ ...base, value: { type: 'discount', ratePercent: 80 } }, /折扣券须设置最高优惠金额/],
      [{ ...base, value: { type: 'cash', valueFen: 500, ratePercent: 50 } }, /ratePercent|Unrecognized|无法识别|输入有误/],
      [{ ...base, value: { type: 'cash', valueFen: -500 } }, /面额/],
      [{ ...base, value: { type: 'threshold', valueFen: 5000, thresholdFen: 3000 } }, /门槛应高于减免金额/],
      [{ ...base, value: { type: 'discount', ratePercent: 120, capFen: 100 } }, /折扣/],
      [{ ...base, value: CASH, stock: -1 }, /库存/],
      [{ ...base, value: CASH, validity: { kind: 'fixed', startDate: '2026-12-31', endDate: '2026-01-01' } }, /结束日期/],
      [{ ...base, value: CASH, validity: { kind: 'fixed', startDate: '2026-02-30', endDate: '2026-03-01' } }, /日期/],
      [{ ...base, value: CASH, title: '\u202e券' }, /改变文字方向/],
    ]
    for (const [input, message] of cases) {
      const res = await c.admin(org.owner, 'couponTemplates.create', input)
      expect([input, res]).toEqual([input, expect.objectContaining({ ok: false, code: 'INVALID_INPUT', message: expect.stringMatching(message) })])
    }
    expect(await member(c, 'o-x', 'claimCoupon', { templateId: 'no-such-template' })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await member(c, 'o-x', 'claimCoupon', { templateId: '../../etc' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await snapshot(c.db)).toBe(snap)
  })
})
