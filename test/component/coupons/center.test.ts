import { mount, settle } from '../helpers/mount'
import { fakeCloud, fail, textOf, usePageTest } from '../helpers/fake-cloud'
import { centerTemplate, coupon } from '../helpers/coupon-fixtures'

describe('领券中心', () => {
  const { toasts } = usePageTest()

  it('lists claimable templates with stock, limits and validity, and claims one', async () => {
    let claimed = 0
    const cloud = fakeCloud({
      'member.couponCenter': () => ({
        templates: [
          centerTemplate(claimed ? { claimedByMe: 1, remaining: 36 } : {}),
          centerTemplate({ id: 'tpl-gone', title: '周末特惠', remaining: 0, canClaim: false, blocked: 'SOLD_OUT', blockedMessage: '已经被领完了' }),
          centerTemplate({ id: 'tpl-mine', title: '老客回馈', canClaim: false, blocked: 'LIMIT_REACHED', claimedByMe: 2, blockedMessage: '已达到领取上限' }),
        ],
      }),
      'member.claimCoupon': () => {
        claimed += 1
        return { coupon: coupon() }
      },
    })
    const page = mount('coupons/pages/center/index')
    page.instance.onLoad({})
    await settle()
    const text = textOf(page)
    expect(text).toContain('新客立减券')
    expect(text).toContain('领取后 7 天内有效 · 剩余 37 张')
    expect(text).toContain('每人限领 2 张 · 每天限领 1 张')
    expect(text).toContain('已抢光')
    expect(text).toContain('已领取')
    await page.instance.onClaim({ currentTarget: { dataset: { id: 'tpl-cash' } } })
    await settle()
    expect(cloud.calls.find((c) => c.action === 'claimCoupon')?.input).toEqual({ templateId: 'tpl-cash' })
    expect(toasts).toContain('领取成功，已放入「我的券」')
    expect(textOf(page)).toContain('剩余 36 张')
    expect(textOf(page)).toContain('已领 1 张')
  })

  it('a claim refused as sold out says so and reads the list again', async () => {
    let soldOut = false
    const cloud = fakeCloud({
      'member.couponCenter': () => ({ templates: [centerTemplate(soldOut ? { remaining: 0, canClaim: false, blocked: 'SOLD_OUT' } : {})] }),
      'member.claimCoupon': () => {
        soldOut = true
        return fail('SOLD_OUT', '已经被领完了')
      },
    })
    const page = mount('coupons/pages/center/index')
    page.instance.onLoad({})
    await settle()
    await page.instance.onClaim({ currentTarget: { dataset: { id: 'tpl-cash' } } })
    await settle()
    expect(toasts).toContain('已经被领完了')
    expect(cloud.actions().filter((a) => a === 'member.couponCenter')).toHaveLength(2)
    expect(page.data.items[0].canClaim).toBe(false)
    expect(textOf(page)).toContain('已抢光')
  })

  it('a double tap claims once', async () => {
    let release: () => void = () => undefined
    const cloud = fakeCloud({
      'member.couponCenter': { templates: [centerTemplate()] },
      'member.claimCoupon': () => new Promise((resolve) => (release = () => resolve({ coupon: coupon() }))),
    })
    const page = mount('coupons/pages/center/index')
    page.instance.onLoad({})
    await settle()
    const tap = { currentTarget: { dataset: { id: 'tpl-cash' } } }
    const first = page.instance.onClaim(tap)
    const second = page.instance.onClaim(tap)
    await settle()
    release()
    await Promise.all([first, second])
    expect(cloud.actions().filter((a) => a === 'member.claimCoupon')).toHaveLength(1)
  })

  it('shows the empty and error states', async () => {
    fakeCloud({ 'member.couponCenter': { templates: [] } })
    const empty = mount('coupons/pages/center/index')
    empty.instance.onLoad({})
    await settle()
    expect(empty.data.viewState).toBe('empty')
    expect(textOf(empty)).toContain('暂时没有可领取的优惠券')

    fakeCloud({ 'member.couponCenter': () => fail('NETWORK', '网络不给力，请稍后重试') })
    const broken = mount('coupons/pages/center/index')
    broken.instance.onLoad({})
    await settle()
    expect(broken.data.viewState).toBe('error')
    expect(textOf(broken)).toContain('网络不给力，请稍后重试')
  })
})
