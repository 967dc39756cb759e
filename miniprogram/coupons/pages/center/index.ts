import { callCloud, hasCode } from '../../../lib/call-cloud'
import { datasetText } from '../../../lib/dataset'
import { definePage } from '../../../lib/page'
import { toast, toastError } from '../../../lib/ui'
import { templateItem, type TemplateItem } from '../../lib/templates'

/**
 * 领券中心: the active templates this member may claim, with what is left, the limits and the
 * validity. A claim is the server's to grant (stock, limits, audience); whatever it answers, the
 * list is read again so the buttons say what is true now (sold out, limit reached).
 */
definePage({
  data: { items: [] as TemplateItem[], claiming: '' },
  refreshOnShow: true,
  methods: {
    async onClaim(e: WechatMiniprogram.TouchEvent) {
      const id = datasetText(e, 'id')
      if (!id || this.data.claiming) return
      this.setData({ claiming: id })
      try {
        await callCloud('member', 'claimCoupon', { templateId: id })
        toast('领取成功，已放入「我的券」')
      } catch (err) {
        toastError(err)
        if (!hasCode(err, 'SOLD_OUT', 'LIMIT_REACHED', 'DAILY_LIMIT_REACHED', 'TEMPLATE_NOT_ACTIVE', 'NOT_ELIGIBLE')) return
      } finally {
        this.setData({ claiming: '' })
      }
      await this.reload({ quiet: true })
    },
    goMine() {
      void wx.switchTab({ url: '/pages/coupons/index' })
    },
  },
  async load() {
    const { templates } = await callCloud('member', 'couponCenter', {})
    return templates.length ? { items: templates.map(templateItem) } : { items: [], viewState: 'empty' }
  },
})
