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
})
