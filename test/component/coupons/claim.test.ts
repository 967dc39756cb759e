import { mount, settle } from '../helpers/mount'
import { fakeCloud, fail, textOf, usePageTest } from '../helpers/fake-cloud'
import { centerTemplate, coupon } from '../helpers/coupon-fixtures'

describe('campaign claim page', () => {
  const { toasts } = usePageTest()

  it('opened from the QR code (scene t=<shortId>): shows the template and claims it', async () => {
    const cloud = fakeCloud({ 'member.couponTemplate': { template: centerTemplate({ rulesText: '到店出示即可' }) }, 'member.claimCoupon': { coupon: coupon({ id: 'cp-new' }) } })
    const page = mount('coupons/pages/claim/index')
    page.instance.onLoad({ scene: encodeURIComponent('t=Ab12Cd34') })
    await settle()
    expect(cloud.calls[0].input).toEqual({ shortId: 'Ab12Cd34' })
    const text = textOf(page)
    expect(text).toContain('¥10')
    expect(text).toContain('新客立减券')
    expect(text).toContain('到店出示即可')
    expect(text).toContain('立即领取')
    await page.instance.onClaim()
    await settle()
    expect(toasts).toContain('领取成功')
    expect(textOf(page)).toContain('领取成功，查看券')
  })

  it('opened from a share path (t=…) or by template id', async () => {
    const cloud = fakeCloud({ 'member.couponTemplate': { template: centerTemplate() } })
    const a = mount('coupons/pages/claim/index')
    a.instance.onLoad({ t: 'Ab12Cd34' })
    const b = mount('coupons/pages/claim/index')
    b.instance.onLoad({ templateId: 'tpl-cash' })
    await settle()
    expect(cloud.calls.map((c) => c.input)).toEqual([{ shortId: 'Ab12Cd34' }, { templateId: 'tpl-cash' }])
  })

  it('sold out: the button says so; a refused claim reads the template again', async () => {
    let gone = false
    const cloud = fakeCloud({
      'member.couponTemplate': () => ({ template: centerTemplate(gone ? { remaining: 0, canClaim: false, blocked: 'SOLD_OUT' } : {}) }),
      'member.claimCoupon': () => {
        gone = true
        return fail('SOLD_OUT', '已经被领完了')
      },
    })
    const page = mount('coupons/pages/claim/index')
    page.instance.onLoad({ t: 'Ab12Cd34' })
    await settle()
    await page.instance.onClaim()
    await settle()
    expect(toasts).toContain('已经被领完了')
    expect(cloud.actions().filter((x) => x === 'member.couponTemplate')).toHaveLength(2)
    expect(textOf(page)).toContain('已抢光')
  })

  it('a link without a template, or an unknown one, shows the error state', async () => {
    const cloud = fakeCloud({ 'member.couponTemplate': () => fail('NOT_FOUND', '优惠券活动不存在') })
    const none = mount('coupons/pages/claim/index')
    none.instance.onLoad({})
    await settle()
    expect(textOf(none)).toContain('活动链接无效')
    expect(cloud.calls).toHaveLength(0)
    const unknown = mount('coupons/pages/claim/index')
    unknown.instance.onLoad({ t: 'Zz99Zz99' })
    await settle()
    expect(unknown.data.viewState).toBe('error')
    expect(textOf(unknown)).toContain('优惠券活动不存在')
  })
})
