import { mount, settle } from '../helpers/mount'
import { fail, fakeCloud, textOf, usePageTest } from '../helpers/fake-cloud'
import { owner } from '../helpers/chain-fixtures'
import { shortIdOf } from '../../../miniprogram/touch/lib/short-id'
import { layout } from '../../../miniprogram/admin/components/chart/layout'

/** 数据看板, 渠道码 list and detail, and the landing page: loaded, empty and error. */
const metric = (key: string, label: string, value: number, previous: number, unit: 'count' | 'fen' | 'percent' = 'count') => ({
  key, label, value, previous, change: previous === 0 ? null : Math.round(((value - previous) / previous) * 1000) / 10, unit,
})
export const dashboard = {
  scopeLabel: '全部门店',
  period: 7 as const,
  fromDay: '2026-11-26',
  toDay: '2026-12-02',
  metrics: [metric('salesFen', '销售额', 1_234_500, 1_000_000, 'fen'), metric('orders', '订单数', 321, 300), metric('newMembers', '新增会员', 45, 0), metric('repurchaseRate', '复购率（复购订单占比）', 38.5, 40, 'percent')],
  salesByDay: Array.from({ length: 7 }, (_, i) => ({ day: `2026-11-${26 + i > 30 ? '0' + (26 + i - 30) : 26 + i}`, salesFen: 100_000 + i * 20_000 })),
  byStore: [{ storeId: 'S1', name: '徐汇店', salesFen: 800_000, orders: 200 }, { storeId: 'S2', name: '静安店', salesFen: 434_500, orders: 121 }],
  funnelByTouchpoint: [{ id: 'tp1', name: '桌牌 A1', visits: 120, members: 30, firstPurchases: 25, secondPurchases: 8 }],
  funnelByStore: [{ id: 'S1', name: '徐汇店', visits: 120, members: 30, firstPurchases: 25, secondPurchases: 8 }],
}
const figures = { visits: 120, newMembers: 30, firstPurchases: 25, orders: 40, salesFen: 256_000, costFen: 20_000, roi: 12.8, costPerMemberFen: 667 }
export const touchpoint = {
  id: 'tp1', shortId: 'Ab3dEf7h', name: '桌牌 A1', kind: 'tableTent' as const, kindName: '桌牌', storeId: 'S1', storeName: '徐汇店', costFen: 20_000,
  target: { kind: 'pay' as const }, targetName: '门店付款页', clerkOpenid: null, clerkName: '', status: 'active' as const, createdAt: '2026-11-01T04:00:00.000Z',
}

describe('数据看板 page', () => {
  usePageTest()

  it('shows each figure with its change, the charts and the funnels; switching the period asks again', async () => {
    const sent: any[] = []
    fakeCloud({ 'admin.me': owner, 'admin.dashboard.get': (i) => (sent.push(i), { dashboard }) })
    const page = mount('admin/pages/dashboard/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('ready')
    const text = textOf(page)
    expect(text).toContain('¥12345.00')
    expect(text).toContain('较上期 +23.5%')
    // No earlier figure: no percentage at all.
    expect(text).toContain('较上期 —')
    expect(text).toContain('访问 120 → 会员 30 → 首单 25 → 二次 8')
    expect(page.querySelector('#sales-chart')).toBeTruthy()
    expect(page.querySelector('#store-chart')).toBeTruthy()
    page.instance.onPeriod({ currentTarget: { dataset: { value: '30' } } } as any)
    await settle()
    expect(sent).toEqual([{ period: 7 }, { period: 30 }])
  })

  it('shows the error with a retry', async () => {
    fakeCloud({ 'admin.me': owner, 'admin.dashboard.get': () => fail('INTERNAL', '系统繁忙，请稍后重试') })
    const page = mount('admin/pages/dashboard/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('error')
  })
})

describe('渠道码 pages', () => {
  usePageTest()

  it('lists touchpoints with their last 30 days and ROI', async () => {
    fakeCloud({ 'admin.me': owner, 'admin.touchpoints.list': { touchpoints: [{ ...touchpoint, last30: figures }] } })
    const page = mount('admin/pages/touchpoints/index')
    page.instance.onLoad()
    await settle()
    expect(textOf(page)).toContain('徐汇店 · 桌牌 · 打开门店付款页')
    expect(textOf(page)).toContain('ROI 12.8')
  })

  it('says when there is none', async () => {
    fakeCloud({ 'admin.me': owner, 'admin.touchpoints.list': { touchpoints: [] } })
    const page = mount('admin/pages/touchpoints/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('empty')
    expect(page.data.emptyText).toBe('还没有渠道码')
  })

  it('shows the code image, share path and report; no cost reads as —', async () => {
    fakeCloud({
      'admin.me': owner,
      'admin.touchpoints.report': { touchpoint, fromDate: '2026-11-03', toDate: '2026-12-02', figures: { ...figures, costFen: 0, roi: null } },
      'admin.touchpoints.link': { scene: 'tp=Ab3dEf7h', page: 'touch/pages/open/index', sharePath: 'touch/pages/open/index?tp=Ab3dEf7h', qrDataUrl: 'data:image/png;base64,AAAA' },
    })
    const page = mount('admin/pages/touchpoint/index')
    page.instance.onLoad({ id: 'tp1' })
    await settle()
    expect(page.data.qrDataUrl).toBe('data:image/png;base64,AAAA')
    expect(textOf(page)).toContain('touch/pages/open/index?tp=Ab3dEf7h')
    expect(textOf(page)).toContain('—（无成本）')
    expect(textOf(page)).toContain('¥2560.00')
  })
})

describe('touchpoint landing and chart layout', () => {
  it('reads the short id from the code scene or the share path', () => {
    expect(shortIdOf({ scene: encodeURIComponent('tp=Ab3dEf7h') })).toBe('Ab3dEf7h')
    expect(shortIdOf({ tp: 'Ab3dEf7h' })).toBe('Ab3dEf7h')
    expect(shortIdOf({ scene: 'x=1' })).toBe('')
  })

  it('draws values to scale from zero', () => {
    const at = layout([{ label: 'a', value: 0 }, { label: 'b', value: 50 }, { label: 'c', value: 100 }], 'line', 216, 154)
    expect(at.map((p) => p.y)).toEqual([132, 72, 12])
    expect(at[0].x).toBe(8)
    expect(at[2].x).toBe(208)
  })
})
