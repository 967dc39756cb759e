import { mount, settle } from '../helpers/mount'
import { amountEvent } from '../helpers/events'
import { fakeCloud, stubWx, textOf, usePageTest } from '../helpers/fake-cloud'
import { coupon, thresholdCoupon } from '../helpers/coupon-fixtures'
import { COUPON_QUOTE_DELAY_MS } from '../../../miniprogram/pages/pay/coupons'

/** The pay page stacking coupons (coupon-gaps): stackable ones join, a non-stackable one replaces, the server prices the stack. */
const stores = [{ id: 'store-jingan', name: '静安南京西路店', address: '南京西路 1 号', phone: '021-1', hours: '08:00-22:00', latitude: 31.23, longitude: 121.45, distanceM: null, openState: 'open' as const }]
const payment = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=x', signType: 'MD5', paySign: 's' }
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function until(check: () => boolean): Promise<void> {
  await wait(COUPON_QUOTE_DELAY_MS)
  for (let i = 0; i < 150 && !check(); i += 1) await wait(20)
  await settle()
}

const th = Object.assign({}, thresholdCoupon, { stackable: true })
const cash = coupon({ stackable: true })
const lone = coupon({ id: 'cp-lone', title: '不可叠加券', stackable: false })
const tap = (id: string) => ({ currentTarget: { dataset: { id } } })

describe('pay page stacking coupons', () => {
  const { toasts, restores } = usePageTest()
  beforeEach(() => {
    restores.push(stubWx('getLocation', (o: { fail: (e: unknown) => void }) => o.fail({ errMsg: 'fail' })))
    restores.push(stubWx('showLoading', () => undefined))
    restores.push(stubWx('hideLoading', () => undefined))
    restores.push(stubWx('request', (o: { success: (r: unknown) => void }) => o.success({ statusCode: 200, data: { ok: true } })))
    restores.push(stubWx('requestPayment', (o: { success: () => void }) => o.success()))
  })

  type Selection = { ok: true; couponIds: string[]; lines: { couponId: string; discountFen: number }[]; discountFen: number; payableFen: number } | { ok: false; code: string; message: string }

  function cloudFor(selection: (ids: string[]) => Selection) {
    return fakeCloud({
      'member.stores': { stores },
      'member.usableCoupons': (input) => ({
        usable: [
          { coupon: th, discountFen: 2000, payableFen: input.amountFen - 2000 },
          { coupon: cash, discountFen: 1000, payableFen: input.amountFen - 1000 },
          { coupon: lone, discountFen: 500, payableFen: input.amountFen - 500 },
        ],
        unusable: [],
        ...(input.couponIds ? { selection: selection(input.couponIds) } : {}),
      }),
      'member.createOrder': (input) => ({ outTradeNo: 'T9', amountFen: 9000, originalAmountFen: input.amountFen, discountFen: 3000, couponId: 'cp-th-20', couponIds: input.couponIds, payment }),
      'member.orderStatus': { status: 'paid', amountFen: 9000, pointsEarned: 90, tierName: '银卡会员', joined: false },
    })
  }

  it('a stackable coupon joins the best one, priced by the server; paying sends both; a non-stackable one replaces them', async () => {
    const cloud = cloudFor((ids) => ({ ok: true, couponIds: ids, lines: [], discountFen: 3000, payableFen: 9000 }))
    const page = mount('pages/pay/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onAmountChange(amountEvent('120'))
    await until(() => page.data.couponId !== '')
    expect(page.data.couponIds).toEqual(['cp-th-20'])
    page.instance.toggleCoupons()
    expect(textOf(page)).toContain('可叠加')
    page.instance.onPickCoupon(tap('cp-cash-10'))
    await until(() => page.data.couponIds.length === 2)
    expect(cloud.calls.filter((c) => c.action === 'usableCoupons').pop()?.input).toEqual({ storeId: 'store-jingan', amountFen: 12000, couponIds: ['cp-th-20', 'cp-cash-10'] })
    expect(textOf(page)).toContain('2 张券叠加 · 省 ¥30.00')
    expect(textOf(page)).toContain('实付 ¥90.00（已优惠 ¥30.00）')

    // a non-stackable coupon replaces the stack; tapping the best one again starts over from it
    page.instance.onPickCoupon(tap('cp-lone'))
    expect(page.data.couponIds).toEqual(['cp-lone'])
    page.instance.onPickCoupon(tap('cp-th-20'))
    page.instance.onPickCoupon(tap('cp-cash-10'))
    await until(() => page.data.couponIds.length === 2)
    await page.instance.onPay()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'createOrder')?.input).toEqual({ storeId: 'store-jingan', amountFen: 12000, couponIds: ['cp-th-20', 'cp-cash-10'] })
    expect(textOf(page)).toContain('已使用 2 张优惠券，节省 ¥30.00')
  })

  it('a stack the server refuses is said, and the tapped coupon stays alone', async () => {
    const cloud = cloudFor(() => ({ ok: false, code: 'COUPON_EXCEEDS_ORDER', message: '券的优惠不能大于或等于订单金额，请调整金额或换一张券' }))
    const page = mount('pages/pay/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onAmountChange(amountEvent('120'))
    await until(() => page.data.couponId !== '')
    page.instance.onPickCoupon(tap('cp-cash-10'))
    await until(() => cloud.calls.some((c) => c.action === 'usableCoupons' && Array.isArray((c.input as { couponIds?: unknown }).couponIds)) && page.data.couponId === 'cp-cash-10')
    expect(toasts).toContain('券的优惠不能大于或等于订单金额，请调整金额或换一张券')
    expect(page.data.couponIds).toEqual(['cp-cash-10'])
    expect(textOf(page)).toContain('实付 ¥110.00（已优惠 ¥10.00）')
  })
})
