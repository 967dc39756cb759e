import { mount, settle } from './helpers/mount'
import { fakeCloud, staffMe, stubWx, textOf, usePageTest, type RouteOutput } from './helpers/fake-cloud'
import type { StaffRole } from '../../miniprogram/shared/staff-roles'

const member: RouteOutput<'admin.members.profile'>['member'] = {
  memberNo: '40400001', tierName: '银卡会员', points: 44, pointsDebt: 0, phone: '138****5678', totalSpentFen: 4400, visitCount: 2,
  lastVisitAt: '2026-11-22T04:00:00.000Z', tags: ['新会员', '常客'], manualTags: ['常客'], favouriteStoreName: '徐汇店',
  referrerMemberNo: null, firstStoreName: '徐汇店', sourceTouchpoint: 'poster', joinedAt: '2026-11-01T04:00:00.000Z', birthday: null,
}
const orders: RouteOutput<'admin.members.profile'>['orders'] = [
  { outTradeNo: 'C-own', amountFen: 1800, status: 'paid', channel: 'cashier', storeName: '徐汇店', createdAt: '2026-11-22T04:00:00.000Z', pointsEarned: 18, refundable: true },
  { outTradeNo: 'C-other', amountFen: 2600, status: 'paid', channel: 'cashier', storeName: '静安店', createdAt: '2026-11-21T04:00:00.000Z', pointsEarned: 26, refundable: false },
]

const meOf = (role: StaffRole) => staffMe(role, [])

describe('member profile page (admin)', () => {
  const { toasts, restores } = usePageTest()

  it('lists recent orders and offers 退款 only where the server allows it; refunds after confirming', async () => {
    let refunded = false
    const cloud = fakeCloud({
      'admin.members.profile': () => ({
        member,
        ledger: [{ delta: 18, debtDelta: 0, title: '消费得积分', createdAt: '2026-11-22T04:00:00.000Z' }],
        hasMore: false,
        orders: refunded ? [{ ...orders[0], status: 'refunded', refundable: false }, orders[1]] : orders,
        cashierLog: [],
      }),
      'admin.orders.refund': () => {
        refunded = true
        return { status: 'refunded', pointsReversed: 18, pointsDebt: 0, alreadyRefunded: false }
      },
    })
    restores.push(stubWx('showModal', (o: { success: (r: { confirm: boolean }) => void }) => o.success({ confirm: true })))
    const page = mount('admin/pages/member/index')
    page.instance.onLoad({ memberNo: '40400001' })
    await settle()
    expect(page.data.viewState).toBe('ready')
    const text = textOf(page)
    expect(text).toContain('¥18.00 · 已支付')
    expect(text).toContain('静安店 · 门店收银')
    expect(page.data.orders.map((o: { refundable: boolean }) => o.refundable)).toEqual([true, false])

    await page.instance.onRefund({ currentTarget: { dataset: { no: 'C-other' } } })
    expect(cloud.actions()).not.toContain('admin.orders.refund')
    await page.instance.onRefund({ currentTarget: { dataset: { no: 'C-own' } } })
    await settle()
    expect(cloud.calls.filter((c) => c.action === 'orders.refund')).toEqual([{ name: 'admin', action: 'orders.refund', input: { outTradeNo: 'C-own' } }])
    expect(toasts).toContain('已退款')
    expect(textOf(page)).toContain('¥18.00 · 已退款')
  })

  it('does nothing when the refund is not confirmed', async () => {
    const cloud = fakeCloud({ 'admin.members.profile': { member, ledger: [], hasMore: false, orders, cashierLog: [] }, 'admin.me': meOf('manager') })
    restores.push(stubWx('showModal', (o: { success: (r: { confirm: boolean }) => void }) => o.success({ confirm: false })))
    const page = mount('admin/pages/member/index')
    page.instance.onLoad({ memberNo: '40400001' })
    await settle()
    await page.instance.onRefund({ currentTarget: { dataset: { no: 'C-own' } } })
    expect(cloud.actions().filter((a) => a !== 'admin.me')).toEqual(['admin.members.profile'])
  })

  it('shows the manual-tag controls to a manager and lets them add a tag', async () => {
    const cloud = fakeCloud({
      'admin.members.profile': { member, ledger: [], hasMore: false, orders: [], cashierLog: [] },
      'admin.me': meOf('manager'),
      'admin.members.tag': { tags: ['常客', '咖啡控'] },
    })
    const page = mount('admin/pages/member/index')
    page.instance.onLoad({ memberNo: '40400001' })
    await settle()
    expect(cloud.actions().sort()).toEqual(['admin.me', 'admin.members.profile'])
    expect(page.data.canTag).toBe(true)
    expect(textOf(page)).toContain('常客 ✕')
    expect(page.querySelector('.add__input')).toBeTruthy()
    page.instance.onTagInput({ detail: { value: '咖啡控' } })
    await page.instance.onAddTag()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'members.tag')?.input).toEqual({ memberNo: '40400001', tag: '咖啡控' })
    expect(toasts).toContain('已添加标签')
  })

  it('hides the manual-tag controls from a clerk (members.tag would be refused) but still shows the tags', async () => {
    const cloud = fakeCloud({ 'admin.members.profile': { member, ledger: [], hasMore: false, orders: [], cashierLog: [] }, 'admin.me': meOf('clerk') })
    const page = mount('admin/pages/member/index')
    page.instance.onLoad({ memberNo: '40400001' })
    await settle()
    expect(page.data.viewState).toBe('ready')
    const text = textOf(page)
    expect(text).toContain('常客')
    expect(text).not.toContain('常客 ✕')
    expect(page.querySelector('.add__input')).toBeFalsy()
    expect(text).not.toContain('添加')
    await page.instance.onRemoveTag({ currentTarget: { dataset: { tag: '常客' } } })
    expect(cloud.actions()).not.toContain('admin.members.tag')
  })

  it('shows 「—」 for a missing join date, not Invalid Date', async () => {
    fakeCloud({ 'admin.members.profile': { member: { ...member, joinedAt: null }, ledger: [], hasMore: false, orders: [], cashierLog: [] }, 'admin.me': meOf('owner') })
    const page = mount('admin/pages/member/index')
    page.instance.onLoad({ memberNo: '40400001' })
    await settle()
    const text = textOf(page)
    expect(text).not.toContain('Invalid Date')
    expect(page.data.extra[0]).toEqual({ label: '加入时间', value: '—' })
  })
})
