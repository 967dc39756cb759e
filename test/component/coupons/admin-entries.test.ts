import { mount, settle } from '../helpers/mount'
import { fakeCloud, staffMe, usePageTest } from '../helpers/fake-cloud'
import type { StaffRole } from '../../../miniprogram/shared/staff-roles'

const stores = [{ id: 'store-xuhui', name: '徐汇漕溪北路店' }]
const IDS = ['entry-coupon-verify', 'entry-coupon-history', 'entry-coupon-templates']

describe('商家管理: the coupon entries follow admin.me\'s capabilities', () => {
  usePageTest()

  it.each([
    ['owner', IDS],
    ['hq', ['entry-coupon-history', 'entry-coupon-templates']],
    ['manager', IDS],
    ['clerk', ['entry-coupon-verify', 'entry-coupon-history']],
  ] as [StaffRole, string[]][])('%s sees %j', async (role, expected) => {
    fakeCloud({ 'admin.me': staffMe(role, stores) })
    const page = mount('admin/pages/index/index')
    page.instance.onLoad({})
    await settle()
    expect(IDS.filter((id) => page.querySelector(`#${id}`))).toEqual(expected)
  })
})
