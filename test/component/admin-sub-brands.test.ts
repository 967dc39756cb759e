import { mount, settle } from './helpers/mount'
import { fail, fakeCloud, textOf, usePageTest, type Routes } from './helpers/fake-cloud'
import { owner, region, tree } from './helpers/chain-fixtures'
import { DEFAULT_SETTINGS } from '../../cloudfunctions/domain/merchant-settings'

/** 子品牌与区域 (issue 17): the tree, sub-brand card looks, store assignment; loaded, empty and error. */
describe('子品牌与区域 page', () => {
  const { toasts } = usePageTest()
  const settings = { settings: { ...DEFAULT_SETTINGS, brandName: '拾光集团' } }

  async function open(routes: Routes) {
    const cloud = fakeCloud({ 'admin.settings.get': settings, ...routes })
    const page = mount('admin/pages/sub-brands/index')
    page.instance.onLoad()
    await settle()
    return { page, cloud }
  }

  it('shows the tree with each sub-brand card look and lets owner/HQ assign stores', async () => {
    const assigned: unknown[] = []
    const { page } = await open({ 'admin.me': owner, 'admin.subBrands.list': tree, 'admin.stores.assign': (i) => (assigned.push(i), { storeId: 'S3', subBrandId: 'B1', regionId: 'R1' }) })
    expect(page.data.viewState).toBe('ready')
    const text = textOf(page)
    expect(text).toContain('拾光咖啡·浦西')
    expect(text).toContain('会员卡样式（本子品牌）')
    expect(text).toContain('拾光集团')
    expect(text).toContain('会员卡样式（沿用集团）')
    expect(text).toContain('区域 · 浦西区')
    expect(text).toContain('未分区域：静安店')
    expect(page.data.stores.map((s: any) => [s.name, s.place])).toEqual([['浦东店', '总部直属'], ['徐汇店', '拾光咖啡 · 浦西区'], ['静安店', '拾光茶饮']])
    expect(page.data.targetLabels).toEqual(['总部直属（不属于子品牌）', '拾光咖啡', '拾光咖啡 · 浦西区', '拾光茶饮'])
    await page.instance.onAssign({ currentTarget: { dataset: { id: 'S3' } }, detail: { value: '2' } } as any)
    expect(assigned).toEqual([{ storeId: 'S3', subBrandId: 'B1', regionId: 'R1' }])
    expect(toasts).toContain('已划归')
  })

  it('edits a sub-brand card look, refusing a bad colour before asking', async () => {
    const sent: unknown[] = []
    const { page } = await open({ 'admin.me': owner, 'admin.subBrands.list': tree, 'admin.subBrands.update': (i) => (sent.push(i), { subBrand: { id: 'B2', name: '拾光茶饮', brandName: '拾光茶饮', card: null } }) })
    page.instance.onEditLook({ currentTarget: { dataset: { id: 'B2' } } } as any)
    expect(page.querySelector('#edit-look')).toBeTruthy()
    page.instance.onLookField({ currentTarget: { dataset: { field: 'brandName' } }, detail: { value: '拾光茶饮' } } as any)
    page.instance.onLookField({ currentTarget: { dataset: { field: 'background' } }, detail: { value: 'green' } } as any)
    await page.instance.onSaveLook()
    expect(toasts).toEqual(['颜色格式应为 #RRGGBB'])
    expect(sent).toEqual([])
    page.instance.onLookField({ currentTarget: { dataset: { field: 'background' } }, detail: { value: '#0a5c36' } } as any)
    await page.instance.onSaveLook()
    expect(sent).toEqual([{ subBrandId: 'B2', brandName: '拾光茶饮', card: { background: '#0a5c36', textColor: DEFAULT_SETTINGS.card.textColor } }])
  })

  it('gives a region manager the tree to read, without create or assign', async () => {
    const { page } = await open({ 'admin.me': region, 'admin.subBrands.list': { subBrands: [{ ...tree.subBrands[0], editable: false }], unassignedStores: [] } })
    expect(page.querySelector('#create')).toBeFalsy()
    expect(page.querySelector('#assign')).toBeFalsy()
    expect(textOf(page)).not.toContain('编辑会员卡样式')
    expect(textOf(page)).toContain('浦西区')
  })

  it('is empty for a consumer and an error state when the tree fails to load', async () => {
    const { page } = await open({ 'admin.me': { staff: null } })
    expect(page.data.viewState).toBe('empty')
    const failed = await open({ 'admin.me': owner, 'admin.subBrands.list': () => fail('NETWORK', '网络不给力，请稍后重试') })
    expect(failed.page.data.viewState).toBe('error')
    expect(textOf(failed.page)).toContain('网络不给力')
  })
})
