import { mount, settle } from './helpers/mount'
import { fakeCloud, fail, stubWx, textOf } from './helpers/fake-cloud'
import { setTransport } from '../../miniprogram/lib/call-cloud'

const item = (id: number, delta: number, title: string) => ({ id: `l${id}`, delta, title, createdAt: '2026-11-20T04:00:00.000Z' })

describe('points history page', () => {
  const restores: (() => void)[] = []
  afterEach(() => {
    setTransport(null)
    restores.splice(0).forEach((r) => r())
  })

  it('lists the ledger and loads the next page on reaching the bottom', async () => {
    const cloud = fakeCloud({
      'member.pointsHistory': (input: unknown) => {
        const { page } = input as { page: number }
        return page === 1
          ? { items: [item(1, 120, '消费得积分'), item(2, -30, '退款扣回')], hasMore: true }
          : { items: [item(2, -30, '退款扣回'), item(3, 200, '邀请好友奖励')], hasMore: false }
      },
    })
    const page = mount('pages/points/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('ready')
    let text = textOf(page)
    expect(text).toContain('消费得积分')
    expect(text).toContain('+120')
    expect(text).toContain('-30')
    expect(text).toContain('上拉加载更多')

    page.instance.onReachBottom()
    page.instance.onReachBottom() // a second scroll event while loading does not load twice
    await settle()
    expect(cloud.calls.map((c) => (c.input as { page: number }).page)).toEqual([1, 2])
    expect(page.data.rows.map((r: { id: string }) => r.id)).toEqual(['l1', 'l2', 'l3'])
    text = textOf(page)
    expect(text).toContain('邀请好友奖励')
    expect(text).toContain('没有更多了')
    page.instance.onReachBottom()
    await settle()
    expect(cloud.calls).toHaveLength(2)
  })

  it('shows 暂无积分记录 for someone who is not a member yet', async () => {
    fakeCloud({ 'member.pointsHistory': () => fail('NOT_FOUND', '您还不是会员，完成首次支付即可成为会员') })
    const page = mount('pages/points/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('empty')
    expect(textOf(page)).toContain('暂无积分记录')
  })

  it('shows 暂无积分记录 when there is no history', async () => {
    fakeCloud({ 'member.pointsHistory': { items: [], hasMore: false } })
    const page = mount('pages/points/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('empty')
    expect(textOf(page)).toContain('暂无积分记录')
  })

  it('shows the error state, and keeps the list when only the next page fails', async () => {
    fakeCloud({ 'member.pointsHistory': () => fail('INTERNAL', '系统繁忙，请稍后重试') })
    const page = mount('pages/points/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('error')
    expect(textOf(page)).toContain('系统繁忙，请稍后重试')

    const toasts: string[] = []
    restores.push(stubWx('showToast', (o: { title: string }) => toasts.push(o.title)))
    fakeCloud({
      'member.pointsHistory': (input: unknown) =>
        (input as { page: number }).page === 1 ? { items: [item(1, 10, '消费得积分')], hasMore: true } : fail('NETWORK', '网络不给力，请稍后重试'),
    })
    page.instance.onRetry()
    await settle()
    page.instance.onReachBottom()
    await settle()
    expect(page.data.viewState).toBe('ready')
    expect(page.data.rows).toHaveLength(1)
    expect(toasts).toContain('网络不给力，请稍后重试')
    expect(textOf(page)).toContain('加载失败，点击重试')
  })
})
