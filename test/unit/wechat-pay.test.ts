/**
 * The WeChat Pay module: the sub-merchant id comes from WXPAY_SUB_MCH_ID; WeChat's sample id is
 * used only when the runtime says it is the local cloud; anywhere else a missing id fails before
 * anything reaches WeChat Pay. Every call carries what cloudPay requires.
 */
import type * as sdk from 'wx-server-sdk'
import { AppError } from '../../cloudfunctions/shared/errors'
import { LOCAL_SUB_MCH_ID, subMchId, wechatPay, WechatPayConfigError, type PayCloud } from '../../cloudfunctions/services/wechat-pay'

type Api = sdk.CloudPay.Api

function fakeCloud(answers: Partial<Api>, env = 'prod-1a2b3c'): { cloud: PayCloud; calls: [string, unknown][] } {
  const calls: [string, unknown][] = []
  const record = <K extends keyof Api>(name: K): Api[K] =>
    (async (params: unknown) => {
      calls.push([name, params])
      const answer = answers[name] as ((p: unknown) => Promise<unknown>) | undefined
      if (!answer) throw new Error(`unexpected cloudPay.${name}`)
      return answer(params)
    }) as Api[K]
  const api: Api = {
    unifiedOrder: record('unifiedOrder'),
    refund: record('refund'),
    queryOrder: record('queryOrder'),
    closeOrder: record('closeOrder'),
    queryRefund: record('queryRefund'),
  }
  const cloudPay = Object.assign((_options: { appid: string }) => api, api)
  return { cloud: { cloudPay, getWXContext: () => ({ ENV: env }) }, calls }
}

const ok = { returnCode: 'SUCCESS' as const, resultCode: 'SUCCESS' as const, errCode: 0, errMsg: 'cloudPay.x:ok' }
const payment = { appId: 'wx1', timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'MD5', paySign: 'S' }

describe('subMchId', () => {
  it('is the configured variable, trimmed', () => {
    expect(subMchId({ WXPAY_SUB_MCH_ID: ' 1712734762 ' })).toBe('1712734762')
    expect(subMchId({ WXPAY_SUB_MCH_ID: '1712734762', LOCAL_CLOUD_RUNTIME: '1' })).toBe('1712734762')
  })
  it('falls back to the sample id only on the local cloud runtime', () => {
    expect(subMchId({ LOCAL_CLOUD_RUNTIME: '1' })).toBe(LOCAL_SUB_MCH_ID)
  })
  it('fails outside the local cloud when missing, empty or malformed', () => {
    expect(() => subMchId({})).toThrow(WechatPayConfigError)
    expect(() => subMchId({ WXPAY_SUB_MCH_ID: '' })).toThrow(/WXPAY_SUB_MCH_ID/)
    expect(() => subMchId({ LOCAL_CLOUD_RUNTIME: 'true' })).toThrow(WechatPayConfigError)
    expect(() => subMchId({ WXPAY_SUB_MCH_ID: 'mch-001' })).toThrow(/格式错误/)
    expect(() => subMchId({ WXPAY_SUB_MCH_ID: 'mch-001', LOCAL_CLOUD_RUNTIME: '1' })).toThrow(/格式错误/)
  })
})

describe('wechatPay', () => {
  const errors: unknown[] = []
  beforeEach(() => {
    errors.length = 0
    jest.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')))
  })
  afterEach(() => jest.restoreAllMocks())

  it('refuses to run unconfigured on a real environment, loudly, before calling WeChat Pay', () => {
    const { cloud, calls } = fakeCloud({})
    expect(() => wechatPay(cloud, {})).toThrow(AppError)
    expect(() => wechatPay(cloud, {})).toThrow('微信支付尚未开通，请联系商家')
    expect(calls).toHaveLength(0)
    expect(errors.join('\n')).toMatch(/WXPAY_SUB_MCH_ID/)
  })

  it('places an order with every parameter cloudPay requires', async () => {
    const { cloud, calls } = fakeCloud({ unifiedOrder: async () => ({ ...ok, payment }) })
    const res = await wechatPay(cloud, { WXPAY_SUB_MCH_ID: '1712734762' }).unifiedOrder({ outTradeNo: '20260101000000123', totalFee: 990, body: '品牌-门店', callbackFunction: 'member' })
    expect(res).toEqual({ ok: true, value: payment })
    const [name, params] = calls[0]
    expect(name).toBe('unifiedOrder')
    expect(params).toEqual({
      body: '品牌-门店', outTradeNo: '20260101000000123', spbillCreateIp: '127.0.0.1', subMchId: '1712734762', totalFee: 990,
      envId: 'prod-1a2b3c', functionName: 'member', nonceStr: expect.stringMatching(/^[0-9a-f]{32}$/), tradeType: 'JSAPI',
    })
  })

  it('reports WeChat Pay refusals with their reason, protocol-level or business', async () => {
    const { cloud } = fakeCloud({
      unifiedOrder: async () => ({ returnCode: 'FAIL', returnMsg: '缺少参数', errCode: 0, errMsg: 'cloudPay.unifiedOrder:ok' }),
      refund: async () => ({ ...ok, resultCode: 'FAIL', errCodeDes: '订单已全额退款' }),
    })
    const pay = wechatPay(cloud, { LOCAL_CLOUD_RUNTIME: '1' })
    expect(await pay.unifiedOrder({ outTradeNo: 'A1', totalFee: 1, body: 'b', callbackFunction: 'member' })).toEqual({ ok: false, reason: '缺少参数' })
    expect(await pay.refund({ outTradeNo: 'A1', outRefundNo: 'RA1', totalFee: 1, refundFee: 1, callbackFunction: 'member' })).toEqual({ ok: false, reason: '订单已全额退款' })
  })

  it('refunds with the sub-merchant id, a nonce and the callback environment', async () => {
    const { cloud, calls } = fakeCloud({ refund: async () => ({ ...ok, refundId: '5030' }) })
    const res = await wechatPay(cloud, { LOCAL_CLOUD_RUNTIME: '1' }).refund({ outTradeNo: 'A1', outRefundNo: 'RA1', totalFee: 500, refundFee: 500, callbackFunction: 'member' })
    expect(res).toEqual({ ok: true, value: { refundId: '5030' } })
    expect(calls[0][1]).toEqual({
      outTradeNo: 'A1', outRefundNo: 'RA1', totalFee: 500, refundFee: 500, subMchId: LOCAL_SUB_MCH_ID,
      nonceStr: expect.stringMatching(/^[0-9a-f]{32}$/), envId: 'prod-1a2b3c', functionName: 'member',
    })
  })
})
