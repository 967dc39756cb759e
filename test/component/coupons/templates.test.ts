import { mount, settle } from '../helpers/mount'
import { fakeCloud, fail, staffMe, textOf, usePageTest } from '../helpers/fake-cloud'
import { adminTemplate } from '../helpers/coupon-fixtures'

const stores = [
  { id: 'store-xuhui', name: '徐汇漕溪北路店' },
  { id: 'store-jingan', name: '静安南京西路店' },
]
const owner = staffMe('owner', stores, '林老板')
const tap = (key: string, value: string) => ({ currentTarget: { dataset: { [key]: value } } })

describe('admin 优惠券管理 (list)', () => {
  usePageTest()

  it('lists templates with state, issuer and claims; filters by state; offers 新建', async () => {
    const cloud = fakeCloud({
      'admin.me': owner,
      'admin.couponTemplates.list': (input) => ({
        templates: input.status === 'active' ? [adminTemplate({ status: 'active', statusName: '进行中', claimed: 63 })] : [adminTemplate(), adminTemplate({ id: 'tpl-2', title: '店庆折扣', status: 'active', statusName: '进行中', claimed: 63 })],
      }),
    })
    const page = mount('admin/pages/coupon-templates/index')
    page.instance.onLoad({})
    await settle()
    const text = textOf(page)
    expect(text).toContain('新建')
    expect(text).toContain('新客立减券')
    expect(text).toContain('草稿')
    expect(text).toContain('总部 · 已领 63/100 · 领取后 7 天内有效')
    page.instance.onFilter(tap('value', 'active'))
    await settle()
    expect(cloud.calls.at(-1)?.input).toEqual({ status: 'active' })
    expect(page.data.rows).toHaveLength(1)
  })

  it('a clerk sees why the page is empty; a failure shows the error state', async () => {
    fakeCloud({ 'admin.me': staffMe('clerk', [stores[0]]) })
    const clerk = mount('admin/pages/coupon-templates/index')
    clerk.instance.onLoad({})
    await settle()
    expect(clerk.data.viewState).toBe('empty')
    expect(textOf(clerk)).toContain('您的角色不能管理优惠券')

    fakeCloud({ 'admin.me': owner, 'admin.couponTemplates.list': { templates: [] } })
    const none = mount('admin/pages/coupon-templates/index')
    none.instance.onLoad({})
    await settle()
    expect(textOf(none)).toContain('还没有优惠券')

    fakeCloud({ 'admin.me': owner, 'admin.couponTemplates.list': () => fail('NETWORK', '网络不给力，请稍后重试') })
    const broken = mount('admin/pages/coupon-templates/index')
    broken.instance.onLoad({})
    await settle()
    expect(broken.data.viewState).toBe('error')
  })
})
