import { mount, settle } from '../helpers/mount'
import { amountEvent } from '../helpers/events'
import { fakeCloud, fail, staffMe, stubWx, textOf, usePageTest } from '../helpers/fake-cloud'
import { counterCoupon, thresholdCoupon, verification } from '../helpers/coupon-fixtures'
import { CloudCallError } from '../../../miniprogram/lib/call-cloud'

const clerk = staffMe('clerk', [{ id: 'store-xuhui', name: '徐汇漕溪北路店' }], '小李')
const SCAN = '123456789012345123456'

function confirmAll(restores: (() => void)[]): string[] {
  const asked: string[] = []
  restores.push(stubWx('showModal', (o: { title: string; content: string; success?: (r: { confirm: boolean }) => void }) => (asked.push(`${o.title}|${o.content}`), o.success?.({ confirm: true }))))
  return asked
}

describe('admin 核销', () => {
  const { toasts, restores } = usePageTest()

  it('scans a coupon code, shows what / whose / where / until when, confirms with a request id', async () => {
    restores.push(stubWx('scanCode', (o: { success: (r: unknown) => void }) => o.success({ result: SCAN })))
    const asked = confirmAll(restores)
    const cloud = fakeCloud({
      'admin.me': clerk,
      'admin.coupons.lookup': { kind: 'coupon', memberNo: '10000023', coupons: [counterCoupon()] },
      'admin.coupons.verify': { verification: verification(), alreadyRecorded: false },
    })
    const page = mount('admin/pages/coupon-verify/index')
    page.instance.onLoad({})
    await settle()
    expect(page.data.storeId).toBe('store-xuhui')
    await page.instance.onScan()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'coupons.lookup')?.input).toEqual({ storeId: 'store-xuhui', code: SCAN })
    const text = textOf(page)
    expect(text).toContain('新客立减券')
    expect(text).toContain('持有人：会员 10****23（138****8000）')
    expect(text).toContain('适用门店：全部门店')
    expect(text).toContain('有效期至 2026-12-10')
    expect(page.data.pickedId).toBe('cp-cash-10')
    await page.instance.onVerify()
    await settle()
    expect(asked[0]).toContain('确认核销')
    const input = cloud.calls.find((c) => c.action === 'coupons.verify')?.input as Record<string, unknown>
    expect(input).toMatchObject({ storeId: 'store-xuhui', ticket: counterCoupon().ticket })
    expect(String(input.requestId)).toMatch(/^[0-9a-f-]{36}$/)
    expect(input.orderAmountFen).toBeUndefined()
    expect(textOf(page)).toContain('核销成功')
    expect(textOf(page)).toContain('徐汇漕溪北路店 · 小李')
  })

  it('a retried confirmation keeps its request id and records once; a double tap sends one request', async () => {
    confirmAll(restores)
    let attempt = 0
    let release: () => void = () => undefined
    const cloud = fakeCloud({
      'admin.me': clerk,
      'admin.coupons.lookup': { kind: 'coupon', memberNo: '10000023', coupons: [counterCoupon()] },
      'admin.coupons.verify': () => {
        attempt += 1
        if (attempt === 1) throw new CloudCallError('NETWORK', '网络不给力，请稍后重试')
        return new Promise((resolve) => (release = () => resolve({ verification: verification(), alreadyRecorded: true })))
      },
    })
    const page = mount('admin/pages/coupon-verify/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onCodeInput({ detail: { value: '1234 5678 9012 34' } })
    await page.instance.onLookup()
    await page.instance.onVerify()
    expect(toasts).toContain('网络不给力，请稍后重试')
    const first = page.instance.onVerify()
    await settle()
    const second = page.instance.onVerify()
    await settle()
    release()
    await Promise.all([first, second])
    await settle()
    const ids = cloud.calls.filter((c) => c.action === 'coupons.verify').map((c) => (c.input as { requestId: string }).requestId)
    expect(ids).toHaveLength(2)
    expect(ids[1]).toBe(ids[0])
    expect(cloud.calls.find((c) => c.action === 'coupons.lookup')?.input).toEqual({ storeId: 'store-xuhui', code: '12345678901234' })
    expect(textOf(page)).toContain('该券已核销（本次重复提交）')
    expect(textOf(page)).toContain('未重复核销')
  })

  it('another clerk was first: 「已核销」 with when and where, on the page', async () => {
    confirmAll(restores)
    fakeCloud({
      'admin.me': clerk,
      'admin.coupons.lookup': { kind: 'coupon', memberNo: '10000023', coupons: [counterCoupon()] },
      'admin.coupons.verify': () => fail('ALREADY_USED', '已核销：该券已于 2026-12-02 07:51 在徐汇漕溪北路店核销'),
    })
    const page = mount('admin/pages/coupon-verify/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onCodeInput({ detail: { value: SCAN } })
    await page.instance.onLookup()
    await page.instance.onVerify()
    await settle()
    const text = textOf(page)
    expect(text).toContain('已核销')
    expect(text).toContain('2026-12-02 07:51 在徐汇漕溪北路店核销')
    expect(page.data.done).toBe(false)
  })

  it.each([
    ['COUPON_GIVEN', '该券已转赠给好友，原券码已失效', '券已转赠，原券码失效'],
    ['COUPON_IN_TRANSIT', '该券正在转赠中，暂不可使用', '券正在转赠中'],
    ['EXPIRED', '该券已过期', '券已过期'],
    ['COUPON_CODE_INVALID', '券码无效或已过期，请让顾客刷新券码后重试', '券码无效'],
    ['ALREADY_USED', '已核销：该券已于 2026-12-01 10:00 在静安南京西路店核销', '已核销'],
    ['FORBIDDEN', '您没有该门店的权限', '无权核销'],
  ])('a lookup refused with %s shows its heading and the server\'s message', async (code, message, title) => {
    fakeCloud({ 'admin.me': clerk, 'admin.coupons.lookup': () => fail(code, message) })
    const page = mount('admin/pages/coupon-verify/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onCodeInput({ detail: { value: SCAN } })
    await page.instance.onLookup()
    await settle()
    expect(page.data.messageTitle).toBe(title)
    expect(textOf(page)).toContain(message)
    expect(page.data.pickedId).toBe('')
  })

  it('a coupon for another store shows why and cannot be confirmed', async () => {
    fakeCloud({
      'admin.me': clerk,
      'admin.coupons.lookup': { kind: 'coupon', memberNo: '10000023', coupons: [counterCoupon({ ticket: null, refusal: { code: 'COUPON_WRONG_STORE', message: '该券仅限 静安南京西路店 使用' } })] },
    })
    const page = mount('admin/pages/coupon-verify/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onCodeInput({ detail: { value: SCAN } })
    await page.instance.onLookup()
    await settle()
    expect(textOf(page)).toContain('该券仅限 静安南京西路店 使用')
    expect(page.data.pickedId).toBe('')
    expect(textOf(page)).not.toContain('确认核销')
  })

  it('a member code lists the member\'s coupons; a threshold coupon needs the order amount', async () => {
    confirmAll(restores)
    const th = counterCoupon({ ...thresholdCoupon, ticket: 'cp-th-20.1764640000000.0123456789abcdef0123456789abcdef' })
    const cloud = fakeCloud({
      'admin.me': clerk,
      'admin.coupons.lookup': { kind: 'member', memberNo: '10000023', coupons: [th, counterCoupon()] },
      'admin.coupons.verify': { verification: verification({ couponId: 'cp-th-20', title: '满100减20', valueLabel: '¥20', orderAmountFen: 12000, discountFen: 2000 }), alreadyRecorded: false },
    })
    const page = mount('admin/pages/coupon-verify/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onCodeInput({ detail: { value: '1000002312345654321' } })
    await page.instance.onLookup()
    await settle()
    expect(textOf(page)).toContain('会员 10000023 的可用券（2 张）')
    expect(page.data.pickedId).toBe('')
    page.instance.onPick({ currentTarget: { dataset: { id: 'cp-th-20' } } })
    expect(page.data.needsAmount).toBe(true)
    await page.instance.onVerify()
    expect(toasts).toContain('该券有使用门槛，请输入订单金额')
    expect(cloud.actions()).not.toContain('admin.coupons.verify')
    page.instance.onAmountChange(amountEvent('120'))
    await page.instance.onVerify()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'coupons.verify')?.input).toMatchObject({ ticket: th.ticket, orderAmountFen: 12000 })
    expect(textOf(page)).toContain('订单 ¥120.00，优惠 ¥20.00')
  })

  it('empty for someone who may not verify; error when the session fails', async () => {
    fakeCloud({ 'admin.me': staffMe('hq', [{ id: 'store-xuhui', name: '徐汇漕溪北路店' }]) })
    const hq = mount('admin/pages/coupon-verify/index')
    hq.instance.onLoad({})
    await settle()
    expect(hq.data.viewState).toBe('empty')
    expect(textOf(hq)).toContain('您没有可核销的门店')

    fakeCloud({ 'admin.me': () => fail('NETWORK', '网络不给力，请稍后重试') })
    const broken = mount('admin/pages/coupon-verify/index')
    broken.instance.onLoad({})
    await settle()
    expect(broken.data.viewState).toBe('error')
    expect(textOf(broken)).toContain('网络不给力，请稍后重试')
  })
})
