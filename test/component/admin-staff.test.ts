import { mount, settle } from './helpers/mount'
import { fail, fakeCloud, stubWx, textOf, usePageTest, type Routes } from './helpers/fake-cloud'
import { clerk, invites, manager, owner, region, staffRows, tree } from './helpers/chain-fixtures'

/** 员工管理 (issue 17): my role and stores, managing staff, revoking invites; loaded, empty and error. */
describe('员工管理 page', () => {
  const { toasts, restores } = usePageTest()

  async function open(routes: Routes) {
    const cloud = fakeCloud(routes)
    const page = mount('admin/pages/staff/index')
    page.instance.onLoad()
    await settle()
    return { page, cloud }
  }
  const ownerRoutes = (extra: Routes = {}): Routes => ({ 'admin.me': owner, 'admin.staff.list': { staff: staffRows }, 'admin.staff.invites': { invites }, 'admin.subBrands.list': tree, ...extra })

  it('shows my role and stores, the staff with manage actions where allowed, and unused invites', async () => {
    const { page } = await open(ownerRoutes())
    expect(page.data.viewState).toBe('ready')
    const text = textOf(page)
    expect(text).toContain('我的角色与门店')
    expect(text).toContain('林老板 · 老板')
    expect(text).toContain('全部门店')
    expect(text).toContain('子品牌运营 · 子品牌·拾光咖啡')
    expect(text).toContain('店员 · 徐汇店')
    expect(text).toContain('ABCD2345')
    expect(page.data.staff.filter((s: any) => s.manageable).map((s: any) => s.id)).toEqual(['o-brand', 'o-clerk'])
    expect(page.data.roles.map((r: any) => r.label)).toEqual(['总部运营', '子品牌运营', '区域经理', '店长', '店员'])
  })

  it('changes a role and its stores: sends staff.update with what was picked, once', async () => {
    const sent: unknown[] = []
    const { page, cloud } = await open(ownerRoutes({ 'admin.staff.update': (i) => (sent.push(i), { staffId: 'o-clerk', role: 'manager', roleName: '店长', storeIds: ['S1', 'S2'], subBrandIds: [], regionIds: [] }) }))
    page.instance.onEdit({ currentTarget: { dataset: { id: 'o-clerk' } } } as any)
    page.instance.onPickRole({ currentTarget: { dataset: { role: 'manager' } } } as any)
    expect(page.data.editing.kindLabel).toBe('门店')
    await page.instance.onSaveEdit()
    expect(toasts).toEqual(['请选择门店'])
    page.instance.onToggleOption({ currentTarget: { dataset: { id: 'S1' } } } as any)
    page.instance.onToggleOption({ currentTarget: { dataset: { id: 'S2' } } } as any)
    await Promise.all([page.instance.onSaveEdit(), page.instance.onSaveEdit()])
    await settle()
    expect(sent).toEqual([{ staffId: 'o-clerk', role: 'manager', storeIds: ['S1', 'S2'] }])
    expect(cloud.actions().filter((a) => a === 'admin.staff.update')).toHaveLength(1)
    expect(page.data.editing).toBeNull()
  })

  it('picks regions for a region manager', async () => {
    const sent: unknown[] = []
    const { page } = await open(ownerRoutes({ 'admin.staff.update': (i) => (sent.push(i), { staffId: 'o-clerk', role: 'region', roleName: '区域经理', storeIds: [], subBrandIds: [], regionIds: ['R1'] }) }))
    page.instance.onEdit({ currentTarget: { dataset: { id: 'o-clerk' } } } as any)
    page.instance.onPickRole({ currentTarget: { dataset: { role: 'region' } } } as any)
    expect(page.data.editing.options.map((o: any) => o.name)).toEqual(['拾光咖啡·浦西区'])
    page.instance.onToggleOption({ currentTarget: { dataset: { id: 'R1' } } } as any)
    await page.instance.onSaveEdit()
    expect(sent).toEqual([{ staffId: 'o-clerk', role: 'region', regionIds: ['R1'] }])
  })

  it('removes after confirming, and does nothing when cancelled', async () => {
    const removed: unknown[] = []
    const { page } = await open(ownerRoutes({ 'admin.staff.remove': (i) => (removed.push(i), { staffId: 'o-clerk', removed: true }) }))
    restores.push(stubWx('showModal', (o: { success: (r: { confirm: boolean }) => void }) => o.success({ confirm: false })))
    await page.instance.onRemove({ currentTarget: { dataset: { id: 'o-clerk' } } } as any)
    expect(removed).toEqual([])
    restores.push(stubWx('showModal', (o: { content: string; success: (r: { confirm: boolean }) => void }) => (expect(o.content).toContain('小李'), o.success({ confirm: true }))))
    await page.instance.onRemove({ currentTarget: { dataset: { id: 'o-clerk' } } } as any)
    expect(removed).toEqual([{ staffId: 'o-clerk' }])
    expect(toasts).toContain('已移除')
  })

  it('revokes an invite and shows the server refusal when it was used meanwhile', async () => {
    const { page } = await open(ownerRoutes({ 'admin.staff.revokeInvite': () => fail('INVITE_USED', '该邀请码已被使用，无法撤销') }))
    restores.push(stubWx('showModal', (o: { success?: (r: { confirm: boolean }) => void }) => o.success?.({ confirm: true })))
    await page.instance.onRevoke({ currentTarget: { dataset: { code: 'ABCD2345' } } } as any)
    expect(toasts.join()).toContain('该邀请码已被使用')
  })

  it('shows a clerk only their own role and store', async () => {
    const { page, cloud } = await open({ 'admin.me': clerk })
    expect(page.data.viewState).toBe('ready')
    expect(textOf(page)).toContain('小李 · 店员')
    expect(textOf(page)).toContain('徐汇店')
    expect(page.querySelector('#staff')).toBeFalsy()
    expect(cloud.actions()).toEqual(['admin.me'])
  })

  it('shows a region manager their region', async () => {
    const { page } = await open({ 'admin.me': region, 'admin.staff.list': { staff: [] }, 'admin.staff.invites': { invites: [] }, 'admin.subBrands.list': tree })
    expect(textOf(page)).toContain('浦西区（1 家门店）')
    expect(textOf(page)).toContain('没有未使用的邀请码')
  })

  it('is empty for a consumer, and an error state when the list fails', async () => {
    const { page } = await open({ 'admin.me': { staff: null } })
    expect(page.data.viewState).toBe('empty')
    expect(textOf(page)).toContain('仅限商家员工使用')
    const failed = await open({ 'admin.me': manager, 'admin.staff.list': () => fail('NETWORK', '网络不给力，请稍后重试'), 'admin.staff.invites': { invites: [] }, 'admin.subBrands.list': tree })
    expect(failed.page.data.viewState).toBe('error')
    expect(textOf(failed.page)).toContain('网络不给力')
  })
})

