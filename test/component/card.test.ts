import { mount, settle } from './helpers/mount'
import { fakeCloud, fail, stubWx, textOf } from './helpers/fake-cloud'
import { setTransport } from '../../miniprogram/lib/call-cloud'
import { demoBrand, demoCardMember } from './helpers/fixtures'

type Mounted = ReturnType<typeof mount>
/** The member-code component on the card (it owns the code's rotation), if the card shows one. */
const codeOf = (page: Mounted) => page.querySelector('#code') as Mounted | undefined
/** What the host does when the page leaves / comes back: the page's onShow and every pageLifetimes. */
const hide = (page: Mounted) => page.triggerPageLifeTime('hide')
const show = (page: Mounted) => {
  page.instance.onShow()
  page.triggerPageLifeTime('show')
}

const brand = demoBrand
const member = { ...demoCardMember, benefits: ['消费 1 元得 1 积分', '生日月 8 折券'], phoneMasked: null as string | null }

describe('card page', () => {
  const restores: (() => void)[] = []
  afterEach(() => {
    setTransport(null)
    restores.splice(0).forEach((r) => r())
  })

  it('shows the brand card, tier, points, growth, benefits and the member code', async () => {
    const cloud = fakeCloud({ 'member.card': { brand, member }, 'member.code': { code: '1000002312345654321', expiresAt: Date.now() + 60000 } })
    const page = mount('pages/card/index')
    page.instance.onLoad({})
    await settle()
    expect(page.data.viewState).toBe('ready')
    const text = textOf(page)
    expect(text).toContain('山野咖啡')
    expect(text).toContain('银卡会员')
    expect(text).toContain('1280')
    expect(text).toContain('再获得 720 成长值升级为「金卡会员」')
    expect(text).toContain('生日月 8 折券')
    expect(text).toContain('积分明细')
    expect(text).toContain('邀请好友')
    expect(page.data.view.progressPercent).toBe(64)
    expect(codeOf(page)?.data.code).toBe('1000002312345654321')
    expect(text).toContain('60 秒后自动刷新')
    expect(codeOf(page)?.data.running).toBe(true)
    expect(cloud.actions()).toEqual(['member.card', 'member.code'])

    // hiding the page stops the rotation; showing it again refreshes the card and restarts it
    hide(page)
    expect(codeOf(page)?.data.running).toBe(false)
    show(page)
    await settle()
    expect(codeOf(page)?.data.running).toBe(true)
    expect(cloud.actions().filter((a) => a === 'member.card')).toHaveLength(2)
    const code = codeOf(page)
    page.detach()
    expect(code?.data.running).toBe(false)
  })

  it('coming back from paying shows the new member card (quiet refresh on show)', async () => {
    let paid = false
    fakeCloud({ 'member.card': () => ({ brand, member: paid ? member : null }), 'member.code': { code: '1000002312345654321', expiresAt: Date.now() + 60000 } })
    const page = mount('pages/card/index')
    page.instance.onLoad({})
    show(page)
    await settle()
    expect(page.data.viewState).toBe('empty')
    expect(textOf(page)).toContain('去支付，成为会员')
    hide(page)
    paid = true
    show(page)
    expect(page.data.viewState).toBe('empty') // no loading flash while refreshing
    await settle()
    expect(page.data.viewState).toBe('ready')
    expect(textOf(page)).toContain('银卡会员')
    expect(codeOf(page)?.data.running).toBe(true)
    page.detach()
  })

  it('a member shares the card with their invite; a failed refresh keeps what is shown', async () => {
    let down = false
    fakeCloud({ 'member.card': () => (down ? fail('NETWORK', '网络不给力，请稍后重试') : { brand, member, inviteToken: 'iabcdefghjk2' }), 'member.code': { code: '1000002312345654321', expiresAt: Date.now() + 60000 } })
    const page = mount('pages/card/index')
    page.instance.onLoad({})
    await settle()
    // Issue 12: the share carries the invite token, never the member number.
    expect(page.instance.onShareAppMessage()).toEqual({ title: '山野咖啡会员卡：首次消费即可加入，享积分与会员权益', path: '/pages/card/index?invite=iabcdefghjk2' })
    down = true
    show(page)
    await settle()
    expect(page.data.viewState).toBe('ready')
    expect(textOf(page)).toContain('银卡会员')
    page.detach()
  })

  it('counts down and fetches a new code when the minute is over', async () => {
    let n = 0
    fakeCloud({ 'member.card': { brand, member }, 'member.code': () => ({ code: `100000231234565432${n++}`, expiresAt: 0 }) })
    const page = mount('pages/card/index')
    page.instance.onLoad({})
    await settle()
    const code = codeOf(page) as Mounted
    expect(code.data.code).toBe('1000002312345654320')
    code.instance.tick()
    expect(code.data.seconds).toBe(59)
    expect(textOf(page)).toContain('59 秒后自动刷新')
    code.setData({ seconds: 1 })
    code.instance.tick()
    await settle()
    expect(code.data.code).toBe('1000002312345654321')
    expect(code.data.seconds).toBe(60)
    page.detach()
  })

  it('invites a non-member to pay, and binds the inviter from a shared link once', async () => {
    const cloud = fakeCloud({
      'member.card': { brand, member: null },
      'member.bindInviter': (input: unknown) => ({ bound: (input as { inviter: string }).inviter === '10000023', message: '已接受好友邀请，完成首次消费即可成为会员' }),
    })
    const toasts: string[] = []
    restores.push(stubWx('showToast', (o: { title: string }) => toasts.push(o.title)))
    const page = mount('pages/card/index')
    page.instance.onLoad({ inviter: '10000023' })
    await settle()
    expect(page.data.viewState).toBe('empty')
    const text = textOf(page)
    expect(text).toContain('完成首次支付即可成为会员')
    expect(text).toContain('去支付，成为会员')
    expect(text).toContain('山野咖啡')
    expect(cloud.calls.filter((c) => c.action === 'bindInviter')).toEqual([{ name: 'member', action: 'bindInviter', input: { inviter: '10000023' } }])
    expect(toasts).toContain('已接受好友邀请，完成首次消费即可成为会员')
    expect(codeOf(page)).toBeUndefined() // no member code, so nothing rotates

    page.instance.onRetry()
    await settle()
    expect(cloud.calls.filter((c) => c.action === 'bindInviter')).toHaveLength(1)
    expect(cloud.actions()).not.toContain('member.code')
  })

  it('shows the error state with the server message', async () => {
    fakeCloud({ 'member.card': () => fail('INTERNAL', '系统繁忙，请稍后重试') })
    const page = mount('pages/card/index')
    page.instance.onLoad({})
    await settle()
    expect(page.data.viewState).toBe('error')
    expect(textOf(page)).toContain('系统繁忙，请稍后重试')
    expect(textOf(page)).not.toContain('积分明细')
  })

  it('sets the birthday once after confirming that it cannot be changed', async () => {
    const cloud = fakeCloud({
      'member.card': { brand, member },
      'member.code': { code: '1000002312345654321', expiresAt: 0 },
      'member.setBirthday': (input) => input,
    })
    const modals: string[] = []
    restores.push(stubWx('showModal', (o: { content: string; success: (r: { confirm: boolean }) => void }) => (modals.push(o.content), o.success({ confirm: true }))))
    restores.push(stubWx('showToast', () => undefined))
    const page = mount('pages/card/index')
    page.instance.onLoad({})
    await settle()
    expect(textOf(page)).toContain('设置生日')
    await page.instance.onPickerConfirm({ detail: { value: ['02', '30'] } })
    expect(cloud.actions()).not.toContain('member.setBirthday')
    await page.instance.onPickerConfirm({ detail: { value: ['03', '08'] } })
    await settle()
    expect(modals[0]).toContain('生日设置后不可修改')
    expect(cloud.calls.find((c) => c.action === 'setBirthday')?.input).toEqual({ birthday: '03-08' })
    expect(page.data.view.canSetBirthday).toBe(false)
    expect(textOf(page)).toContain('3月8日')
    page.detach()
  })
})
