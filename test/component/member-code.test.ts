import { mount, settle } from './helpers/mount'
import { fakeCloud, fail, textOf } from './helpers/fake-cloud'
import { setTransport } from '../../miniprogram/lib/call-cloud'

describe('member-code component (owns the code rotation)', () => {
  beforeEach(() => {
    // the ticker's setInterval is driven by the test; settle() and the draw fallback keep real setTimeout
    jest.useFakeTimers({ doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] })
  })
  afterEach(() => {
    jest.useRealTimers()
    setTransport(null)
  })

  it('fetches a code when attached, counts down and fetches a fresh one every minute', async () => {
    let n = 0
    const cloud = fakeCloud({ 'member.code': () => ({ code: `100000231234565432${n++}`, expiresAt: 0 }) })
    const mc = mount('components/member-code/index')
    await settle()
    expect(mc.data.code).toBe('1000002312345654320')
    expect(mc.data.running).toBe(true)
    expect(textOf(mc)).toContain('1000 0023 1234 5654 320')
    expect(textOf(mc)).toContain('60 秒后自动刷新')

    jest.advanceTimersByTime(1000)
    expect(mc.data.seconds).toBe(59)
    expect(textOf(mc)).toContain('59 秒后自动刷新')
    jest.advanceTimersByTime(59_000)
    await settle()
    expect(mc.data.code).toBe('1000002312345654321')
    expect(mc.data.seconds).toBe(60)
    expect(cloud.actions()).toEqual(['member.code', 'member.code'])
    mc.detach()
  })

  it('stops while its page is hidden, starts again with a fresh code when shown, and stops when removed', async () => {
    let n = 0
    const cloud = fakeCloud({ 'member.code': () => ({ code: `100000231234565432${n++}`, expiresAt: 0 }) })
    const mc = mount('components/member-code/index')
    await settle()
    mc.triggerPageLifeTime('hide')
    expect(mc.data.running).toBe(false)
    jest.advanceTimersByTime(5 * 60_000)
    await settle()
    expect(cloud.actions()).toEqual(['member.code'])

    mc.triggerPageLifeTime('show')
    await settle()
    expect(mc.data.running).toBe(true)
    expect(mc.data.code).toBe('1000002312345654321')
    mc.triggerPageLifeTime('show') // a second show does not start a second ticker
    await settle()
    jest.advanceTimersByTime(1000)
    expect(mc.data.seconds).toBe(59)

    mc.detach()
    expect(mc.data.running).toBe(false)
    jest.advanceTimersByTime(5 * 60_000)
    await settle()
    // one fetch when attached, one when shown again; none for the second show, none once removed
    expect(cloud.actions()).toHaveLength(2)
  })

  it('hides the code after a failed fetch, says why, and tries again in a few seconds (or at a tap)', async () => {
    let down = true
    const cloud = fakeCloud({ 'member.code': () => (down ? fail('NETWORK', '网络不给力，请稍后重试') : { code: '1000002312345654321', expiresAt: 0 }) })
    const mc = mount('components/member-code/index')
    await settle()
    expect(mc.data.code).toBe('')
    expect(textOf(mc)).toContain('会员码获取失败：网络不给力，请稍后重试')
    expect(textOf(mc)).toContain('会员码加载中')
    jest.advanceTimersByTime(5000)
    await settle()
    expect(cloud.actions()).toEqual(['member.code', 'member.code'])

    down = false
    mc.instance.onTapTip()
    await settle()
    expect(mc.data.code).toBe('1000002312345654321')
    expect(textOf(mc)).toContain('60 秒后自动刷新')
    mc.detach()
  })

  it('a code that arrives after the component was removed is not drawn', async () => {
    let answer: (v: { code: string; expiresAt: number }) => void = () => undefined
    fakeCloud({ 'member.code': () => new Promise((resolve) => (answer = resolve)) })
    const mc = mount('components/member-code/index')
    await settle()
    mc.detach()
    answer({ code: '1000002312345654329', expiresAt: 0 })
    await settle()
    expect(mc.data.code).toBe('')
  })
})
