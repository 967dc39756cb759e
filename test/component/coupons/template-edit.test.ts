import { mount, settle } from '../helpers/mount'
import { fakeCloud, fail, staffMe, stubWx, textOf, usePageTest } from '../helpers/fake-cloud'
import { adminTemplate } from '../helpers/coupon-fixtures'

const stores = [
  { id: 'store-xuhui', name: '徐汇漕溪北路店' },
  { id: 'store-jingan', name: '静安南京西路店' },
]
const owner = staffMe('owner', stores, '林老板')
const field = (name: string, value: string) => ({ currentTarget: { dataset: { field: name } }, detail: { value } })
const tap = (key: string, value: string) => ({ currentTarget: { dataset: { [key]: value } } })

describe('admin 优惠券 (one template)', () => {
  const { toasts, restores } = usePageTest()

  it('creates a 折扣 template for chosen stores; a discount without a cap is refused before asking', async () => {
    const cloud = fakeCloud({
      'admin.me': owner,
      'admin.couponTemplates.create': (input) => ({ template: adminTemplate({ id: 'tpl-new', title: input.title, type: 'discount', valueLabel: '8.5折' }) }),
    })
    const page = mount('admin/pages/coupon-template/index')
    page.instance.onLoad({})
    await settle()
    expect(page.data.viewState).toBe('ready')
    expect(textOf(page)).toContain('总部（全部门店）')
    page.instance.onType(tap('value', 'discount'))
    page.instance.onField(field('title', '店庆 8.5 折'))
    page.instance.onField(field('rate', '85'))
    page.instance.onField(field('threshold', '50'))
    await page.instance.onSave()
    expect(toasts).toContain('折扣券须设置最高优惠金额')
    expect(cloud.actions()).not.toContain('admin.couponTemplates.create')
    page.instance.onField(field('cap', '30'))
    page.instance.onToggle(tap('flag', 'allStores'))
    page.instance.onUsableStore(tap('id', 'store-jingan'))
    page.instance.onAudience(tap('kind', 'tiers'))
    page.instance.onField(field('audienceList', '2,3'))
    await page.instance.onSave()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'couponTemplates.create')?.input).toEqual({
      storeId: null,
      title: '店庆 8.5 折',
      rulesText: '',
      value: { type: 'discount', ratePercent: 85, capFen: 3000, thresholdFen: 5000 },
      validity: { kind: 'relative', days: 7, delayDays: 0 },
      stock: 100,
      perMemberLimit: 1,
      perDayLimit: 0,
      audience: { kind: 'tiers', levels: [2, 3] },
      forwardable: true,
      stackable: false,
      usableStoreIds: ['store-jingan'],
    })
    expect(toasts).toContain('已创建草稿，确认后点「开始发放」')
    expect(textOf(page)).toContain('开始发放')
  })

  it('once claimed only stock and rules text are sent; state actions and the campaign link', async () => {
    const claimed = adminTemplate({ status: 'active', statusName: '进行中', claimed: 12, remaining: 88, editable: 'limited', transitions: ['paused', 'ended'] })
    restores.push(stubWx('showModal', (o: { success: (r: { confirm: boolean }) => void }) => o.success({ confirm: true })))
    const cloud = fakeCloud({
      'admin.me': owner,
      'admin.couponTemplates.get': { template: claimed },
      'admin.couponTemplates.update': (input) => ({ template: { ...claimed, stock: input.stock ?? claimed.stock } }),
      'admin.couponTemplates.setStatus': (input) => ({ template: { ...claimed, status: input.to, statusName: input.to === 'paused' ? '已暂停' : '已结束', transitions: input.to === 'paused' ? ['active', 'ended'] : [] } }),
      'admin.couponTemplates.link': { scene: 't=Ab12Cd34', page: 'coupons/pages/claim/index', sharePath: 'coupons/pages/claim/index?t=Ab12Cd34', shareTitle: '新客立减券｜¥10', qrDataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
    })
    const page = mount('admin/pages/coupon-template/index')
    page.instance.onLoad({ id: 'tpl-cash' })
    await settle()
    expect(textOf(page)).toContain('已有人领取：只能增加库存')
    expect(page.data.locked).toBe(true)
    page.instance.onType(tap('value', 'gift'))
    expect(page.data.form.type).toBe('cash')
    page.instance.onField(field('stock', '300'))
    page.instance.onField(field('rulesText', '周末可用'))
    await page.instance.onSave()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'couponTemplates.update')?.input).toEqual({ templateId: 'tpl-cash', stock: 300, rulesText: '周末可用' })

    await page.instance.onStatus(tap('to', 'paused'))
    await settle()
    expect(cloud.calls.find((c) => c.action === 'couponTemplates.setStatus')?.input).toEqual({ templateId: 'tpl-cash', to: 'paused' })
    expect(textOf(page)).toContain('恢复发放')

    await page.instance.onLink()
    await settle()
    expect(textOf(page)).toContain('场景值 t=Ab12Cd34')
    expect(page.instance.onShareAppMessage()).toEqual({ title: '新客立减券｜¥10', path: '/coupons/pages/claim/index?t=Ab12Cd34' })
  })

  it('shows the server\'s refusal (a locked field) and the error state', async () => {
    fakeCloud({
      'admin.me': owner,
      'admin.couponTemplates.get': { template: adminTemplate() },
      'admin.couponTemplates.update': () => fail('TEMPLATE_LOCKED', '已有人领取：只能增加库存、暂停、结束或修改使用说明'),
    })
    const page = mount('admin/pages/coupon-template/index')
    page.instance.onLoad({ id: 'tpl-cash' })
    await settle()
    page.instance.onField(field('value', '20'))
    await page.instance.onSave()
    expect(toasts.join()).toContain('已有人领取')

    fakeCloud({ 'admin.me': owner, 'admin.couponTemplates.get': () => fail('NOT_FOUND', '券模板不存在') })
    const missing = mount('admin/pages/coupon-template/index')
    missing.instance.onLoad({ id: 'tpl-x' })
    await settle()
    expect(missing.data.viewState).toBe('error')
    expect(textOf(missing)).toContain('券模板不存在')
  })
})
