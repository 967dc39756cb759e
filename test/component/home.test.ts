import { mount, settle } from './helpers/mount'
import { CloudCallError, setTransport } from '../../miniprogram/lib/call-cloud'

const brand = { name: '拾光咖啡', logoUrl: '', cardBackground: '#1f2a44', cardTextColor: '#f5e6c8' }
const member = {
  memberNo: '12345678', tierName: '金卡会员', tierLevel: 2, points: 810, pointsDebt: 0, growth: 610, nextTierName: '黑金会员',
  growthToNext: 1390, progressPercent: 7, benefits: [], birthday: null, phoneMasked: null, joinedAt: '2026-11-01T00:00:00.000Z',
  totalSpentFen: 61000, visitCount: 5,
}

describe('home page', () => {
  afterEach(() => setTransport(null))

  it('renders the member summary from callCloud', async () => {
    const calls: string[] = []
    setTransport(async (name, event) => {
      calls.push(`${name}.${event.action}`)
      return { ok: true, data: { brand, member } }
    })
    const page = mount('pages/home/index')
    page.instance.onLoad()
    expect(page.data.viewState).toBe('loading')
    await settle()

    expect(calls).toEqual(['member.card'])
    expect(page.data.viewState).toBe('ready')
    const text = page.dom!.textContent ?? ''
    expect(text).toContain('拾光咖啡')
    expect(text).toContain('尊敬的金卡会员')
    expect(text).toContain('810')
    expect(text).toContain('邀请好友')
    expect(text).not.toContain('去支付，成为会员')
  })

  it('invites a non-member to pay', async () => {
    setTransport(async () => ({ ok: true, data: { brand, member: null } }))
    const page = mount('pages/home/index')
    page.instance.onLoad()
    await settle()
    expect(page.dom!.textContent).toContain('去支付，成为会员')
    expect(page.dom!.textContent).toContain('首次支付即成为会员')
  })

  it('shows the error state with the server message and retries on tap', async () => {
    let fail = true
    setTransport(async () => {
      if (fail) throw new CloudCallError('INTERNAL', '系统繁忙，请稍后重试')
      return { ok: true, data: { brand, member } }
    })
    const page = mount('pages/home/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('error')
    expect(page.dom!.textContent).toContain('系统繁忙，请稍后重试')
    expect(page.dom!.textContent).not.toContain('拾光咖啡')

    fail = false
    // The state-view's 重新加载 button calls its onRetry, which fires `retry` to the page.
    page.querySelector('#state')!.instance.onRetry()
    await settle()
    expect(page.data.viewState).toBe('ready')
    expect(page.dom!.textContent).toContain('尊敬的金卡会员')
  })

  it('treats a malformed answer as an error, not as data', async () => {
    setTransport(async () => ({ unexpected: true }))
    const page = mount('pages/home/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('error')
    expect(page.data.errorMessage).toBe('服务返回异常，请稍后重试')
  })
})

describe('home page refreshes (definePage)', () => {
  afterEach(() => setTransport(null))

  it('a quiet refresh that supersedes a pull-down and fails shows the error, not an endless spinner', async () => {
    let answer: 'ok' | 'hang' | 'fail' = 'ok'
    setTransport(async () => {
      if (answer === 'hang') return new Promise<never>(() => undefined)
      if (answer === 'fail') throw new CloudCallError('INTERNAL', '系统繁忙，请稍后重试')
      return { ok: true, data: { brand, member } }
    })
    const page = mount('pages/home/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('ready')

    answer = 'hang'
    page.instance.onPullDownRefresh()
    await settle()
    expect(page.data.viewState).toBe('loading')
    // Back on the page while the pull-down hangs: the quiet refresh takes over, and fails.
    answer = 'fail'
    page.instance.onShow()
    await settle()
    expect(page.data.viewState).toBe('error')
    expect(page.dom!.textContent).toContain('系统繁忙，请稍后重试')
  })

  it('a quiet refresh that fails over a shown page keeps what is shown', async () => {
    let fails = false
    setTransport(async () => {
      if (fails) throw new CloudCallError('INTERNAL', '系统繁忙，请稍后重试')
      return { ok: true, data: { brand, member } }
    })
    const page = mount('pages/home/index')
    page.instance.onLoad()
    await settle()
    fails = true
    page.instance.onShow()
    await settle()
    expect(page.data.viewState).toBe('ready')
    expect(page.dom!.textContent).toContain('810')
  })
})
