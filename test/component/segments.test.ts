import { mount, settle } from './helpers/mount'
import { fakeCloud, fail, staffMe, stubWx, textOf, usePageTest, type RouteOutput } from './helpers/fake-cloud'
import { clearStaffSession } from '../../miniprogram/lib/staff-session'
import { rfmSegments, DEFAULT_RFM, DEFAULT_NOTICE_CAP_DAYS } from '../../miniprogram/shared/segment-rules'
import { DEFAULT_SETTINGS } from '../../cloudfunctions/domain/merchant-settings'

/** 人群与定向发券 pages: list, editor with the live count, campaign creation with a dry run, progress, results. */
const owner = staffMe('owner', [], '林老板')
const stores = { stores: [{ id: 's1', name: '徐汇店', address: '', phone: '', hours: '', latitude: 0, longitude: 0, status: 'open' as const, subBrandId: null, regionId: null }] } as unknown as RouteOutput<'admin.stores.list'>
const presets = rfmSegments(DEFAULT_RFM).map((p) => ({ preset: p.preset, name: p.name, root: p.root }))
const list: RouteOutput<'admin.segments.list'> = {
  segments: [{ id: 'seg_1', name: '60 天未到店', root: { op: 'and', items: [{ kind: 'recency', op: 'gte', days: 60 }] }, scopeStoreIds: null, updatedAt: '2026-12-01T00:00:00.000Z' }],
  presets,
  settings: { rfm: DEFAULT_RFM, noticeCapDays: DEFAULT_NOTICE_CAP_DAYS },
  canEditSettings: true,
}
const campaignView = {
  id: 'cmp_1', name: '老顾客回馈', segmentName: '60 天未到店', templateId: 't1', templateTitle: '回店立减 8 元', notify: true, holdoutPercent: 10,
  status: 'running' as const, startAt: '2026-12-01T02:00:00.000Z', startedAt: '2026-12-01T02:00:00.000Z', finishedAt: null, createdByName: '林老板', createdAt: '2026-12-01T02:00:00.000Z',
}
const zeroSkips = { noStock: 0, limit: 0, templateInactive: 0, holdout: 0, noConsent: 0, frequencyCap: 0, dailyCap: 0, failed: 0 }
const preview = (count: number): RouteOutput<'admin.segments.preview'> => ({
  count,
  sample: [{ memberNo: '10000023', name: '林**', phone: '139****0023', lastVisitAt: '2026-09-01T00:00:00.000Z', totalSpentFen: 12_000, favouriteStoreId: 's1' }],
  cost: { exact: true, complete: true, scanned: 0, reads: 2, gets: 1, counts: 1, aggregates: 0 },
})

describe('人群与定向发券 pages', () => {
  const { toasts, restores } = usePageTest()
  beforeEach(() => clearStaffSession())

  it('lists the RFM presets, saved segments and campaigns', async () => {
    fakeCloud({ 'admin.me': owner, 'admin.segments.list': list, 'admin.campaigns.list': { campaigns: [campaignView] } })
    const page = mount('admin/pages/segments/index')
    page.instance.onLoad({})
    await settle()
    const text = textOf(page)
    for (const want of ['重要价值会员', '重要唤回会员', '沉睡会员', '60 天未到店', '距上次消费 ≥ 60 天', '老顾客回馈', '发放中']) expect(text).toContain(want)
  })

  it('shows the error state when the list cannot load', async () => {
    fakeCloud({ 'admin.me': owner, 'admin.segments.list': () => fail('INTERNAL', '系统繁忙，请稍后重试'), 'admin.campaigns.list': { campaigns: [] } })
    const page = mount('admin/pages/segments/index')
    page.instance.onLoad({})
    await settle()
    expect(page.data.viewState).toBe('error')
  })

  it('editor: adding a condition asks the server for the live count and sample, then saves', async () => {
    let counted = 0
    const cloud = fakeCloud({
      'admin.me': owner,
      'admin.settings.get': { settings: DEFAULT_SETTINGS },
      'admin.stores.list': stores,
      'admin.segments.preview': () => preview((counted += 1) * 100),
      'admin.segments.save': (input) => ({ segment: { id: 'seg_new', name: input.name, root: input.root, scopeStoreIds: null, updatedAt: '2026-12-01T00:00:00.000Z' } }),
    })
    const page = mount('admin/pages/segment/index')
    page.instance.onLoad({})
    await settle()
    expect(textOf(page)).toContain('还没有条件')
    // 距上次消费 ≥ 90 天
    page.instance.onDraftField({ currentTarget: { dataset: { field: 'number' } }, detail: { value: '90' } })
    page.instance.onAdd()
    await new Promise((r) => setTimeout(r, 450))
    await settle()
    expect(cloud.calls.filter((c) => c.action === 'segments.preview').map((c) => c.input)).toEqual([{ root: { op: 'and', items: [{ kind: 'recency', op: 'gte', days: 90 }] } }])
    expect(textOf(page)).toContain('100 人')
    expect(textOf(page)).toContain('139****0023')
    // A bad number is refused on the page, nothing asked.
    page.instance.onDraftField({ currentTarget: { dataset: { field: 'number' } }, detail: { value: 'abc' } })
    page.instance.onAdd()
    expect(toasts).toContain('请输入天数（整数）')
    // 满足任一 → counted again.
    page.instance.onOp({ currentTarget: { dataset: { op: 'or' } } })
    await new Promise((r) => setTimeout(r, 450))
    await settle()
    expect(textOf(page)).toContain('200 人')
    page.instance.onName({ detail: { value: '90 天未到店' } })
    await page.instance.onSave()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'segments.save')?.input).toEqual({ name: '90 天未到店', root: { op: 'or', items: [{ kind: 'recency', op: 'gte', days: 90 }] } })
    expect(toasts).toContain('已保存')
  })

  it('campaign create: the dry run shows who would get what, then creating opens the progress page', async () => {
    const redirects: string[] = []
    restores.push(stubWx('redirectTo', (o: { url: string }) => redirects.push(o.url)))
    const cloud = fakeCloud({
      'admin.me': owner,
      'admin.segments.list': list,
      'admin.couponTemplates.list': { templates: [{ id: 't1', title: '回店立减 8 元', valueLabel: '¥8', remaining: 500 }] } as unknown as RouteOutput<'admin.couponTemplates.list'>,
      'admin.campaigns.dryRun': {
        segmentName: '60 天未到店', audience: 230, complete: true, holdout: 23, wouldIssue: 207, noStock: 0, templateTitle: '回店立减 8 元', remaining: 500,
        sample: [{ memberNo: '10000023', name: '林**', phone: '139****0023', lastVisitAt: null, totalSpentFen: 0, favouriteStoreId: null, fate: 'issue', notice: true }],
      },
      'admin.campaigns.create': { campaign: campaignView },
    })
    const page = mount('admin/pages/campaign-create/index')
    page.instance.onLoad({ segmentId: 'seg_1' })
    await settle()
    expect(textOf(page)).toContain('60 天未到店')
    await page.instance.onDryRun()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'campaigns.dryRun')?.input).toEqual({ segmentId: 'seg_1', templateId: 't1', holdoutPercent: 10, notify: true })
    const text = textOf(page)
    expect(text).toContain('人群 230 人，对照组约 23 人，将发券 207 张')
    expect(text).toContain('会收到通知')
    page.instance.onHoldout({ detail: { value: '80' } })
    await page.instance.onCreate()
    expect(toasts).toContain('对照组比例须为 0–50 的整数')
    page.instance.onHoldout({ detail: { value: '10' } })
    await page.instance.onCreate()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'campaigns.create')?.input).toEqual({ segmentId: 'seg_1', name: '60 天未到店专享', templateId: 't1', holdoutPercent: 10, notify: true })
    expect(redirects).toEqual(['/admin/pages/campaign/index?id=cmp_1'])
  })

  it('campaign progress: drives the job until done and shows why members were skipped', async () => {
    let runs = 0
    const cloud = fakeCloud({
      'admin.me': owner,
      'admin.campaigns.get': { campaign: campaignView, progress: { processed: 0, issued: 0, holdout: 0, notified: 0, skipped: zeroSkips } },
      'admin.campaigns.run': () => {
        runs += 1
        const done = runs >= 3
        return { campaign: { ...campaignView, status: done ? ('done' as const) : ('running' as const) }, busy: false, progress: { processed: runs * 100, issued: runs * 80, holdout: runs * 10, notified: runs * 30, skipped: { ...zeroSkips, holdout: runs * 10, noStock: done ? 10 : 0, frequencyCap: runs * 5 } } }
      },
    })
    const page = mount('admin/pages/campaign/index')
    page.instance.onLoad({ id: 'cmp_1' })
    for (let i = 0; i < 6; i += 1) await settle()
    expect(cloud.calls.filter((c) => c.action === 'campaigns.run')).toHaveLength(3)
    const text = textOf(page)
    expect(text).toContain('已完成')
    expect(text).toContain('240')
    expect(text).toContain('库存不足：10 人')
    expect(text).toContain('近期已收到活动通知：15 人')
  })

  it('campaign results: issued, used rate and sales against the hold-out', async () => {
    fakeCloud({
      'admin.me': owner,
      'admin.campaigns.results': {
        campaign: { ...campaignView, status: 'done' },
        progress: { processed: 230, issued: 207, holdout: 23, notified: 80, skipped: zeroSkips },
        results: {
          issued: 207, notified: 80, used: 41, usedRatePercent: 19.8, reads: 3, windowFrom: '2026-12-01T02:00:00.000Z', windowTo: '2026-12-15T02:00:00.000Z',
          treated: { members: 207, buyers: 60, salesFen: 207_000, perMemberFen: 1000 }, holdout: { members: 23, buyers: 3, salesFen: 6_900, perMemberFen: 300 }, liftPerMemberFen: 700,
        },
      },
    })
    const page = mount('admin/pages/campaign-results/index')
    page.instance.onLoad({ id: 'cmp_1' })
    await settle()
    const text = textOf(page)
    expect(text).toContain('207 张')
    expect(text).toContain('41 张（19.8%）')
    expect(text).toContain('人均 ¥10.00')
    expect(text).toContain('多 ¥7.00 / 人')
    expect(text).toContain('2026-12-01 至 2026-12-15')
  })
})
