import { mount, settle } from '../helpers/mount'
import { fakeCloud, fail, stubWx, textOf, usePageTest } from '../helpers/fake-cloud'
import { coupon, detail, thresholdCoupon } from '../helpers/coupon-fixtures'

const code = { code: '123456789012345123456', shortCode: '12345678901234', expiresAt: 0 }

function confirmAll(restores: (() => void)[], answer = true): string[] {
  const asked: string[] = []
  restores.push(stubWx('showModal', (o: { title: string; success: (r: { confirm: boolean }) => void }) => (asked.push(o.title), o.success({ confirm: answer }))))
  return asked
}

describe('coupon detail', () => {
  const { toasts, restores } = usePageTest()

  it('shows the rotating code (QR, barcode, short code), rules and stores of a usable coupon', async () => {
    const cloud = fakeCloud({ 'member.couponDetail': detail(thresholdCoupon), 'member.couponCode': code })
    const page = mount('coupons/pages/detail/index')
    page.instance.onLoad({ id: 'cp-th-20' })
    await settle()
    await settle()
    expect(page.data.viewState).toBe('ready')
    const text = textOf(page)
    expect(text).toContain('满100减20')
    expect(text).toContain('1234 5678 9012 34')
    expect(text).toContain('秒后自动刷新')
    expect(text).toContain('每单限用一张，不与其他优惠同享')
    expect(text).toContain('静安南京西路店')
    expect(text).toContain('转赠给好友')
    expect(cloud.calls.find((c) => c.action === 'couponCode')?.input).toEqual({ couponId: 'cp-th-20' })
  })

  it('forwards: puts the coupon in transit, shares only the gift token, and takes it back', async () => {
    const asked = confirmAll(restores)
    let state: 'available' | 'gifting' = 'available'
    const gifting = coupon({ state: 'gifting', stateName: '转赠中', giftToken: 'tok_abcdefghijklmnop', giftExpiresAt: '2026-12-02T10:00:00.000Z' })
    const cloud = fakeCloud({
      'member.couponDetail': () => detail(state === 'gifting' ? gifting : coupon()),
      'member.couponCode': code,
      'member.giftCoupon': () => {
        state = 'gifting'
        return { token: 'tok_abcdefghijklmnop', path: 'coupons/pages/gift/index?token=tok_abcdefghijklmnop', title: '送你一张「新客立减券」', expiresAt: gifting.giftExpiresAt ?? '' }
      },
      'member.takeBackGift': () => {
        state = 'available'
        return { coupon: coupon() }
      },
    })
    const page = mount('coupons/pages/detail/index')
    page.instance.onLoad({ id: 'cp-cash-10' })
    await settle()
    await page.instance.onForward()
    await settle()
    expect(asked).toEqual(['转赠给好友'])
    expect(cloud.calls.find((c) => c.action === 'giftCoupon')?.input).toEqual({ couponId: 'cp-cash-10' })
    const text = textOf(page)
    expect(text).toContain('转赠中')
    expect(text).toContain('发送给好友')
    expect(text).toContain('收回')
    // no code is shown while in transit
    expect(text).not.toContain('1234 5678 9012 34')
    expect(page.instance.onShareAppMessage()).toEqual({ title: '送你一张「新客立减券」，快来领取', path: '/coupons/pages/gift/index?token=tok_abcdefghijklmnop' })

    await page.instance.onTakeBack()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'takeBackGift')?.input).toEqual({ couponId: 'cp-cash-10' })
    expect(toasts).toContain('已收回')
    expect(textOf(page)).toContain('转赠给好友')
    // back to usable: the menu's forward no longer carries a token
    expect(page.instance.onShareAppMessage().path).toBe('/coupons/pages/center/index')
  })

  it('says why when the friend accepted before the take back', async () => {
    confirmAll(restores)
    const gifting = coupon({ state: 'gifting', stateName: '转赠中', giftToken: 'tok_abcdefghijklmnop', giftExpiresAt: '2026-12-02T10:00:00.000Z' })
    let given = false
    fakeCloud({
      'member.couponDetail': () => detail(given ? coupon({ state: 'given', stateName: '已转赠' }) : gifting),
      'member.takeBackGift': () => {
        given = true
        return fail('GIFT_TAKEN', '好友已领取，无法收回')
      },
    })
    const page = mount('coupons/pages/detail/index')
    page.instance.onLoad({ id: 'cp-cash-10' })
    await settle()
    await page.instance.onTakeBack()
    await settle()
    expect(toasts).toContain('好友已领取，无法收回')
  })

  it('shows no code and no forward for used, given or non-forwardable coupons', async () => {
    fakeCloud({ 'member.couponDetail': detail(coupon({ state: 'used', stateName: '已使用', usedAt: '2026-11-30T04:00:00.000Z', usedStoreName: '静安南京西路店' })) })
    const used = mount('coupons/pages/detail/index')
    used.instance.onLoad({ id: 'cp-cash-10' })
    await settle()
    expect(textOf(used)).toContain('2026-11-30 12:00 于静安南京西路店核销')
    expect(textOf(used)).not.toContain('转赠给好友')
    expect(used.data.view.showCode).toBe(false)

    fakeCloud({ 'member.couponDetail': detail(coupon({ forwardable: false })), 'member.couponCode': code })
    const plain = mount('coupons/pages/detail/index')
    plain.instance.onLoad({ id: 'cp-cash-10' })
    await settle()
    expect(textOf(plain)).not.toContain('转赠给好友')
    expect(plain.data.view.showCode).toBe(true)
  })

  it('reloads when the server stops giving a code (forwarded meanwhile on another phone)', async () => {
    let given = false
    const cloud = fakeCloud({
      'member.couponDetail': () => detail(given ? coupon({ state: 'given', stateName: '已转赠' }) : coupon()),
      'member.couponCode': () => {
        given = true
        return fail('COUPON_GIVEN', '该券已转赠给好友，原券码已失效')
      },
    })
    const page = mount('coupons/pages/detail/index')
    page.instance.onLoad({ id: 'cp-cash-10' })
    await settle()
    await settle()
    expect(cloud.actions().filter((a) => a === 'member.couponDetail')).toHaveLength(2)
    expect(textOf(page)).toContain('已转赠')
    expect(textOf(page)).toContain('原券码已失效')
  })

  it('shows the error state (unknown coupon, network)', async () => {
    fakeCloud({ 'member.couponDetail': () => fail('NOT_FOUND', '优惠券不存在') })
    const page = mount('coupons/pages/detail/index')
    page.instance.onLoad({ id: 'cp-nope' })
    await settle()
    expect(page.data.viewState).toBe('error')
    expect(textOf(page)).toContain('优惠券不存在')
    expect(textOf(page)).toContain('重新加载')
  })
})
