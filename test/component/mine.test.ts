import { mount, settle } from './helpers/mount'
import { fail, fakeCloud, staffMe, stubWx, textOf } from './helpers/fake-cloud'
import type { StaffRole } from '../../miniprogram/shared/staff-roles'
import { setTransport } from '../../miniprogram/lib/call-cloud'

const staffOf = (role: StaffRole, roleName: string) => ({ staff: { ...staffMe(role, []).staff, roleName } })

/** Taps a TDesign cell the way a finger does: on the cell's own root view, which runs its jumpLink. */
function tapCell(page: ReturnType<typeof mount>, id: string): void {
  const cell = page.querySelector(`#${id}`)
  if (!cell) throw new Error(`no cell #${id}`)
  const root = cell.querySelector('.t-cell')
  if (!root) throw new Error(`cell #${id} has no root view`)
  root.dispatchEvent('tap')
}

describe('mine page', () => {
  const restores: (() => void)[] = []
  afterEach(() => {
    setTransport(null)
    restores.splice(0).forEach((r) => r())
  })

  it('shows 商家管理 to staff, with their role and nothing the role may not do', async () => {
    const cloud = fakeCloud({ 'admin.me': staffOf('hq', '总部运营') })
    const page = mount('pages/mine/index')
    page.instance.onLoad()
    await settle()
    expect(cloud.actions()).toEqual(['admin.me'])
    const text = textOf(page)
    expect(text).toContain('商家管理')
    expect(text).toContain('总部运营')
    expect(text).not.toContain('收银')
    expect(page.querySelector('#cell-admin')).toBeTruthy()
  })

  it('hides 商家管理 from a consumer but keeps 员工加入', async () => {
    fakeCloud({ 'admin.me': { staff: null } })
    const page = mount('pages/mine/index')
    page.instance.onLoad()
    await settle()
    const text = textOf(page)
    expect(text).not.toContain('商家管理')
    expect(text).toContain('员工加入')
    expect(page.querySelector('#cell-admin')).toBeFalsy()
  })

  it('offers a retry when the staff check fails, without hiding the consumer shortcuts', async () => {
    fakeCloud({ 'admin.me': () => fail('NETWORK', '网络不给力，请稍后重试') })
    const page = mount('pages/mine/index')
    page.instance.onLoad()
    await settle()
    const text = textOf(page)
    expect(text).toContain('商家身份加载失败')
    expect(text).toContain('会员卡')
    expect(text).not.toContain('商家管理')
  })

  it('opens the tab pages 会员卡 and 我的优惠券 with wx.switchTab', async () => {
    fakeCloud({ 'admin.me': { staff: null } })
    const switched: string[] = []
    const navigated: string[] = []
    restores.push(stubWx('switchTab', (o: { url: string }) => switched.push(o.url)))
    restores.push(stubWx('navigateTo', (o: { url: string }) => navigated.push(o.url)))
    const page = mount('pages/mine/index')
    page.instance.onLoad()
    await settle()
    tapCell(page, 'cell-card')
    tapCell(page, 'cell-coupons')
    await settle()
    expect(switched).toEqual(['/pages/card/index', '/pages/coupons/index'])
    expect(navigated).toEqual([])
  })
})
