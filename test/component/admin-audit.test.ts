import { mount, settle } from './helpers/mount'
import { fail, fakeCloud, textOf, usePageTest } from './helpers/fake-cloud'
import { manager, owner } from './helpers/chain-fixtures'

/** 操作记录 (issue 17): the audit list with filters and pages; loaded, empty and error. */
const auditLines = Array.from({ length: 20 }, (_, i) => ({
  id: `L${i}`,
  action: 'orders.refund' as const,
  actionLabel: '退款',
  actorName: '王店长',
  actorRole: 'manager',
  actorRoleName: '店长',
  storeId: 'S1',
  storeName: '徐汇店',
  target: `order:C${i}`,
  summary: `退款 ¥12.0${i % 10}（订单 C${i}）`,
  createdAt: '2026-12-01T04:00:00.000Z',
}))
const filters = { actions: [{ value: 'orders.refund' as const, label: '退款' }, { value: 'staff.remove' as const, label: '移除员工' }], stores: [{ value: 'S1', label: '徐汇店' }], actors: [{ value: 'o-m', label: '王店长（店长）' }] }

describe('操作记录 page', () => {
  usePageTest()

  it('lists lines, filters by action (page 1 again) and loads more', async () => {
    const sent: any[] = []
    const cloud = fakeCloud({
      'admin.me': owner,
      'admin.audit.list': (i) => (sent.push(i), { lines: i.page === 2 ? auditLines.slice(0, 3).map((l) => ({ ...l, id: `P2${l.id}` })) : auditLines, page: i.page ?? 1, hasMore: i.page !== 2, filters }),
    })
    const page = mount('admin/pages/audit/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('ready')
    expect(textOf(page)).toContain('退款 ¥12.00（订单 C0）')
    expect(textOf(page)).toContain('王店长（店长）')
    expect(page.querySelector('#more')).toBeTruthy()
    await Promise.all([page.instance.onMore(), page.instance.onMore()])
    expect(page.data.lines).toHaveLength(23)
    expect(page.data.hasMore).toBe(false)
    page.instance.onPickFilter({ currentTarget: { dataset: { key: 'action' } }, detail: { value: '2' } } as any)
    await settle()
    expect(sent[sent.length - 1]).toEqual({ page: 1, action: 'staff.remove' })
    expect(page.data.labels.action).toBe('移除员工')
    page.instance.onPickDate({ currentTarget: { dataset: { key: 'from' } }, detail: { value: '2026-12-01' } } as any)
    await settle()
    expect(sent[sent.length - 1]).toEqual({ page: 1, action: 'staff.remove', from: '2026-12-01' })
    expect(cloud.actions().filter((a) => a === 'admin.audit.list')).toHaveLength(4)
  })

  it('says when nothing matches the filters', async () => {
    fakeCloud({ 'admin.me': owner, 'admin.audit.list': { lines: [], page: 1, hasMore: false, filters } })
    const page = mount('admin/pages/audit/index')
    page.instance.onLoad()
    await settle()
    expect(textOf(page)).toContain('暂无操作记录')
    page.instance.onPickFilter({ currentTarget: { dataset: { key: 'storeId' } }, detail: { value: '1' } } as any)
    await settle()
    expect(textOf(page)).toContain('没有符合条件的操作记录')
  })

  it('is empty for a role that may not read it (without asking), and an error state on failure', async () => {
    const cloud = fakeCloud({ 'admin.me': manager })
    const page = mount('admin/pages/audit/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('empty')
    expect(textOf(page)).toContain('仅老板和总部可查看操作记录')
    expect(cloud.actions()).toEqual(['admin.me'])
    fakeCloud({ 'admin.me': owner, 'admin.audit.list': () => fail('NETWORK', '网络不给力，请稍后重试') })
    const failed = mount('admin/pages/audit/index')
    failed.instance.onLoad()
    await settle()
    expect(failed.data.viewState).toBe('error')
  })
})

