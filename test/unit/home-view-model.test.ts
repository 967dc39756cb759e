import { homeViewModel } from '../../miniprogram/pages/home/view-model'

describe('homeViewModel', () => {
  it('formats the server time and the short id', () => {
    const view = homeViewModel(
      { pong: true, serverTime: '2026-01-05T04:07:00.000Z' },
      { openid: 'o-1234567890', appid: 'wx', source: 'wx_client' },
    )
    expect(view.serviceText).toBe('服务正常')
    expect(view.shortId).toBe('567890')
    expect(view.serverTimeText).toMatch(/^2026年1月5日 \d\d:07$/)
  })
})
