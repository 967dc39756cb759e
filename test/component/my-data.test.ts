import { mount, settle } from './helpers/mount'
import { fail, fakeCloud, stubWx, textOf, usePageTest } from './helpers/fake-cloud'
import { demoBrand } from './helpers/fixtures'
import type { RouteOutput } from './helpers/fake-cloud'

const MY_DATA: RouteOutput<'member.myData'> = {
  profile: {
    memberNo: '10000023', nickname: '小林', avatarFileId: null, phone: '13812345678', birthday: '05-17', tierName: '银卡会员', points: 128, pointsDebt: 0,
    growth: 1280, totalSpentFen: 128000, visitCount: 9, joinedAt: '2025-03-01T02:00:00.000Z', lastVisitAt: '2026-11-20T02:00:00.000Z',
  },
  tags: ['高消费', '咖啡控'],
  points: { total: 2, items: [{ delta: 200, title: '邀请好友奖励', createdAt: '2026-11-20T02:00:00.000Z' }, { delta: 36, title: '消费得积分', createdAt: '2026-11-19T02:00:00.000Z' }] },
  orders: { total: 1, items: [{ outTradeNo: '20261119000000000001', amountFen: 3600, status: 'paid', storeName: '徐汇店', createdAt: '2026-11-19T02:00:00.000Z' }] },
  referral: { invited: true, friendsInvited: 2 },
}

describe('个人信息 page', () => {
  const { restores } = usePageTest()

  function answerModals(...answers: boolean[]): { titles: string[]; contents: string[] } {
    const seen = { titles: [] as string[], contents: [] as string[] }
    restores.push(
      stubWx('showModal', (o: { title: string; content: string; success?: (r: { confirm: boolean }) => void }) => {
        seen.titles.push(o.title)
        seen.contents.push(o.content)
        o.success?.({ confirm: answers.shift() ?? true })
      }),
    )
    return seen
  }

  it('shows everything the merchant holds and copies it as text', async () => {
    fakeCloud({ 'member.myData': MY_DATA, 'member.card': { brand: demoBrand, member: null } })
    let copied = ''
    restores.push(stubWx('setClipboardData', (o: { data: string }) => ((copied = o.data), Promise.resolve({}))))
    const page = mount('conveniences/pages/my-data/index')
    page.instance.onLoad({})
    await settle()
    const text = textOf(page)
    for (const shown of ['10000023', '小林', '13812345678', '05-17', '银卡会员', '高消费', '咖啡控', '邀请好友奖励', '+200', '徐汇店', '¥36.00', '您是受好友邀请加入的', '您邀请了 2 位好友', '积分记录（共 2 条）', '位置信息']) {
      expect([shown, text.includes(shown)]).toEqual([shown, true])
    }
    page.instance.onCopy()
    expect(copied).toContain('山野咖啡保存的您的个人信息')
    expect(copied).toContain('手机号：13812345678')
    expect(copied).toContain('20261119000000000001')
    expect(copied).toContain('高消费、咖啡控')
  })

  it('deletes only after two confirmations that say what happens', async () => {
    const cloud = fakeCloud({ 'member.myData': MY_DATA, 'member.card': { brand: demoBrand, member: null }, 'member.deleteMembership': { deleted: true, pointsForfeited: 128 } })
    const page = mount('conveniences/pages/my-data/index')
    page.instance.onLoad({})
    await settle()

    const cancelled = answerModals(true, false)
    await page.instance.onDelete()
    expect(cancelled.titles).toEqual(['注销会员', '最后确认'])
    expect(cancelled.contents[0]).toContain('手机号、生日、昵称、头像、标签')
    expect(cancelled.contents[0]).toContain('订单和积分流水会保留')
    expect(cancelled.contents[1]).toContain('不可撤销')
    expect(cloud.actions()).not.toContain('member.deleteMembership')
    restores.pop()!()

    const confirmed = answerModals(true, true, true)
    await page.instance.onDelete()
    await settle()
    expect(cloud.calls.find((c) => c.action === 'deleteMembership')?.input).toEqual({ confirm: '确认注销' })
    expect(confirmed.titles).toEqual(['注销会员', '最后确认', '已注销'])
    expect(page.data.viewState).toBe('empty')
    expect(textOf(page)).toContain('您的会员已注销，个人信息已删除')
  })

  it('a failed deletion says why and keeps the page', async () => {
    fakeCloud({ 'member.myData': MY_DATA, 'member.card': { brand: demoBrand, member: null }, 'member.deleteMembership': () => fail('INTERNAL', '系统繁忙，请稍后重试') })
    const toasts: string[] = []
    restores.push(stubWx('showToast', (o: { title: string }) => toasts.push(o.title)))
    const page = mount('conveniences/pages/my-data/index')
    page.instance.onLoad({})
    await settle()
    answerModals(true, true)
    await page.instance.onDelete()
    expect(toasts).toEqual(['系统繁忙，请稍后重试'])
    expect(page.data.viewState).toBe('ready')
    expect(page.data.deleting).toBe(false)
  })

  it('a non-member sees that nothing is kept; errors offer a retry', async () => {
    fakeCloud({ 'member.myData': () => fail('NOT_FOUND', '您还不是会员') })
    const page = mount('conveniences/pages/my-data/index')
    page.instance.onLoad({})
    await settle()
    expect(page.data.viewState).toBe('empty')
    expect(textOf(page)).toContain('商家没有保存您的会员信息')

    fakeCloud({ 'member.myData': () => fail('INTERNAL', '系统繁忙，请稍后重试') })
    const broken = mount('conveniences/pages/my-data/index')
    broken.instance.onLoad({})
    await settle()
    expect(broken.data.viewState).toBe('error')
    expect(textOf(broken)).toContain('重新加载')
  })
})
