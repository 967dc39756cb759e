import { mount, settle } from '../helpers/mount'
import { amountEvent } from '../helpers/events'
import { fakeCloud, fail, staffMe, textOf, usePageTest, type RouteOutput } from '../helpers/fake-cloud'
import { counterCoupon, thresholdCoupon } from '../helpers/coupon-fixtures'

const me = staffMe('clerk', [{ id: 'store-xuhui', name: '徐汇漕溪北路店' }], '小李')
const MEMBER_CODE = '1000002312345654321'
const captured: RouteOutput<'admin.cashier.capture'> = { outTradeNo: 'Cabc12345678', memberNo: '10000023', pointsEarned: 100, tierName: '银卡会员', joined: false, alreadyRecorded: false, discountFen: 2000, paidFen: 10000 }

describe('cashier: apply a member\'s coupon', () => {
  const { toasts } = usePageTest()

  it('lists the member\'s coupons for this amount, applies the picked one, shows what was paid', async () => {
    const cloud = fakeCloud({
      'admin.me': me,
      'admin.coupons.lookup': {
        kind: 'member',
        memberNo: '10000023',
        coupons: [counterCoupon({ ...thresholdCoupon, ticket: 't', discountFen: 2000 }), counterCoupon({ id: 'cp-x', title: '浦东店专享', ticket: null, refusal: { code: 'COUPON_WRONG_STORE', message: '该券不适用于本门店' } })],
      },
      'admin.cashier.capture': captured,
    })
    const page = mount('admin/pages/cashier/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onMemberInput({ detail: { value: MEMBER_CODE } })
    page.instance.onAmountChange(amountEvent('120'))
    await page.instance.onFindCoupons()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'coupons.lookup')?.input).toEqual({ storeId: 'store-xuhui', code: MEMBER_CODE, amountFen: 12000 })
    expect(page.data.couponId).toBe('cp-th-20')
    expect(textOf(page)).toContain('本单可优惠 ¥20.00')
    expect(textOf(page)).toContain('该券不适用于本门店')
    page.instance.onPickCoupon({ currentTarget: { dataset: { id: 'cp-x' } } })
    expect(toasts).toContain('该券不适用于本门店')
    expect(page.data.couponId).toBe('cp-th-20')
    await page.instance.onSubmit()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'cashier.capture')?.input).toMatchObject({ storeId: 'store-xuhui', amountFen: 12000, memberCode: MEMBER_CODE, couponId: 'cp-th-20' })
    expect(textOf(page)).toContain('¥100.00')
    expect(textOf(page)).toContain('消费 ¥120.00，优惠券抵扣 ¥20.00')
  })

  it('needs the member code (not the number) and the amount first; a changed amount drops the picked coupon', async () => {
    const cloud = fakeCloud({ 'admin.me': me, 'admin.coupons.lookup': { kind: 'member', memberNo: '10000023', coupons: [counterCoupon({ ticket: 't' })] } })
    const page = mount('admin/pages/cashier/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onMemberInput({ detail: { value: '10000023' } })
    await page.instance.onFindCoupons()
    expect(toasts).toContain('请先扫描顾客的会员码')
    page.instance.onMemberInput({ detail: { value: MEMBER_CODE } })
    await page.instance.onFindCoupons()
    expect(toasts).toContain('请先输入消费金额')
    expect(cloud.actions()).not.toContain('admin.coupons.lookup')
    page.instance.onAmountChange(amountEvent('50'))
    await page.instance.onFindCoupons()
    expect(page.data.couponId).toBe('cp-cash-10')
    page.instance.onAmountChange(amountEvent('60'))
    expect(page.data.couponId).toBe('')
    expect(page.data.coupons).toEqual([])
  })

  it('a coupon refused at capture is said and has to be picked again', async () => {
    fakeCloud({
      'admin.me': me,
      'admin.coupons.lookup': { kind: 'member', memberNo: '10000023', coupons: [counterCoupon({ ticket: 't' })] },
      'admin.cashier.capture': () => fail('COUPON_LOCKED', '该券正在另一笔订单中使用'),
    })
    const page = mount('admin/pages/cashier/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onMemberInput({ detail: { value: MEMBER_CODE } })
    page.instance.onAmountChange(amountEvent('50'))
    await page.instance.onFindCoupons()
    await page.instance.onSubmit()
    expect(toasts).toContain('该券正在另一笔订单中使用')
    expect(page.data.couponId).toBe('')
    expect(page.data.done).toBe(false)
  })
})
