import { mount, settle } from './helpers/mount'
import { fakeCloud, fail, stubWx, textOf, usePageTest, type RouteOutput } from './helpers/fake-cloud'
import { setTransport } from '../../miniprogram/lib/call-cloud'
import { demoBrand, demoCardMember } from './helpers/fixtures'

const brand = demoBrand
const cardMember = demoCardMember
const memberCard: RouteOutput<'member.card'> = { brand, member: cardMember }
const TOKEN = 'iabcdefghjk2'
const summary: RouteOutput<'member.inviteSummary'> = {
  inviter: '10000023',
  inviteToken: TOKEN,
  minQualifyingFen: 1000,
  rewardPoints: 200,
  qualifyingAction: 'firstPayment',
  invitedCount: 2,
  rewardedCount: 1,
  pointsEarned: 200,
  friends: [
    { name: '微信好友 #A1B2', status: 'rewarded', boundAt: '2026-11-01T02:00:00.000Z' },
    { name: '微信好友 #C3D4', status: 'bound', boundAt: '2026-11-02T02:00:00.000Z' },
  ],
}

describe('invite page', () => {
  afterEach(() => setTransport(null))

  it('shows the rule, the counts and the invited friends; shares the card page with my member number', async () => {
    fakeCloud({ 'member.card': memberCard, 'member.inviteSummary': summary })
    const page = mount('pages/invite/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('ready')
    const text = textOf(page)
    expect(text).toContain('好友首次消费后，您将获得 200 积分')
    expect(text).toContain('微信好友 #A1B2')
    expect(text).toContain('已消费，奖励已到账')
    expect(text).toContain('已接受邀请，待首次消费')
    expect(text).toContain('分享行为本身不获得奖励')
    expect(page.data.view.invitedCount).toBe(2)

    const share = page.instance.onShareAppMessage()
    // Issue 12: links carry the invite token, never the member number.
    expect(share.path).toBe(`/pages/card/index?invite=${TOKEN}`)
    expect(share.title).toContain('山野咖啡')
    expect(page.instance.onShareTimeline().query).toBe(`invite=${TOKEN}`)
  })

  it('shows an encouraging line when no friend has joined yet', async () => {
    fakeCloud({ 'member.card': memberCard, 'member.inviteSummary': { ...summary, invitedCount: 0, rewardedCount: 0, pointsEarned: 0, friends: [] } })
    const page = mount('pages/invite/index')
    page.instance.onLoad()
    await settle()
    expect(textOf(page)).toContain('还没有好友接受邀请，快去分享吧')
  })

  it('asks a non-member to join first', async () => {
    const cloud = fakeCloud({ 'member.card': { brand, member: null } })
    const page = mount('pages/invite/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('empty')
    expect(textOf(page)).toContain('成为会员后即可邀请好友')
    expect(textOf(page)).toContain('去支付，成为会员')
    expect(cloud.actions()).toEqual(['member.card'])
  })

  it('shows the error state', async () => {
    fakeCloud({ 'member.card': memberCard, 'member.inviteSummary': () => fail('INTERNAL', '系统繁忙，请稍后重试') })
    const page = mount('pages/invite/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('error')
    expect(textOf(page)).toContain('系统繁忙，请稍后重试')
  })
})

describe('invite page opened from a shared link', () => {
  const { toasts, restores } = usePageTest()

  it('binds a non-member to the inviter once and shows the join pitch with 去支付', async () => {
    const cloud = fakeCloud({
      'member.card': { brand, member: null },
      'member.bindInviter': { bound: true, message: '已接受好友邀请，完成首次消费即可成为会员' },
    })
    const navigations: string[] = []
    restores.push(stubWx('navigateTo', (o: { url: string }) => navigations.push(o.url)))
    const page = mount('pages/invite/index')
    page.instance.onLoad({ inviter: '10000023' })
    await settle()
    page.instance.onShow()
    await settle()
    expect(cloud.calls.filter((c) => c.action === 'bindInviter')).toEqual([{ name: 'member', action: 'bindInviter', input: { inviter: '10000023' } }])
    const text = textOf(page)
    expect(text).toContain('好友邀请您加入会员')
    expect(text).toContain('支付即会员')
    expect(text).toContain('去支付，成为会员')
    expect(text).not.toContain('成为会员后即可邀请好友')
    expect(toasts).toEqual(['已接受好友邀请，完成首次消费即可成为会员'])
    page.instance.goPay()
    expect(navigations).toEqual(['/pages/pay/index'])
  })

  it('treats inviteSummary NOT_FOUND as not a member yet', async () => {
    const cloud = fakeCloud({
      'member.card': memberCard,
      'member.inviteSummary': () => fail('NOT_FOUND', '您还不是会员，完成首次支付即可邀请好友'),
      'member.bindInviter': { bound: true, message: '已接受好友邀请，完成首次消费即可成为会员' },
    })
    const page = mount('pages/invite/index')
    page.instance.onLoad({ inviter: '10000023' })
    await settle()
    expect(cloud.actions()).toContain('member.bindInviter')
    expect(textOf(page)).toContain('好友邀请您加入会员')
  })

  it('keeps the pitch and shows the server message when binding is refused', async () => {
    fakeCloud({ 'member.card': { brand, member: null }, 'member.bindInviter': () => fail('CONFLICT', '您已接受过其他好友的邀请') })
    const page = mount('pages/invite/index')
    page.instance.onLoad({ inviter: '10000023' })
    await settle()
    expect(toasts).toEqual(['您已接受过其他好友的邀请'])
    expect(textOf(page)).toContain('去支付，成为会员')
  })

  it('does not bind without a valid inviter', async () => {
    const cloud = fakeCloud({ 'member.card': { brand, member: null } })
    const page = mount('pages/invite/index')
    page.instance.onLoad({ inviter: 'abc' })
    await settle()
    expect(cloud.actions()).toEqual(['member.card'])
    expect(page.data.viewState).toBe('empty')
  })

  it('in Moments single-page mode (scene 1154) shows a static pitch without any cloud call', async () => {
    const cloud = fakeCloud({ 'member.card': memberCard, 'member.inviteSummary': summary })
    restores.push(stubWx('getEnterOptionsSync', () => ({ scene: 1154, query: { inviter: '10000023' } })))
    const page = mount('pages/invite/index')
    page.instance.onLoad({ inviter: '10000023' })
    await settle()
    page.instance.onShow()
    page.instance.onPullDownRefresh()
    await settle()
    expect(cloud.calls).toEqual([])
    const text = textOf(page)
    expect(text).toContain('好友邀请您加入会员')
    expect(text).toContain('支付即会员')
    expect(text).toContain('点击下方「前往小程序」参与')
    expect(text).not.toContain('去支付，成为会员')
  })

  it('coming back after paying, a new member sees the invite card (quietly, no loading state)', async () => {
    let member: typeof cardMember | null = null
    const cloud = fakeCloud({
      'member.card': () => ({ brand, member }),
      'member.inviteSummary': () => (member ? summary : fail('NOT_FOUND', '您还不是会员')),
      'member.bindInviter': { bound: true, message: '已接受好友邀请' },
    })
    const page = mount('pages/invite/index')
    page.instance.onLoad({ inviter: '10000023' })
    await settle()
    expect(textOf(page)).toContain('好友邀请您加入会员')

    member = { ...cardMember, memberNo: '10000031' }
    const states: string[] = []
    const setData = page.instance.setData.bind(page.instance)
    page.instance.setData = (patch: Record<string, unknown>) => {
      if (typeof patch.viewState === 'string') states.push(patch.viewState)
      setData(patch)
    }
    page.instance.onShow()
    await settle()
    expect(states).toEqual(['ready'])
    expect(textOf(page)).toContain('我邀请的好友')
    expect(textOf(page)).not.toContain('好友邀请您加入会员')
    expect(cloud.actions().filter((a) => a === 'member.bindInviter')).toHaveLength(1)
  })

  it('keeps the invite card when a quiet refresh fails', async () => {
    let down = false
    fakeCloud({ 'member.card': () => (down ? fail('NETWORK', '网络不给力，请稍后重试') : memberCard), 'member.inviteSummary': summary })
    const page = mount('pages/invite/index')
    page.instance.onLoad({})
    await settle()
    down = true
    page.instance.onShow()
    await settle()
    expect(page.data.viewState).toBe('ready')
    expect(textOf(page)).toContain('微信好友 #A1B2')
  })
})
