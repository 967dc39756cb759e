import { cloudConfig } from '../config'

export interface PaymentParams {
  timeStamp: string
  nonceStr: string
  package: string
  signType: string
  paySign: string
}

/** wx.requestPayment as a promise; rejects with an Error that carries WeChat's errMsg. */
export function requestPayment(p: PaymentParams): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.requestPayment({
      timeStamp: p.timeStamp,
      nonceStr: p.nonceStr,
      package: p.package,
      signType: p.signType as 'MD5',
      paySign: p.paySign,
      success: () => resolve(),
      fail: (err) => reject(Object.assign(new Error(err.errMsg), { errMsg: err.errMsg })),
    })
  })
}

export function isLocalMode(): boolean {
  return cloudConfig.mode === 'local'
}

/**
 * Local mode only: the local cloud plays WeChat Pay; this asks it to mark the order paid and
 * deliver the payment callback. Never rejects (the status poll tells the outcome).
 */
export function simulateLocalPayment(outTradeNo: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.request({
      url: `${cloudConfig.gatewayUrl}/pay/orders/${encodeURIComponent(outTradeNo)}/pay`,
      method: 'POST',
      data: {},
      header: { 'content-type': 'application/json' },
      success: (res) => resolve(res.statusCode >= 200 && res.statusCode < 300),
      fail: () => resolve(false),
    })
  })
}
