import { mount, settle } from '../helpers/mount'
import { fakeCloud, fail, stubWx, textOf, usePageTest } from '../helpers/fake-cloud'
import { coupon, myCoupons, thresholdCoupon } from '../helpers/coupon-fixtures'

describe('我的券 (the 优惠券 tab)', () => {
  const { restores } = usePageTest()

  it('shows the available tab with counts, the expiring badge, and opens a coupon', async () => {
    const badges: unknown[] = []
    restores.push(stubWx('setTabBarBadge', (o: { text: string }) => badges.push(o.text)))
    restores.push(stubWx('removeTabBarBadge', () => badges.push('removed')))
    const opened: string[] = []
    restores.push(stubWx('navigateTo', (o: { url: string }) => opened.push(o.url)))
    const cloud = fakeCloud({ 'member.myCoupons': myCoupons([thresholdCoupon, coupon()], { available: 2, used: 3, expired: 1 }, 1) })
    const page = mount('pages/coupons/index')
    page.instance.onLoad({})
    await settle()
    expect(page.data.viewState).toBe('ready')
    const text = textOf(page)
    expect(text).toContain('可使用2')
    expect(text).toContain('已使用3')
    expect(text).toContain('已过期1')
    expect(text).toContain('1 张即将过期')
    expect(text).toContain('满100减20')
    expect(text).toContain('即将过期')
    expect(text).toContain('有效期至 2026-12-03')
    // the server's order (soonest expiry first) is kept
    expect(page.data.items.map((i: { id: string }) => i.id)).toEqual(['cp-th-20', 'cp-cash-10'])
    expect(badges).toEqual(['1'])
    expect(cloud.calls[0].input).toEqual({ tab: 'available' })

    page.instance.onOpen({ currentTarget: { dataset: { id: 'cp-cash-10' } } })
    expect(opened).toEqual(['/coupons/pages/detail/index?id=cp-cash-10'])
  })

  it('switches tabs by asking the server for that tab', async () => {
    const used = coupon({ id: 'cp-used', state: 'used', stateName: '已使用', usedAt: '2026-11-30T04:00:00.000Z', usedStoreName: '静安南京西路店' })
    const cloud = fakeCloud({
      'member.myCoupons': (input) => (input.tab === 'used' ? myCoupons([used], { available: 1, used: 1, expired: 0 }) : myCoupons([coupon()], { available: 1, used: 1, expired: 0 })),
    })
    const page = mount('pages/coupons/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onTab({ currentTarget: { dataset: { key: 'used' } } })
    await settle()
    expect(cloud.calls.map((c) => c.input)).toEqual([{ tab: 'available' }, { tab: 'used' }])
    expect(textOf(page)).toContain('2026-11-30 已使用 · 静安南京西路店')
    expect(page.data.items[0].muted).toBe(true)
    // an empty tab says so while the others still have coupons
    fakeCloud({ 'member.myCoupons': myCoupons([], { available: 1, used: 1, expired: 0 }) })
    page.instance.onTab({ currentTarget: { dataset: { key: 'expired' } } })
    await settle()
    expect(page.data.viewState).toBe('ready')
    expect(textOf(page)).toContain('没有过期的券')
  })

  it('shows the empty state with the way to 领券中心, and the error state', async () => {
    fakeCloud({ 'member.myCoupons': myCoupons([], { available: 0, used: 0, expired: 0 }) })
    const empty = mount('pages/coupons/index')
    empty.instance.onLoad({})
    await settle()
    expect(empty.data.viewState).toBe('empty')
    expect(textOf(empty)).toContain('暂无可用优惠券')
    expect(textOf(empty)).toContain('去领券中心')

    fakeCloud({ 'member.myCoupons': () => fail('NETWORK', '网络不给力，请稍后重试') })
    const broken = mount('pages/coupons/index')
    broken.instance.onLoad({})
    await settle()
    expect(broken.data.viewState).toBe('error')
    expect(textOf(broken)).toContain('网络不给力，请稍后重试')
    expect(textOf(broken)).toContain('重新加载')
  })
})
