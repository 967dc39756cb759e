import { mount, settle } from './helpers/mount'
import { amountEvent } from './helpers/events'
import { fakeCloud, fail, staffMe, stubWx, textOf, usePageTest, type RouteOutput } from './helpers/fake-cloud'
import { CloudCallError } from '../../miniprogram/lib/call-cloud'

const me = staffMe('clerk', [{ id: 's1', name: '人民广场店' }], '小王')
const captured: RouteOutput<'admin.cashier.capture'> = { outTradeNo: 'Cabc12345678', memberNo: '10000023', pointsEarned: 88, tierName: '银卡会员', joined: false, alreadyRecorded: false }

describe('cashier page', () => {
  const { toasts, restores } = usePageTest()

  it('records a consumption for a scanned member code and shows the result', async () => {
    restores.push(stubWx('scanCode', (o: { success: (r: unknown) => void }) => o.success({ result: '1000002312345654321' })))
    const cloud = fakeCloud({ 'admin.me': me, 'admin.cashier.capture': captured })
    const page = mount('admin/pages/cashier/index')
    page.instance.onLoad({})
    await settle()
    expect(page.data.viewState).toBe('ready')
    expect(textOf(page)).toContain('人民广场店')
    expect(page.data.storeId).toBe('s1')
    await page.instance.onScan()
    page.instance.onAmountChange(amountEvent('88.00'))
    await page.instance.onSubmit()
    await settle()
    const input = cloud.calls.find((c) => c.action === 'cashier.capture')?.input as Record<string, unknown>
    expect(input).toMatchObject({ storeId: 's1', amountFen: 8800, memberCode: '1000002312345654321' })
    expect(String(input.clientRequestId)).toMatch(/^[0-9a-f-]{36}$/)
    const text = textOf(page)
    expect(text).toContain('收银成功')
    expect(text).toContain('¥88.00')
    expect(text).toContain('会员获得 88 积分')
  })

  it('keeps the same clientRequestId when the same submit is retried, and sends it once while in flight', async () => {
    let attempt = 0
    let release: () => void = () => undefined
    const cloud = fakeCloud({
      'admin.me': me,
      'admin.cashier.capture': () => {
        attempt += 1
        if (attempt === 1) throw new CloudCallError('NETWORK', '网络不给力，请稍后重试')
        if (attempt > 2) return captured
        return new Promise((resolve) => (release = () => resolve({ ...captured, alreadyRecorded: true })))
      },
    })
    const page = mount('admin/pages/cashier/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onMemberInput({ detail: { value: '10000023' } })
    page.instance.onAmountChange(amountEvent('12.5'))

    await page.instance.onSubmit()
    expect(toasts).toContain('网络不给力，请稍后重试')
    expect(page.data.submitting).toBe(false)

    // retry: a double tap sends one request, with the first attempt's id
    const first = page.instance.onSubmit()
    const second = page.instance.onSubmit()
    await settle()
    release()
    await first
    await second
    await settle()
    const ids = cloud.calls.filter((c) => c.action === 'cashier.capture').map((c) => (c.input as { clientRequestId: string }).clientRequestId)
    expect(ids).toHaveLength(2)
    expect(ids[1]).toBe(ids[0])
    expect(textOf(page)).toContain('该笔消费已记录')
    expect(textOf(page)).toContain('未重复计分')

    // the next customer is a new submit with a new id
    page.instance.onNext()
    page.instance.onMemberInput({ detail: { value: '10000023' } })
    page.instance.onAmountChange(amountEvent('12.5'))
    await page.instance.onSubmit()
    await settle()
    const all = cloud.calls.filter((c) => c.action === 'cashier.capture').map((c) => (c.input as { clientRequestId: string }).clientRequestId)
    expect(all).toHaveLength(3)
    expect(all[2]).not.toBe(all[0])
  })

  it('a retry after a lost answer keeps its id even when the customer\'s code was rescanned', async () => {
    let attempt = 0
    const cloud = fakeCloud({
      'admin.me': me,
      'admin.cashier.capture': () => {
        attempt += 1
        if (attempt === 1) throw new CloudCallError('NETWORK', '网络不给力，请稍后重试')
        return { ...captured, alreadyRecorded: true }
      },
    })
    const page = mount('admin/pages/cashier/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onMemberInput({ detail: { value: '1000002312345654321' } })
    page.instance.onAmountChange(amountEvent('88'))
    await page.instance.onSubmit()
    // a minute later the old code has expired: the clerk rescans, the code's rotating digits differ
    page.instance.onMemberInput({ detail: { value: '1000002398765401234' } })
    await page.instance.onSubmit()
    await settle()
    const sent = cloud.calls.filter((c) => c.action === 'cashier.capture').map((c) => c.input as { clientRequestId: string; memberCode: string })
    expect(sent.map((x) => x.memberCode)).toEqual(['1000002312345654321', '1000002398765401234'])
    expect(sent[1].clientRequestId).toBe(sent[0].clientRequestId)
    // another member (or amount) is another submit
    page.instance.onNext()
    page.instance.onMemberInput({ detail: { value: '1000002498765401234' } })
    page.instance.onAmountChange(amountEvent('88'))
    await page.instance.onSubmit()
    const third = cloud.calls.filter((c) => c.action === 'cashier.capture').map((c) => (c.input as { clientRequestId: string }).clientRequestId)[2]
    expect(third).not.toBe(sent[0].clientRequestId)
  })

  it('validates the member and the amount before submitting', async () => {
    const cloud = fakeCloud({ 'admin.me': me })
    const page = mount('admin/pages/cashier/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onMemberInput({ detail: { value: '123' } })
    page.instance.onAmountChange(amountEvent('10'))
    await page.instance.onSubmit()
    expect(page.data.memberError).toBe('会员号为 8 位数字，或请扫描顾客的会员码')
    page.instance.onMemberInput({ detail: { value: '10000023' } })
    page.instance.onAmountChange(amountEvent('0'))
    await page.instance.onSubmit()
    expect(page.data.amountError).toBe('金额需大于 0')
    expect(cloud.actions()).toEqual(['admin.me'])
  })

  it('shows the empty state for staff without stores, and the error state', async () => {
    fakeCloud({ 'admin.me': staffMe('clerk', [], '小王') })
    const empty = mount('admin/pages/cashier/index')
    empty.instance.onLoad({})
    await settle()
    expect(empty.data.viewState).toBe('empty')
    expect(textOf(empty)).toContain('您还没有可收银的门店')

    fakeCloud({ 'admin.me': () => fail('INTERNAL', '系统繁忙，请稍后重试') })
    const broken = mount('admin/pages/cashier/index')
    broken.instance.onLoad({})
    await settle()
    expect(broken.data.viewState).toBe('error')
    expect(textOf(broken)).toContain('系统繁忙，请稍后重试')
  })
})
