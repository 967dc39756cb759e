import { mount, settle } from './helpers/mount'
import { fail, fakeCloud, stubWx, textOf, usePageTest } from './helpers/fake-cloud'

/** Rewards (issue 13): 积分商城 and 到店签到 pages against a fake cloud. */
const item = (id: string, blocked: string | null, extra: Record<string, unknown> = {}) => ({ id, title: `券${id}`, pricePoints: 100, remaining: 3, perMemberLimit: 2, exchangedByMe: 0, blocked, ...extra })

describe('积分商城', () => {
  const { toasts, restores } = usePageTest()

  it('lists items with what blocks each, exchanges on confirm with a request id, and shows the new balance', async () => {
    const exchanges: unknown[] = []
    fakeCloud({
      'member.shopItems': { isMember: true, points: 250, items: [item('a', null), item('b', 'POINTS_SHORT', { pricePoints: 900 }), item('c', 'SOLD_OUT', { remaining: 0 })] },
      'member.exchange': (input) => {
        exchanges.push(input)
        return { itemId: 'a', couponId: 'cp1', title: '券a', pricePoints: 100, pointsAfter: 150, replayed: false }
      },
    })
    restores.push(stubWx('showModal', (o: { success: (r: { confirm: boolean }) => void }) => o.success({ confirm: true })))
    const page = mount('rewards/pages/shop/index')
    page.instance.onLoad({})
    await settle()
    const text = textOf(page)
    expect(text).toContain('我的积分250')
    expect(text).toContain('积分不足')
    expect(text).toContain('已兑完')
    await page.instance.onExchange({ currentTarget: { dataset: { id: 'a' } } })
    await settle()
    expect(exchanges).toEqual([{ itemId: 'a', requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/) }])
    expect(toasts).toContain('兑换成功，券已放入券包')
    // A blocked item does not call the server.
    await page.instance.onExchange({ currentTarget: { dataset: { id: 'b' } } })
    expect(exchanges).toHaveLength(1)
  })

  it('shows the server refusal (points short meanwhile) as a toast', async () => {
    fakeCloud({ 'member.shopItems': { isMember: true, points: 100, items: [item('a', null)] }, 'member.exchange': () => fail('POINTS_SHORT', '积分不足，还差 10 积分') })
    restores.push(stubWx('showModal', (o: { success: (r: { confirm: boolean }) => void }) => o.success({ confirm: true })))
    const page = mount('rewards/pages/shop/index')
    page.instance.onLoad({})
    await settle()
    await page.instance.onExchange({ currentTarget: { dataset: { id: 'a' } } })
    await settle()
    expect(toasts.join('')).toContain('积分不足')
  })

  it('is empty without items', async () => {
    fakeCloud({ 'member.shopItems': { isMember: false, points: 0, items: [] } })
    const page = mount('rewards/pages/shop/index')
    page.instance.onLoad({})
    await settle()
    expect(page.data.viewState).toBe('empty')
    expect(textOf(page)).toContain('积分商城暂无可兑换的商品')
  })
})

describe('到店签到', () => {
  const { toasts, restores } = usePageTest()
  const SCENE = 's=0123456789abcdef'
  const info = (extra: Record<string, unknown> = {}) => ({ storeId: 'store-0123456789abcdef', storeName: '徐汇店', enabled: true, giftLabel: '20 积分', needsLocation: false, radiusM: null, isMember: true, checkedInToday: false, today: null, ...extra })

  it('checks in on a tap and says what it earned', async () => {
    const calls: unknown[] = []
    fakeCloud({
      'member.checkinInfo': info(),
      'member.checkin': (input) => {
        calls.push(input)
        return { storeName: '徐汇店', day: '20261202', kind: 'points', points: 20, couponId: null, couponTitle: null, couponRefusal: null, distanceM: null, reminder: 'no-credit' }
      },
    })
    const page = mount('rewards/pages/checkin/index')
    page.instance.onLoad({ scene: encodeURIComponent(SCENE) })
    await settle()
    expect(textOf(page)).toContain('每天到店签到，送20 积分')
    await page.instance.onCheckin()
    await settle()
    expect(calls).toEqual([{ scene: SCENE, location: null }])
    expect(textOf(page)).toContain('签到成功，获得 20 积分')
    expect(toasts).toContain('签到成功')
  })

  it('shares the location when the merchant asks for a distance check', async () => {
    const calls: any[] = []
    fakeCloud({ 'member.checkinInfo': info({ needsLocation: true, radiusM: 200 }), 'member.checkin': (input) => (calls.push(input), fail('TOO_FAR', '距离门店约 1100 米，请到店 200 米内再签到')) })
    restores.push(stubWx('getLocation', (o: { success: (r: { latitude: number; longitude: number }) => void }) => o.success({ latitude: 31.2, longitude: 121.43 })))
    const page = mount('rewards/pages/checkin/index')
    page.instance.onLoad({ scene: SCENE })
    await settle()
    await page.instance.onCheckin()
    await settle()
    expect(calls[0].location).toEqual({ latitude: 31.2, longitude: 121.43 })
    expect(toasts.join('')).toContain('距离门店')
  })

  it('invites a non-member to pay, and shows today’s check-in when done', async () => {
    fakeCloud({ 'member.checkinInfo': info({ isMember: false }) })
    const page = mount('rewards/pages/checkin/index')
    page.instance.onLoad({ scene: SCENE })
    await settle()
    expect(textOf(page)).toContain('去支付，成为会员')
    fakeCloud({ 'member.checkinInfo': info({ checkedInToday: true, today: { points: 20, couponId: null, couponTitle: null } }) })
    const again = mount('rewards/pages/checkin/index')
    again.instance.onLoad({ scene: SCENE })
    await settle()
    expect(textOf(again)).toContain('今日已签到，获得 20 积分')
  })

  it('refuses a bad code without calling the server', async () => {
    const cloud = fakeCloud({})
    const page = mount('rewards/pages/checkin/index')
    page.instance.onLoad({ scene: 'garbage' })
    await settle()
    expect(page.data.viewState).toBe('error')
    expect(page.data.errorMessage).toContain('签到码无效')
    expect(cloud.calls).toHaveLength(0)
  })
})
