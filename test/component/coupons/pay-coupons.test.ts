import { mount, settle } from '../helpers/mount'
import { amountEvent } from '../helpers/events'
import { fakeCloud, fail, stubWx, textOf, usePageTest } from '../helpers/fake-cloud'
import { coupon, thresholdCoupon } from '../helpers/coupon-fixtures'
import { COUPON_QUOTE_DELAY_MS } from '../../../miniprogram/pages/pay/coupons'

const stores = [{ id: 'store-jingan', name: '静安南京西路店', address: '南京西路 1 号', phone: '021-1', hours: '08:00-22:00', latitude: 31.23, longitude: 121.45, distanceM: null, openState: 'open' as const }]
const payment = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=x', signType: 'MD5', paySign: 's' }
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** After the debounce: until the page has asked `n` times for usable coupons and the answer is in (robust under a loaded CPU). */
async function quoted(cloud: { actions(): string[] }, n = 1): Promise<void> {
  await wait(COUPON_QUOTE_DELAY_MS)
  for (let i = 0; i < 100 && cloud.actions().filter((a) => a === 'member.usableCoupons').length < n; i += 1) await wait(20)
  await settle()
}

describe('pay page with coupons', () => {
  const { toasts, restores } = usePageTest()
  beforeEach(() => {
    restores.push(stubWx('getLocation', (o: { fail: (e: unknown) => void }) => o.fail({ errMsg: 'fail' })))
    restores.push(stubWx('showLoading', () => undefined))
    restores.push(stubWx('hideLoading', () => undefined))
    restores.push(stubWx('request', (o: { success: (r: unknown) => void }) => o.success({ statusCode: 200, data: { ok: true } })))
    restores.push(stubWx('requestPayment', (o: { success: () => void }) => o.success()))
  })

  const usable = (amountFen: number) => ({
    usable: [
      { coupon: thresholdCoupon, discountFen: 2000, payableFen: amountFen - 2000 },
      { coupon: coupon(), discountFen: 1000, payableFen: amountFen - 1000 },
    ],
    unusable: [{ coupon: coupon({ id: 'cp-other', title: '浦东店专享' }), code: 'COUPON_WRONG_STORE', message: '该券不适用于本门店' }],
  })

  it('asks once the amount settles, picks the best, shows the saving and the server\'s payable, and pays with it', async () => {
    const cloud = fakeCloud({
      'member.stores': { stores },
      'member.usableCoupons': (input) => usable(input.amountFen),
      'member.createOrder': (input) => ({ outTradeNo: 'T1', amountFen: input.amountFen - 2000, originalAmountFen: input.amountFen, discountFen: 2000, couponId: 'cp-th-20', payment }),
      'member.orderStatus': { status: 'paid', amountFen: 10000, pointsEarned: 100, tierName: '银卡会员', joined: false },
    })
    const page = mount('pages/pay/index')
    page.instance.onLoad({})
    await settle()
    // typing 1, 12, 120 quickly: one question, for the last amount
    for (const v of ['1', '12', '120']) page.instance.onAmountChange(amountEvent(v))
    await quoted(cloud)
    await wait(COUPON_QUOTE_DELAY_MS)
    const asked = cloud.calls.filter((c) => c.action === 'usableCoupons')
    expect(asked.map((c) => c.input)).toEqual([{ storeId: 'store-jingan', amountFen: 12000 }])
    expect(page.data.couponId).toBe('cp-th-20')
    let text = textOf(page)
    expect(text).toContain('满100减20 · 省 ¥20.00')
    expect(text).toContain('实付 ¥100.00（已优惠 ¥20.00）')

    page.instance.toggleCoupons()
    text = textOf(page)
    expect(text).toContain('不使用优惠券')
    expect(text).toContain('该券不适用于本门店')
    page.instance.onPickCoupon({ currentTarget: { dataset: { id: 'cp-cash-10' } } })
    expect(textOf(page)).toContain('实付 ¥110.00（已优惠 ¥10.00）')
    page.instance.onPickCoupon({ currentTarget: { dataset: { id: 'cp-th-20' } } })

    await page.instance.onPay()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'createOrder')?.input).toEqual({ storeId: 'store-jingan', amountFen: 12000, couponId: 'cp-th-20' })
    text = textOf(page)
    expect(text).toContain('支付成功')
    expect(text).toContain('已使用优惠券，节省 ¥20.00')
  })

  it('not using a coupon pays the typed amount', async () => {
    const cloud = fakeCloud({
      'member.stores': { stores },
      'member.usableCoupons': (input) => usable(input.amountFen),
      'member.createOrder': { outTradeNo: 'T2', amountFen: 12000, payment },
      'member.orderStatus': { status: 'paid', amountFen: 12000, pointsEarned: 120, tierName: '银卡会员', joined: false },
    })
    const page = mount('pages/pay/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onAmountChange(amountEvent('120'))
    await quoted(cloud)
    page.instance.onPickCoupon({ currentTarget: { dataset: { id: '' } } })
    expect(page.data.payableText).toBe('')
    await page.instance.onPay()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'createOrder')?.input).toEqual({ storeId: 'store-jingan', amountFen: 12000 })
  })

  it('paying right after typing asks for the coupons first, so what is paid is what the list says', async () => {
    const cloud = fakeCloud({
      'member.stores': { stores },
      'member.usableCoupons': (input) => usable(input.amountFen),
      'member.createOrder': (input) => ({ outTradeNo: 'T3', amountFen: input.amountFen - 2000, discountFen: 2000, originalAmountFen: input.amountFen, couponId: 'cp-th-20', payment }),
      'member.orderStatus': { status: 'paid', amountFen: 13000, pointsEarned: 130, tierName: '银卡会员', joined: false },
    })
    const page = mount('pages/pay/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onAmountChange(amountEvent('150'))
    await page.instance.onPay()
    await settle()
    expect(cloud.actions().filter((a) => a !== 'member.stores').slice(0, 2)).toEqual(['member.usableCoupons', 'member.createOrder'])
    expect(cloud.calls.find((c) => c.action === 'createOrder')?.input).toEqual({ storeId: 'store-jingan', amountFen: 15000, couponId: 'cp-th-20' })
  })

  it('a coupon refused by createOrder (used on another phone) is said and the list asked again', async () => {
    let used = false
    const cloud = fakeCloud({
      'member.stores': { stores },
      'member.usableCoupons': (input) => (used ? { usable: [], unusable: [] } : usable(input.amountFen)),
      'member.createOrder': () => {
        used = true
        return fail('COUPON_LOCKED', '该券正在另一笔订单中使用')
      },
    })
    const page = mount('pages/pay/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onAmountChange(amountEvent('120'))
    await quoted(cloud)
    const asked = () => cloud.actions().filter((a) => a === 'member.usableCoupons').length
    const before = asked()
    await page.instance.onPay()
    expect(toasts).toContain('该券正在另一笔订单中使用')
    await quoted(cloud, before + 1)
    // asked again after the refusal (the refused coupon is no longer offered)
    expect(asked()).toBeGreaterThan(before)
    expect(page.data.couponId).toBe('')
    expect(page.data.stage).toBe('form')
  })

  it('without coupons (or when asking fails) the page pays as before and says nothing about coupons', async () => {
    const cloud = fakeCloud({ 'member.stores': { stores }, 'member.usableCoupons': () => fail('NETWORK', '网络不给力，请稍后重试') })
    const page = mount('pages/pay/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onAmountChange(amountEvent('120'))
    await quoted(cloud)
    expect(textOf(page)).not.toContain('优惠券')
    expect(page.data.couponSummary).toBe('')
  })
})
