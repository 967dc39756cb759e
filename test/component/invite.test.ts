import { mount, settle } from './helpers/mount'
import { fakeCloud, fail, textOf } from './helpers/fake-cloud'
import { setTransport } from '../../miniprogram/lib/call-cloud'

const brand = { name: '山野咖啡', logoUrl: '', cardBackground: '#0b3d2e', cardTextColor: '#ffffff' }
const memberCard = { brand, member: { memberNo: '10000023' } }
const summary = {
  inviter: '10000023',
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
    expect(share.path).toBe('/pages/card/index?inviter=10000023')
    expect(share.title).toContain('山野咖啡')
    expect(page.instance.onShareTimeline().query).toBe('inviter=10000023')
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
