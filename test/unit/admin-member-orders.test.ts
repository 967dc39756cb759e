import { orderRows } from '../../miniprogram/admin/pages/member/view-model'

describe('member profile order rows', () => {
  it('shows yuan, status and channel in Chinese, and keeps the refund flag', () => {
    const rows = orderRows([
      { outTradeNo: 'C1', amountFen: 1880, status: 'paid', channel: 'cashier', storeName: '徐汇店', createdAt: '2026-11-22T04:05:00.000Z', pointsEarned: 18, refundable: true },
      { outTradeNo: 'W2', amountFen: 5, status: 'refunded', channel: 'wxpay', storeName: '', createdAt: null, pointsEarned: 0, refundable: false },
    ])
    expect(rows[0]).toMatchObject({ amountText: '¥18.80', statusText: '已支付', refundable: true })
    expect(rows[0].meta).toMatch(/^徐汇店 · 门店收银 · 11-22 \d\d:05$/)
    expect(rows[1]).toMatchObject({ amountText: '¥0.05', statusText: '已退款', meta: '微信支付', refundable: false })
  })
  it('shows a WeChat refund in flight or failed beside the status (reconciliation)', () => {
    const rows = orderRows([
      { outTradeNo: 'W3', amountFen: 600, status: 'paid', channel: 'wxpay', storeName: '', createdAt: null, pointsEarned: 6, refundable: true, refundNote: '微信退款异常（如用户银行卡已注销或冻结），请在微信支付商户平台处理' },
      { outTradeNo: 'W4', amountFen: 600, status: 'closed', channel: 'wxpay', storeName: '', createdAt: null, pointsEarned: 0, refundable: false },
    ])
    expect(rows[0].statusText).toBe('已支付 · 微信退款异常（如用户银行卡已注销或冻结），请在微信支付商户平台处理')
    expect(rows[1].statusText).toBe('已关闭')
  })
})
