import { DEFAULT_SETTINGS, type MerchantSettings } from '../../cloudfunctions/domain/merchant-settings'
import { mount, settle } from './helpers/mount'
import { fail, fakeCloud, staffMe, stubWx, textOf, usePageTest, type Routes } from './helpers/fake-cloud'

const owner = staffMe('owner', [], '林老板')
const clerk = staffMe('clerk', [{ id: 'S1', name: '徐汇店' }], '小林')
const settings: MerchantSettings = JSON.parse(JSON.stringify({ ...DEFAULT_SETTINGS, brandName: '拾光咖啡' }))

const input = (field: string, value: string, index?: number) => ({ currentTarget: { dataset: { field, ...(index === undefined ? {} : { index }) } }, detail: { value } })

describe('商家设置 page', () => {
  const { toasts, restores } = usePageTest()

  async function loaded(me: Routes['admin.me'], routes: Routes = {}) {
    const cloud = fakeCloud({ 'admin.me': me, 'admin.settings.get': { settings }, ...routes })
    const page = mount('admin/pages/settings/index')
    page.instance.onLoad()
    await settle()
    return { page, cloud }
  }

  it('lets the owner edit the brand and a tier, and sends only what changed', async () => {
    const sent: unknown[] = []
    const { page, cloud } = await loaded(owner, {
      'admin.settings.update': (i: unknown) => {
        sent.push(i)
        const patch = i as Partial<MerchantSettings>
        return { settings: { ...settings, ...patch, tiers: patch.tiers!.map((t, n) => ({ ...t, level: n + 1 })) } }
      },
    })
    expect(page.data.viewState).toBe('ready')
    expect(textOf(page)).toContain('拾光咖啡')
    expect(textOf(page)).not.toContain('仅老板可修改')
    expect(page.querySelector('#save')).toBeTruthy()

    page.instance.onField(input('brandName', '拾光咖啡·旗舰'))
    expect(page.data.preview.brandName).toBe('拾光咖啡·旗舰')
    page.instance.onTierField(input('multiplier', '1.3', 1))
    page.instance.onTierField(input('benefits', '积分 1.3 倍，生日礼券、新品优先试饮', 1))
    const first = page.instance.onSave()
    const second = page.instance.onSave()
    await Promise.all([first, second])
    await settle()

    expect(cloud.actions().filter((a) => a === 'admin.settings.update')).toHaveLength(1)
    expect(sent).toEqual([
      {
        brandName: '拾光咖啡·旗舰',
        tiers: [
          { name: '银卡会员', minGrowth: 0, multiplierPercent: 100, benefits: ['消费积分', '生日礼券'] },
          { name: '金卡会员', minGrowth: 500, multiplierPercent: 130, benefits: ['积分 1.3 倍', '生日礼券', '新品优先试饮'] },
          { name: '黑金会员', minGrowth: 2000, multiplierPercent: 150, benefits: ['积分 1.5 倍', '生日双倍礼', '专属客服'] },
        ],
      },
    ])
    expect(toasts).toEqual(['已保存'])
    expect(page.data.saving).toBe(false)
    expect(page.data.form.tiers[1].multiplier).toBe('1.3')

    // Saved: saving again has nothing to send.
    toasts.length = 0
    await page.instance.onSave()
    expect(toasts).toEqual(['没有需要修改的内容'])
  })

  it('checks the form before sending: thresholds ascending, at least one tier', async () => {
    const { page, cloud } = await loaded(owner)
    page.instance.onTierField(input('minGrowth', '300', 2))
    await page.instance.onSave()
    expect(toasts).toEqual(['会员等级的成长值门槛必须从低到高递增'])
    expect(textOf(page)).toContain('会员等级的成长值门槛必须从低到高递增')
    expect(cloud.actions()).not.toContain('admin.settings.update')

    page.instance.onRemoveTier({ currentTarget: { dataset: { index: 2 } } })
    page.instance.onRemoveTier({ currentTarget: { dataset: { index: 1 } } })
    toasts.length = 0
    page.instance.onRemoveTier({ currentTarget: { dataset: { index: 0 } } })
    expect(toasts).toEqual(['至少需要一个会员等级'])
    expect(page.data.form.tiers).toHaveLength(1)

    page.instance.onAddTier()
    expect(page.data.form.tiers[1]).toMatchObject({ name: '', minGrowth: '1000', multiplier: '1' })
    toasts.length = 0
    await page.instance.onSave()
    expect(toasts).toEqual(['第 2 个等级：请输入等级名称'])
  })

  it("shows the server's message when it refuses the save", async () => {
    const { page } = await loaded(owner, { 'admin.settings.update': () => fail('FORBIDDEN', '仅老板可修改商家设置') })
    page.instance.onField(input('lapseDays', '90'))
    await page.instance.onSave()
    await settle()
    expect(toasts).toEqual(['仅老板可修改商家设置'])
    expect(textOf(page)).toContain('仅老板可修改商家设置')
    expect(page.data.saving).toBe(false)
    expect(page.data.form.lapseDays).toBe('90')
  })

  it('shows a long server refusal in a dialog', async () => {
    const shown: string[] = []
    restores.push(stubWx('showModal', (o: { content: string }) => shown.push(o.content)))
    const long = '参数不正确（tiers：会员等级的成长值门槛必须从低到高递增）'
    const { page } = await loaded(owner, { 'admin.settings.update': () => fail('INVALID_INPUT', long) })
    page.instance.onField(input('brandName', '新名字'))
    await page.instance.onSave()
    expect(shown).toEqual([long])
  })

  it('shows non-owners a read-only view without a save button', async () => {
    const { page, cloud } = await loaded(clerk)
    expect(page.data.viewState).toBe('ready')
    const text = textOf(page)
    expect(text).toContain('仅老板可修改')
    expect(text).toContain('每消费 1 元得 1 积分')
    expect(text).toContain('好友首次消费后，邀请人得 200 积分')
    expect(text).toContain('成长值 ≥ 500 · 积分 1.2 倍')
    expect(page.querySelector('#save')).toBeFalsy()
    expect(page.querySelector('#brand-name')).toBeFalsy()
    await page.instance.onSave()
    expect(cloud.actions()).not.toContain('admin.settings.update')
  })

  it('shows the error state when loading fails, and loads again on retry', async () => {
    const cloud = fakeCloud({ 'admin.me': owner, 'admin.settings.get': () => fail('NETWORK', '网络不给力，请稍后重试') })
    const page = mount('admin/pages/settings/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('error')
    expect(textOf(page)).toContain('网络不给力，请稍后重试')
    expect(textOf(page)).toContain('重新加载')
    cloud.reset()
    fakeCloud({ 'admin.me': owner, 'admin.settings.get': { settings } })
    page.instance.onRetry()
    await settle()
    expect(page.data.viewState).toBe('ready')
  })
})
