import { callCloud } from '../../../lib/call-cloud'
import { defineRotatingCode } from '../../../lib/rotating-code'
import { formatShortCode } from '../../../shared/coupon-labels'

/**
 * A coupon's code for the clerk: QR + barcode of the scan code and the short code to type,
 * rotating every minute like the member code (lib/rotating-code), so a screenshot or the code a
 * sender kept after forwarding is useless. `fail` fires when the server refuses a code (the
 * coupon was forwarded, used …): the page reloads to show why.
 */
defineRotatingCode({
  properties: { couponId: { type: String, value: '' } },
  refetchOn: ['couponId'],
  ready(props) {
    return typeof props.couponId === 'string' && props.couponId !== ''
  },
  async fetch(props) {
    const couponId = typeof props.couponId === 'string' ? props.couponId : ''
    const res = await callCloud('member', 'couponCode', { couponId })
    return { code: res.code, shortText: formatShortCode(res.shortCode) }
  },
  placeholder: '券码加载中…',
  failText: '券码获取失败',
  tip: (seconds) => `${seconds} 秒后自动刷新 · 核销时请向店员出示`,
})
