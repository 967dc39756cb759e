import { mount, settle } from '../helpers/mount'
import { fakeCloud, fail, stubWx, textOf, usePageTest } from '../helpers/fake-cloud'
import { coupon, giftOpen } from '../helpers/coupon-fixtures'

const TOKEN = 'tok_abcdefghijklmnop'

describe('gift accept page', () => {
  const { toasts, restores } = usePageTest()

  it('accepts a pending gift and leads to the new coupon', async () => {
    let accepted = false
    const redirected: string[] = []
    restores.push(stubWx('redirectTo', (o: { url: string }) => redirected.push(o.url)))
    const cloud = fakeCloud({
      'member.openGift': () => ({ gift: accepted ? giftOpen({ status: 'acceptedByYou', message: '你已领取这张券，可在「我的券」中查看', couponId: 'cp-new' }) : giftOpen() }),
      'member.acceptGift': () => {
        accepted = true
        return { coupon: coupon({ id: 'cp-new', fromFriend: true }) }
      },
    })
    const page = mount('coupons/pages/gift/index')
    page.instance.onLoad({ token: TOKEN })
    await settle()
    expect(textOf(page)).toContain('好友送你一张优惠券')
    expect(page.querySelector('#accept')).toBeTruthy()
    await page.instance.onAccept()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'acceptGift')?.input).toEqual({ token: TOKEN })
    expect(toasts).toContain('领取成功')
    expect(textOf(page)).toContain('领取成功')
    expect(textOf(page)).toContain('查看我的券')
    page.instance.goCoupon()
    expect(redirected).toEqual(['/coupons/pages/detail/index?id=cp-new'])
  })

  it('someone else was first: says so and shows the gift as taken', async () => {
    let taken = false
    fakeCloud({
      'member.openGift': () => ({ gift: taken ? giftOpen({ status: 'taken', message: '来晚了，这张券已被其他好友领走' }) : giftOpen() }),
      'member.acceptGift': () => {
        taken = true
        return fail('GIFT_TAKEN', '来晚了，这张券已被其他好友领走')
      },
    })
    const page = mount('coupons/pages/gift/index')
    page.instance.onLoad({ token: TOKEN })
    await settle()
    await page.instance.onAccept()
    await settle()
    expect(toasts).toContain('来晚了，这张券已被其他好友领走')
    expect(page.data.view.status).toBe('taken')
    expect(textOf(page)).toContain('来晚了')
    expect(textOf(page)).not.toContain('查看我的券')
  })

  it.each([
    ['taken', '来晚了，这张券已被其他好友领走', '来晚了'],
    ['closed', '赠送已超过 24 小时，券已退回给好友', '赠送已结束'],
    ['closed', '好友已收回这张券', '赠送已结束'],
    ['mine', '这是你送出的券，等待好友领取', '这是你送出的券'],
  ] as const)('opened when %s: %s', async (status, message, heading) => {
    fakeCloud({ 'member.openGift': { gift: giftOpen({ status, message }) } })
    const page = mount('coupons/pages/gift/index')
    page.instance.onLoad({ token: TOKEN })
    await settle()
    const text = textOf(page)
    expect(text).toContain(heading)
    expect(text).toContain(message)
    expect(page.data.view.status).toBe(status)
    // only a pending gift offers 领取
    expect(page.querySelector('#accept')).toBeFalsy()
  })

  it('a broken link and a network failure show the error state', async () => {
    const cloud = fakeCloud({})
    const bad = mount('coupons/pages/gift/index')
    bad.instance.onLoad({ token: 'x' })
    await settle()
    expect(bad.data.viewState).toBe('error')
    expect(textOf(bad)).toContain('链接无效，请让好友重新转赠')
    expect(cloud.calls).toHaveLength(0)

    fakeCloud({ 'member.openGift': () => fail('NETWORK', '网络不给力，请稍后重试') })
    const broken = mount('coupons/pages/gift/index')
    broken.instance.onLoad({ token: TOKEN })
    await settle()
    expect(broken.data.viewState).toBe('error')
    expect(textOf(broken)).toContain('网络不给力，请稍后重试')
  })
})
