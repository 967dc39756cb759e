import { mount, settle } from './helpers/mount'
import { fakeCloud, staffMe, textOf } from './helpers/fake-cloud'
import type { StaffRole } from '../../miniprogram/shared/staff-roles'
import { setTransport } from '../../miniprogram/lib/call-cloud'

const stores = [{ id: 'S1', name: '徐汇店' }]
const meOf = (role: StaffRole, roleName: string) => ({ staff: { ...staffMe(role, stores).staff, roleName } })

async function open(role: StaffRole, roleName: string) {
  fakeCloud({ 'admin.me': meOf(role, roleName) })
  const page = mount('admin/pages/index/index')
  page.instance.onLoad()
  await settle()
  return page
}

const shown = (page: ReturnType<typeof mount>) =>
  ['entry-cashier', 'entry-members', 'entry-staff-invite', 'entry-stores'].filter((id) => page.querySelector(`#${id}`))

describe('admin home (商家管理)', () => {
  afterEach(() => setTransport(null))

  it('shows an owner every entry', async () => {
    const page = await open('owner', '老板')
    expect(shown(page)).toEqual(['entry-cashier', 'entry-members', 'entry-staff-invite', 'entry-stores'])
    expect(textOf(page)).toContain('邀请总部运营、子品牌运营、区域经理、店长、店员加入')
  })

  it('hides 收银 from HQ (cashier.capture refuses HQ)', async () => {
    const page = await open('hq', '总部运营')
    expect(shown(page)).toEqual(['entry-members', 'entry-staff-invite', 'entry-stores'])
    expect(textOf(page)).not.toContain('收银')
    expect(textOf(page)).toContain('全部门店')
  })

  it('shows a manager only the roles they may invite', async () => {
    const page = await open('manager', '店长')
    expect(shown(page)).toEqual(['entry-cashier', 'entry-members', 'entry-staff-invite', 'entry-stores'])
    expect(textOf(page)).toContain('生成邀请码，邀请店员加入')
  })

  it('hides 员工邀请 from a clerk', async () => {
    const page = await open('clerk', '店员')
    expect(shown(page)).toEqual(['entry-cashier', 'entry-members', 'entry-stores'])
    expect(textOf(page)).not.toContain('员工邀请')
    expect(textOf(page)).toContain('徐汇店')
  })

  it('asks a consumer to join with an invite code', async () => {
    fakeCloud({ 'admin.me': { staff: null } })
    const page = mount('admin/pages/index/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('empty')
    expect(textOf(page)).toContain('仅限商家员工使用')
  })
})
