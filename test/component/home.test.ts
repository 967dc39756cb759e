import { mount, settle } from './helpers/mount'
import { CloudCallError, setTransport } from '../../miniprogram/lib/call-cloud'

describe('home page', () => {
  afterEach(() => setTransport(null))

  it('renders the service status and server time from callCloud', async () => {
    const calls: string[] = []
    setTransport(async (name, event) => {
      calls.push(`${name}.${event.action}`)
      if (event.action === 'ping') return { ok: true, data: { pong: true, serverTime: '2026-11-22T08:30:00.000Z' } }
      return { ok: true, data: { openid: 'o-user-abcdef123456', appid: 'wx1', source: 'wx_client' } }
    })
    const page = mount('pages/home/index')
    page.instance.onLoad()
    expect(page.data.viewState).toBe('loading')
    await settle()

    expect(calls.sort()).toEqual(['system.ping', 'system.whoami'])
    expect(page.data.viewState).toBe('ready')
    const text = page.dom!.textContent ?? ''
    expect(text).toContain('服务正常')
    expect(text).toContain('尾号 123456')
    expect(page.data.view.serverTimeText).toMatch(/^2026年11月22日 \d\d:30$/)
  })

  it('shows the error state with the server message and retries on tap', async () => {
    let fail = true
    setTransport(async (_name, event) => {
      if (fail) throw new CloudCallError('INTERNAL', '系统繁忙，请稍后重试')
      return event.action === 'ping'
        ? { ok: true, data: { pong: true, serverTime: '2026-11-22T08:30:00.000Z' } }
        : { ok: true, data: { openid: 'o-x-999999', appid: 'wx1', source: 'wx_client' } }
    })
    const page = mount('pages/home/index')
    page.instance.onLoad()
    await settle()
    expect(page.data.viewState).toBe('error')
    expect(page.dom!.textContent).toContain('系统繁忙，请稍后重试')
    expect(page.dom!.textContent).not.toContain('服务正常')

    fail = false
    const retryButton = page.querySelector('#state')!.querySelector('.state__retry')!
    retryButton.dispatchEvent('tap')
    await settle()
    expect(page.data.viewState).toBe('ready')
    expect(page.dom!.textContent).toContain('服务正常')
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
