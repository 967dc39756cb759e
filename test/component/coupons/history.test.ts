import { mount, settle } from '../helpers/mount'
import { fakeCloud, fail, staffMe, stubWx, textOf, usePageTest } from '../helpers/fake-cloud'
import { verification } from '../helpers/coupon-fixtures'

const stores = [
  { id: 'store-xuhui', name: '徐汇漕溪北路店' },
  { id: 'store-jingan', name: '静安南京西路店' },
]

describe('admin 核销记录', () => {
  const { toasts, restores } = usePageTest()

  it('a manager sees their store\'s verifications and undoes one within the window', async () => {
    restores.push(stubWx('showModal', (o: { success: (r: { confirm: boolean }) => void }) => o.success({ confirm: true })))
    const cloud = fakeCloud({
      'admin.me': staffMe('manager', [stores[0]], '王敏'),
      'admin.coupons.history': {
        verifications: [verification({ orderAmountFen: 12000, discountFen: 2000 }), verification({ id: 'v1123456789abcdef0123456789abcd', undoable: false, createdAt: '2026-12-01T20:00:00.000Z' })],
        hasMore: false,
      },
      'admin.coupons.undo': { verification: verification({ status: 'undone', undoable: false, undoneAt: '2026-12-01T23:55:00.000Z', undoneByName: '王敏' }) },
    })
    const page = mount('admin/pages/coupon-history/index')
    page.instance.onLoad({})
    await settle()
    expect(cloud.calls.find((c) => c.action === 'coupons.history')?.input).toEqual({ page: 1, storeId: 'store-xuhui' })
    let text = textOf(page)
    expect(text).toContain('2026-12-02 07:50 · 徐汇漕溪北路店 · 小李')
    expect(text).toContain('会员号 10000023 · 订单 ¥120.00，优惠 ¥20.00')
    expect(page.data.rows.map((r: { undoable: boolean }) => r.undoable)).toEqual([true, false])
    await page.instance.onUndo({ currentTarget: { dataset: { id: 'v0123456789abcdef0123456789abcd' } } })
    await settle()
    expect(cloud.calls.find((c) => c.action === 'coupons.undo')?.input).toEqual({ verificationId: 'v0123456789abcdef0123456789abcd' })
    expect(toasts).toContain('已撤销，券已退回顾客')
    text = textOf(page)
    expect(text).toContain('已撤销 · 2026-12-02 07:55 · 王敏')
  })

  it('an undo past the 10 minutes is refused with the reason and the list is read again', async () => {
    restores.push(stubWx('showModal', (o: { success: (r: { confirm: boolean }) => void }) => o.success({ confirm: true })))
    let late = false
    const cloud = fakeCloud({
      'admin.me': staffMe('manager', [stores[0]], '王敏'),
      'admin.coupons.history': () => ({ verifications: [verification({ undoable: !late })], hasMore: false }),
      'admin.coupons.undo': () => {
        late = true
        return fail('UNDO_WINDOW_PASSED', '核销已超过 10 分钟，不能撤销')
      },
    })
    const page = mount('admin/pages/coupon-history/index')
    page.instance.onLoad({})
    await settle()
    await page.instance.onUndo({ currentTarget: { dataset: { id: 'v0123456789abcdef0123456789abcd' } } })
    await settle()
    expect(toasts).toContain('核销已超过 10 分钟，不能撤销')
    expect(cloud.actions().filter((a) => a === 'admin.coupons.history')).toHaveLength(2)
    expect(page.data.rows[0].undoable).toBe(false)
  })

  it('HQ sees every store (or one), and pages on', async () => {
    const cloud = fakeCloud({
      'admin.me': staffMe('hq', stores, '小周'),
      'admin.coupons.history': (input) => ({ verifications: [verification({ id: `v${String(input.page).repeat(30).slice(0, 30)}` })], hasMore: input.page === 1 }),
    })
    const page = mount('admin/pages/coupon-history/index')
    page.instance.onLoad({})
    await settle()
    expect(textOf(page)).toContain('全部门店')
    expect(cloud.calls[1].input).toEqual({ page: 1 })
    await page.instance.onMore()
    expect(page.data.rows).toHaveLength(2)
    expect(page.data.hasMore).toBe(false)
    page.instance.onFilter({ currentTarget: { dataset: { id: 'store-jingan' } } })
    await settle()
    expect(cloud.calls.at(-1)?.input).toEqual({ page: 1, storeId: 'store-jingan' })
  })

  it('shows the empty and error states', async () => {
    fakeCloud({ 'admin.me': staffMe('clerk', [stores[0]]), 'admin.coupons.history': { verifications: [], hasMore: false } })
    const empty = mount('admin/pages/coupon-history/index')
    empty.instance.onLoad({})
    await settle()
    expect(empty.data.viewState).toBe('empty')
    expect(textOf(empty)).toContain('暂无核销记录')

    fakeCloud({ 'admin.me': staffMe('clerk', [stores[0]]), 'admin.coupons.history': () => fail('NETWORK', '网络不给力，请稍后重试') })
    const broken = mount('admin/pages/coupon-history/index')
    broken.instance.onLoad({})
    await settle()
    expect(broken.data.viewState).toBe('error')
    expect(textOf(broken)).toContain('网络不给力，请稍后重试')
  })
})
