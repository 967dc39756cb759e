import { mount, settle } from './helpers/mount'
import { fakeCloud, fail, staffMe, stubWx, textOf, usePageTest, type RouteOutput } from './helpers/fake-cloud'

const me = staffMe('manager', [{ id: 's1', name: '人民广场店' }], '店长小李')
type Pending = RouteOutput<'admin.cashier.approvals'>['approvals'][number]
const pending: Pending = {
  id: 'A' + '1'.repeat(30),
  status: 'pending',
  reason: 'amount',
  reasonText: '金额超过单笔审批线',
  storeId: 's1',
  clerkName: '小王',
  memberNo: '10000023',
  amountFen: 68_000,
  createdAt: '2026-11-22T04:00:00.000Z',
  decidedAt: null,
  decidedByName: null,
  outTradeNo: null,
  pointsEarned: 0,
}

describe('收银审批 page', () => {
  const { toasts, restores } = usePageTest()

  it('lists pending sales and approves one after confirming; the list reloads', async () => {
    restores.push(stubWx('showModal', (o: { success: (r: unknown) => void }) => o.success({ confirm: true })))
    let decided = false
    const cloud = fakeCloud({
      'admin.me': me,
      'admin.cashier.approvals': () => ({ approvals: decided ? [] : [pending] }),
      'admin.cashier.decide': () => {
        decided = true
        return { approval: { ...pending, status: 'approved' as const, decidedByName: '店长小李', pointsEarned: 680 } }
      },
    })
    const page = mount('admin/pages/approvals/index')
    page.instance.onLoad({})
    await settle()
    expect(page.data.viewState).toBe('ready')
    const text = textOf(page)
    expect(text).toContain('¥680.00')
    expect(text).toContain('人民广场店 · 店员 小王')
    expect(text).toContain('需要审批：金额超过单笔审批线')
    page.instance.onApprove({ currentTarget: { dataset: { id: pending.id } } })
    await settle()
    expect(cloud.calls.find((c) => c.action === 'cashier.decide')?.input).toEqual({ approvalId: pending.id, approve: true })
    expect(toasts).toContain('已批准，消费已记录')
    expect(page.data.viewState).toBe('empty')
    expect(textOf(page)).toContain('暂无待审批的收银')
  })

  it('refuses after confirming, and sends nothing when the manager cancels', async () => {
    let confirm = false
    restores.push(stubWx('showModal', (o: { success: (r: unknown) => void }) => o.success({ confirm })))
    const cloud = fakeCloud({ 'admin.me': me, 'admin.cashier.approvals': { approvals: [pending] }, 'admin.cashier.decide': { approval: { ...pending, status: 'refused' as const } } })
    const page = mount('admin/pages/approvals/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onRefuse({ currentTarget: { dataset: { id: pending.id } } })
    await settle()
    expect(cloud.calls.filter((c) => c.action === 'cashier.decide')).toHaveLength(0)
    confirm = true
    page.instance.onRefuse({ currentTarget: { dataset: { id: pending.id } } })
    await settle()
    expect(cloud.calls.find((c) => c.action === 'cashier.decide')?.input).toEqual({ approvalId: pending.id, approve: false })
    expect(toasts).toContain('已拒绝')
  })

  it('shows the error state when the list cannot load', async () => {
    fakeCloud({ 'admin.me': me, 'admin.cashier.approvals': () => fail('NETWORK', '网络不给力，请稍后重试') })
    const broken = mount('admin/pages/approvals/index')
    broken.instance.onLoad({})
    await settle()
    expect(broken.data.viewState).toBe('error')
  })
})

describe('cashier page: a sale that needs the manager', () => {
  const { restores } = usePageTest()

  it('asks for the phone’s last 4 digits with a typed number, shows 等待店长审批, then the result', async () => {
    void restores
    const cloud = fakeCloud({
      'admin.me': staffMe('clerk', [{ id: 's1', name: '人民广场店' }], '小王'),
      'admin.cashier.capture': { pendingApproval: pending, memberNo: '10000023' },
      'admin.cashier.approval': { approval: { ...pending, status: 'approved' as const, decidedByName: '店长小李', pointsEarned: 680, outTradeNo: 'Cabc' } },
    })
    const page = mount('admin/pages/cashier/index')
    page.instance.onLoad({})
    await settle()
    page.instance.onMemberInput({ detail: { value: '10000023' } })
    await settle()
    expect(page.data.typedNumber).toBe(true)
    page.instance.onPhoneLast4Input({ detail: { value: '5678' } })
    page.instance.onAmountChange({ detail: { value: '680', fen: 68_000, error: '' } })
    await page.instance.onSubmit()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'cashier.capture')?.input).toMatchObject({ memberNo: '10000023', phoneLast4: '5678', amountFen: 68_000 })
    expect(textOf(page)).toContain('等待店长审批')
    expect(textOf(page)).toContain('需要审批：金额超过单笔审批线')
    await page.instance.onCheckApproval()
    await settle()
    expect(textOf(page)).toContain('店长已批准，收银成功')
    expect(textOf(page)).toContain('会员获得 680 积分')
  })
})
