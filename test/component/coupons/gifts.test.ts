import { mount, settle } from '../helpers/mount'
import { fakeCloud, fail, textOf, usePageTest } from '../helpers/fake-cloud'
import type { GiftView } from '../../../miniprogram/shared/coupon-rules'

function gift(over: Partial<GiftView>): GiftView {
  return { token: 'tok_a', couponId: 'cp-a', title: '新客立减券', status: 'pending', statusName: '待领取', counterpart: '', createdAt: '2026-12-01T02:00:00.000Z', expiresAt: '2026-12-02T02:00:00.000Z', closedAt: null, ...over }
}

describe('转赠记录', () => {
  usePageTest()

  it('shows both sides: what I sent (and what became of it) and what I received', async () => {
    fakeCloud({
      'member.myGifts': {
        sent: [gift({}), gift({ token: 'tok_b', status: 'accepted', statusName: '已被领取', counterpart: '好友', closedAt: '2026-12-01T03:00:00.000Z' }), gift({ token: 'tok_c', status: 'returned', statusName: '已退回', closedAt: '2026-12-02T02:00:00.000Z' })],
        received: [gift({ token: 'tok_d', couponId: 'cp-d', title: '满100减20', status: 'accepted', statusName: '已被领取', counterpart: '好友', closedAt: '2026-11-30T05:00:00.000Z' })],
      },
    })
    const page = mount('coupons/pages/gifts/index')
    page.instance.onLoad({})
    await settle()
    const text = textOf(page)
    expect(text).toContain('我送出的（3）')
    expect(text).toContain('2026-12-01 10:00 送出 · 2026-12-02 10:00 前未领取将退回')
    expect(text).toContain('已被领取')
    expect(text).toContain('已退回')
    expect(text).toContain('我收到的（1）')
    expect(text).toContain('2026-11-30 13:00 领取好友赠送')
  })

  it('shows the empty and error states', async () => {
    fakeCloud({ 'member.myGifts': { sent: [], received: [] } })
    const empty = mount('coupons/pages/gifts/index')
    empty.instance.onLoad({})
    await settle()
    expect(empty.data.viewState).toBe('empty')
    expect(textOf(empty)).toContain('还没有转赠记录')

    fakeCloud({ 'member.myGifts': () => fail('NETWORK', '网络不给力，请稍后重试') })
    const broken = mount('coupons/pages/gifts/index')
    broken.instance.onLoad({})
    await settle()
    expect(textOf(broken)).toContain('网络不给力，请稍后重试')
  })
})
