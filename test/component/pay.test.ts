import { mount, settle } from './helpers/mount'
import { amountEvent } from './helpers/events'
import { fakeCloud, fail, stubWx, textOf } from './helpers/fake-cloud'
import { setTransport } from '../../miniprogram/lib/call-cloud'

const stores = [
  { id: 's-far', name: '浦东店', address: '浦东新区世纪大道 100 号', phone: '021-1', hours: '08:00-22:00', latitude: 31.2397, longitude: 121.4998, distanceM: null, openState: 'open' as const },
  { id: 's-near', name: '人民广场店', address: '黄浦区南京东路 1 号', phone: '021-2', hours: '08:00-22:00', latitude: 31.2335, longitude: 121.4752, distanceM: null, openState: 'open' as const },
]
const payment = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=x', signType: 'MD5', paySign: 's' }

describe('pay page', () => {
  const restores: (() => void)[] = []
  const toasts: string[] = []
  beforeEach(() => {
    toasts.length = 0
    restores.push(stubWx('showToast', (o: { title: string }) => toasts.push(o.title)))
    restores.push(stubWx('showLoading', () => undefined))
    restores.push(stubWx('hideLoading', () => undefined))
    // local-mode payment simulation reaches the local cloud through wx.request
    restores.push(stubWx('request', (o: { success: (r: unknown) => void }) => o.success({ statusCode: 200, data: { ok: true } })))
  })
  afterEach(() => {
    setTransport(null)
    restores.splice(0).forEach((r) => r())
  })

  it('lists stores nearest first when location is allowed', async () => {
    restores.push(stubWx('getLocation', (o: { success: (r: unknown) => void }) => o.success({ latitude: 31.2304, longitude: 121.4737 })))
    fakeCloud({ 'member.stores': { stores } })
    const page = mount('pages/pay/index')
    page.instance.onLoad({})
    await settle()
    expect(page.data.viewState).toBe('ready')
    expect(page.data.stores.map((s: { id: string }) => s.id)).toEqual(['s-near', 's-far'])
    expect(page.data.storeName).toBe('人民广场店')
    expect(textOf(page)).toContain('人民广场店')
    expect(textOf(page)).toContain('确认支付')
  })

  it('keeps the listed order when location is refused', async () => {
    restores.push(stubWx('getLocation', (o: { fail: (e: unknown) => void }) => o.fail({ errMsg: 'getLocation:fail auth deny' })))
    fakeCloud({ 'member.stores': { stores } })
    const page = mount('pages/pay/index')
    page.instance.onLoad({})
    await settle()
    expect(page.data.stores.map((s: { id: string }) => s.id)).toEqual(['s-far', 's-near'])
    expect(page.data.storeName).toBe('浦东店')
  })

  it('shows the empty and error states', async () => {
    fakeCloud({ 'member.stores': { stores: [] } })
    const empty = mount('pages/pay/index')
    empty.instance.onLoad({})
    await settle()
    expect(empty.data.viewState).toBe('empty')
    expect(textOf(empty)).toContain('暂无可支付的门店')

    fakeCloud({ 'member.stores': () => fail('NETWORK', '网络不给力，请稍后重试') })
    const broken = mount('pages/pay/index')
    broken.instance.onLoad({})
    await settle()
    expect(broken.data.viewState).toBe('error')
    expect(textOf(broken)).toContain('网络不给力，请稍后重试')
  })

  it('validates the amount before creating an order', async () => {
    restores.push(stubWx('getLocation', (o: { fail: (e: unknown) => void }) => o.fail({ errMsg: 'fail' })))
    const cloud = fakeCloud({ 'member.stores': { stores } })
    const page = mount('pages/pay/index')
    page.instance.onLoad({})
    await settle()

    const cases: [string, string][] = [
      ['0', '金额需大于 0'],
      ['0.00', '金额需大于 0'],
      ['12.345', '金额最多保留两位小数'],
      ['100000.01', '单笔金额不能超过 100000 元'],
      ['abc', '请输入正确的金额'],
    ]
    for (const [input, message] of cases) {
      page.instance.onAmountChange(amountEvent(input))
      expect(page.data.amountError).toBe(message)
    }
    expect(textOf(page)).toContain('请输入正确的金额')
    await page.instance.onPay()
    expect(toasts).toContain('请输入正确的金额')
    page.instance.onAmountChange(amountEvent(''))
    await page.instance.onPay()
    expect(page.data.amountError).toBe('请输入金额')
    expect(cloud.actions()).not.toContain('member.createOrder')
    page.instance.onAmountChange(amountEvent('100000'))
    expect(page.data.amountError).toBe('')
  })

  it('pays: creates the order in fen, pays, confirms and welcomes a new member', async () => {
    restores.push(stubWx('getLocation', (o: { fail: (e: unknown) => void }) => o.fail({ errMsg: 'fail' })))
    const paid: unknown[] = []
    restores.push(stubWx('requestPayment', (o: { success: () => void }) => (paid.push(o), o.success())))
    let polls = 0
    const cloud = fakeCloud({
      'member.stores': { stores },
      'member.createOrder': { outTradeNo: 'T202611220001', amountFen: 1990, payment },
      'member.orderStatus': () =>
        ++polls < 2
          ? { status: 'created', amountFen: 1990, pointsEarned: 0, tierName: '', joined: false }
          : { status: 'paid', amountFen: 1990, pointsEarned: 19, tierName: '普通会员', joined: true },
    })
    const page = mount('pages/pay/index')
    page.instance.onLoad({ touchpoint: 'poster-01' })
    await settle()
    page.instance.onAmountChange(amountEvent('19.90'))
    await page.instance.onPay()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'createOrder')?.input).toEqual({ storeId: 's-far', amountFen: 1990, touchpoint: 'poster-01' })
    expect(paid).toHaveLength(1)
    expect(page.data.stage).toBe('result')
    const text = textOf(page)
    expect(text).toContain('支付成功')
    expect(text).toContain('¥19.90')
    expect(text).toContain('欢迎成为会员')
    expect(text).toContain('本次获得 19 积分')
  }, 15000)

  it('tells the user clearly when they cancel the payment', async () => {
    restores.push(stubWx('getLocation', (o: { fail: (e: unknown) => void }) => o.fail({ errMsg: 'fail' })))
    restores.push(stubWx('requestPayment', (o: { fail: (e: unknown) => void }) => o.fail({ errMsg: 'requestPayment:fail cancel' })))
    const cloud = fakeCloud({ 'member.stores': { stores }, 'member.createOrder': { outTradeNo: 'T1', amountFen: 500, payment } })
    const page = mount('pages/pay/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onAmountChange(amountEvent('5'))
    await page.instance.onPay()
    expect(toasts).toContain('已取消支付，未扣款')
    expect(page.data.stage).toBe('form')
    expect(page.data.paying).toBe(false)
    expect(cloud.actions()).not.toContain('member.orderStatus')
  })

  it('shows the server message when the order cannot be created', async () => {
    restores.push(stubWx('getLocation', (o: { fail: (e: unknown) => void }) => o.fail({ errMsg: 'fail' })))
    fakeCloud({ 'member.stores': { stores }, 'member.createOrder': () => fail('NOT_FOUND', '门店不存在或已停止营业') })
    const page = mount('pages/pay/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onAmountChange(amountEvent('5'))
    await page.instance.onPay()
    expect(toasts).toContain('门店不存在或已停止营业')
    expect(page.data.stage).toBe('form')
  })
})

describe('pay page retry', () => {
  afterEach(() => setTransport(null))

  it('keeps the store from the QR code when the first load failed and is retried', async () => {
    let down = true
    fakeCloud({ 'member.stores': () => (down ? fail('NETWORK', '网络不给力，请稍后重试') : { stores }) })
    const page = mount('pages/pay/index')
    page.instance.onLoad({ storeId: stores[1].id })
    await settle()
    expect(page.data.viewState).toBe('error')
    down = false
    page.instance.onRetry()
    await settle()
    expect(page.data.viewState).toBe('ready')
    expect(page.data.storeName).toBe(stores[1].name)
  })
})

describe('pay result still confirming', () => {
  afterEach(() => setTransport(null))

  it('offers 刷新支付结果, which shows the confirmed result', async () => {
    let confirmed = false
    fakeCloud({
      'member.stores': { stores },
      'member.orderStatus': () =>
        confirmed
          ? { status: 'paid', amountFen: 1990, pointsEarned: 19, tierName: '银卡会员', joined: false }
          : { status: 'created', amountFen: 1990, pointsEarned: 0, tierName: '', joined: false },
    })
    const page = mount('pages/pay/index')
    page.instance.onLoad({})
    await settle()
    // As left by a payment whose callback had not been processed within the wait.
    page.setData({ stage: 'result', outTradeNo: 'T1', amountFen: 1990 })
    await page.instance.onRecheck()
    expect(page.data.result.kind).toBe('pending')
    expect(textOf(page)).toContain('刷新支付结果')
    confirmed = true
    await page.instance.onRecheck()
    await settle()
    expect(page.data.result.kind).toBe('paid')
    expect(textOf(page)).not.toContain('刷新支付结果')
    expect(textOf(page)).toContain('¥19.90')
  })
})
