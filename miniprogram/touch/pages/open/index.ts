import { callCloud, CloudCallError } from '../../../lib/call-cloud'
import { definePage } from '../../../lib/page'
import { instanceStore } from '../../../lib/ui'
import { shortIdOf } from '../../lib/short-id'

const local = instanceStore(() => ({ shortId: '' }))

/**
 * A touchpoint's landing page (渠道码): the server records the visit and says where to go; the
 * visitor is then taken there (the pay page of the store, a coupon, a game, check-in or home).
 */
definePage({
  data: { opening: true },
  onQuery(query) {
    local(this).shortId = shortIdOf(query as Record<string, string | undefined>)
  },
  async load() {
    const shortId = local(this).shortId
    if (!shortId) throw new CloudCallError('NOT_FOUND', '渠道码无效')
    const { target } = await callCloud('member', 'touchpointOpen', { shortId })
    const qs = Object.entries(target.query).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')
    const url = `/${target.page}${qs ? `?${qs}` : ''}`
    if (target.tab) void wx.switchTab({ url: `/${target.page}` })
    else void wx.redirectTo({ url })
    return { viewState: 'ready', opening: true }
  },
})
