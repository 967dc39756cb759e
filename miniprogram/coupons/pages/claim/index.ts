import { callCloud, CloudCallError } from '../../../lib/call-cloud'
import { COUPON_PAGES } from '../../../lib/coupons'
import { definePage } from '../../../lib/page'
import { instanceStore, toast, toastError } from '../../../lib/ui'
import { templateItem, templateRefOf, type TemplateItem, type TemplateRef } from '../../lib/templates'

const local = instanceStore(() => ({ ref: null as TemplateRef }))

/**
 * A campaign's landing page (its share card or its QR code): one template and its 领取 button.
 * Anyone may claim without a form; a non-member becomes a member on their first payment.
 */
definePage({
  data: { item: null as TemplateItem | null, claiming: false, claimedId: '' },
  onQuery(query) {
    local(this).ref = templateRefOf(query)
  },
  methods: {
    async onClaim() {
      const item = this.data.item
      if (!item || this.data.claiming) return
      this.setData({ claiming: true })
      try {
        const { coupon } = await callCloud('member', 'claimCoupon', { templateId: item.id })
        toast('领取成功')
        this.setData({ claimedId: coupon.id })
      } catch (e) {
        toastError(e)
        // sold out or limit reached meanwhile: the button says so after a fresh read
        await this.reload({ quiet: true })
      } finally {
        this.setData({ claiming: false })
      }
    },
    goCoupon() {
      void wx.navigateTo({ url: `${COUPON_PAGES.detail}?id=${encodeURIComponent(this.data.claimedId)}` })
    },
    goCenter() {
      void wx.navigateTo({ url: COUPON_PAGES.center })
    },
  },
  async load() {
    const ref = local(this).ref
    if (!ref) throw new CloudCallError('NOT_FOUND', '活动链接无效')
    const { template } = await callCloud('member', 'couponTemplate', ref)
    return { item: templateItem(template) }
  },
})
