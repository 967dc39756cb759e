/**
 * Sub-brand coupon templates (coupon-gaps, issue 17): the sub-brand's operator creates and edits
 * templates usable at that sub-brand's stores; HQ sees all; a store's manager does not see
 * them; a claimed coupon is refused at a store of another sub-brand.
 */
import { seedChain, startAdminCloud, type AdminCloud, type Chain } from '../admin/helpers'
import { member, memberOk } from './helpers'

let c: AdminCloud
let org: Chain
beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedChain(c)
}, 240_000)
afterAll(async () => {
  await c?.stop()
})

const input = { storeId: null, title: '子品牌券', value: { type: 'cash', valueFen: 500 }, validity: { kind: 'relative', days: 30 }, stock: 10 }

describe('sub-brand coupon templates', () => {
  it('the operator makes one for their sub-brand (usable at its stores), edits it; HQ sees all; a manager and another sub-brand do not', async () => {
    const made = await c.ok(org.brand, 'couponTemplates.create', { ...input, subBrandId: org.b1 })
    expect(made.template).toMatchObject({ subBrandId: org.b1, storeId: null })
    expect([...made.template.usableStoreIds].sort()).toEqual([org.storeA, org.storeC].sort())
    expect(made.template.issuerName).not.toBe('总部')
    const id = made.template.id
    await c.ok(org.brand, 'couponTemplates.update', { templateId: id, rulesText: '子品牌门店通用' })
    await c.ok(org.brand, 'couponTemplates.setStatus', { templateId: id, to: 'active' })
    // A subset of its stores is fine; a store of another sub-brand is not.
    expect(await c.admin(org.brand, 'couponTemplates.create', { ...input, subBrandId: org.b1, usableStoreIds: [org.storeA] })).toMatchObject({ ok: true })
    expect(await c.admin(org.brand, 'couponTemplates.create', { ...input, subBrandId: org.b1, usableStoreIds: [org.storeB] })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.brand, 'couponTemplates.create', { ...input, subBrandId: org.b2 })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.brand, 'couponTemplates.create', { ...input, storeId: org.storeA, subBrandId: org.b1 })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    const hqList = await c.ok(org.hq, 'couponTemplates.list', {})
    expect(hqList.templates.map((t: any) => t.id)).toContain(id)
    const brandList = await c.ok(org.brand, 'couponTemplates.list', {})
    expect(brandList.templates.map((t: any) => t.id)).toContain(id)
    const b2 = await c.ok(org.hq, 'couponTemplates.create', { ...input, subBrandId: org.b2 })
    expect((await c.ok(org.brand, 'couponTemplates.list', {})).templates.map((t: any) => t.id)).not.toContain(b2.template.id)
    expect((await c.ok(org.manager, 'couponTemplates.list', {})).templates.map((t: any) => t.id)).not.toContain(id)
    expect(await c.admin(org.manager, 'couponTemplates.update', { templateId: id, rulesText: 'x' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })

    // A member's coupon from it pays at the sub-brand's store, not at another sub-brand's.
    const claimed = await memberOk(c, 'o-sub-brand-member', 'claimCoupon', { templateId: id })
    const usable = await memberOk(c, 'o-sub-brand-member', 'usableCoupons', { storeId: org.storeA, amountFen: 3000 })
    expect(usable.usable.map((u: any) => u.coupon.id)).toContain(claimed.coupon.id)
    expect(await member(c, 'o-sub-brand-member', 'createOrder', { storeId: org.storeB, amountFen: 3000, couponId: claimed.coupon.id })).toMatchObject({ ok: false, code: 'COUPON_WRONG_STORE' })
  })
})
