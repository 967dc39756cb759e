import { callCloud } from '../../lib/call-cloud'
import { defineRotatingCode } from '../../lib/rotating-code'

/**
 * The member's rotating identity code (member.code), as a QR code and a barcode. The rotation
 * (every minute while on screen, stopped when hidden or removed) is lib/rotating-code's.
 */
defineRotatingCode({
  async fetch() {
    return (await callCloud('member', 'code', {})).code
  },
  placeholder: '会员码加载中…',
  failText: '会员码获取失败',
})
