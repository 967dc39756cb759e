import { randomBytes } from 'node:crypto'
import type * as sdk from 'wx-server-sdk'
import { AppError } from '../shared/errors'

/**
 * The product's one WeChat Pay module: every cloudPay call goes through here, with the
 * merchant's sub-merchant id, a fresh nonce and the callback's environment filled in, and the
 * reply judged the same way everywhere. Types for cloud.cloudPay: typings/wx-server-sdk-cloudpay.d.ts.
 */
/** The part of the SDK this module uses. */
export type PayCloud = Pick<typeof sdk, 'cloudPay' | 'getWXContext'>
export type CloudPayApi = sdk.CloudPay.Api
export type Payment = sdk.CloudPay.Payment

/** The function environment variable holding the merchant's WeChat Pay sub-merchant id. */
export const SUB_MCH_ID_ENV = 'WXPAY_SUB_MCH_ID'
/**
 * Set by the local cloud's function runner in every worker's environment (never by a request,
 * and never inherited from the server's own environment, see local-cloud/src/function-runner.ts).
 */
export const LOCAL_RUNTIME_ENV = 'LOCAL_CLOUD_RUNTIME'
/** WeChat's documented sample sub-merchant id; only the local cloud's simulator gets it. */
export const LOCAL_SUB_MCH_ID = '1900000109'

/** Environment variables each function that uses this module needs on a real environment. */
export const WECHAT_PAY_ENV_VARS = [{ name: SUB_MCH_ID_ENV, description: '微信支付子商户号（服务商模式下的特约商户号，纯数字）' }] as const

/** Running on the local cloud: told by the runtime environment only. */
export function isLocalCloudRuntime(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[LOCAL_RUNTIME_ENV] === '1'
}

/** Why the module cannot be used here; the caller sees a generic message, the log says why. */
export class WechatPayConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WechatPayConfigError'
  }
}

/**
 * The sub-merchant id: the variable if set; WeChat's sample id on the local cloud only; anywhere
 * else a missing or malformed id is an error, so a real environment never pays into a sample
 * merchant.
 */
export function subMchId(env: NodeJS.ProcessEnv = process.env): string {
  const configured = (env[SUB_MCH_ID_ENV] ?? '').trim()
  if (configured) {
    if (!/^\d{1,32}$/.test(configured)) throw new WechatPayConfigError(`${SUB_MCH_ID_ENV} 格式错误：子商户号应为纯数字（当前值 “${configured}”）`)
    return configured
  }
  if (isLocalCloudRuntime(env)) return LOCAL_SUB_MCH_ID
  throw new WechatPayConfigError(`未配置 ${SUB_MCH_ID_ENV}：请在云函数的环境变量中填写微信支付子商户号`)
}

export interface PlaceOrderRequest {
  outTradeNo: string
  totalFee: number
  body: string
  /** The function that receives the payment callback (same environment). */
  callbackFunction: string
  spbillCreateIp?: string
  /** time_expire, yyyyMMddHHmmss China time: WeChat refuses payment after it (coupon-gaps: the coupon lock outlasts it). */
  timeExpire?: string
}

export interface RefundRequest {
  outTradeNo: string
  outRefundNo: string
  totalFee: number
  refundFee: number
  /** The function that receives the refund-result callback (same environment). */
  callbackFunction: string
}

/** WeChat Pay's answer, judged: accepted, or refused with WeChat's reason (no throw). */
export type PayOutcome<T> = { ok: true; value: T } | { ok: false; reason: string }

/**
 * What queryOrder says about an order. unknown: WeChat Pay has no such order (ORDERNOTEXIST: the
 * order was written and the function died before unifiedOrder). failed: the query itself failed
 * (nothing can be concluded; try again later).
 */
export type TradeQuery =
  | { state: 'paid' | 'refunded'; totalFee: number; payer: string; transactionId: string | null }
  | { state: 'unpaid' | 'closed' }
  | { state: 'unknown' }
  | { state: 'failed'; reason: string }

/** What queryRefund says about one refund number. */
export type RefundQuery =
  | { state: 'succeeded' | 'processing'; refundId: string; refundFee: number }
  | { state: 'failed'; refundId: string; refundFee: number; status: string }
  | { state: 'unknown' }
  | { state: 'error'; reason: string }

/** closeOrder's answer: closed, or already paid (ORDERPAID: capture it instead), or refused. */
export type CloseOutcome = { state: 'closed' } | { state: 'paid' } | { state: 'unknown' } | { state: 'failed'; reason: string }

export interface WechatPay {
  unifiedOrder(req: PlaceOrderRequest): Promise<PayOutcome<Payment>>
  refund(req: RefundRequest): Promise<PayOutcome<{ refundId: string }>>
  queryOrder(outTradeNo: string): Promise<TradeQuery>
  closeOrder(outTradeNo: string): Promise<CloseOutcome>
  queryRefund(outRefundNo: string): Promise<RefundQuery>
}

/**
 * Which business failure a result_code FAIL reply is. The SDK overwrites WeChat's err_code with
 * its own errCode 0 (docs/cloud-protocol.md §6), so only err_code_des is left: matched against
 * WeChat's documented descriptions (ORDERNOTEXIST 此交易订单号不存在, ORDERPAID 订单已支付,
 * REFUNDNOTEXIST 退款订单查询失败) and the shorter texts seen in replies (订单不存在).
 */
const FAILURE_TEXT = {
  ORDERNOTEXIST: /订单号?不存在|ORDERNOTEXIST|order not ?exist/i,
  ORDERPAID: /已支付|ORDERPAID/i,
  REFUNDNOTEXIST: /退款订单查询失败|退款单?不存在|REFUNDNOTEXIST/i,
} as const

function failureIs(reply: sdk.CloudPay.Reply, code: keyof typeof FAILURE_TEXT): boolean {
  return FAILURE_TEXT[code].test(reply.errCodeDes ?? '')
}

/** Text of a refusal: the business reason if any, else the protocol one. */
function refusal(reply: sdk.CloudPay.Reply): string {
  return reply.errCodeDes || reply.returnMsg || '支付服务异常'
}

function accepted(reply: sdk.CloudPay.Reply): boolean {
  return reply.returnCode === 'SUCCESS' && reply.resultCode === 'SUCCESS'
}

/**
 * The module bound to this invocation's SDK. Throws AppError INTERNAL (and logs the reason
 * loudly) when WeChat Pay is not configured here; nothing has been sent to WeChat then.
 */
export function wechatPay(cloud: PayCloud, env: NodeJS.ProcessEnv = process.env): WechatPay {
  let mch: string
  try {
    mch = subMchId(env)
  } catch (e) {
    console.error(`[wechat-pay] 微信支付未配置，已拒绝调用：${(e as Error).message}`)
    throw new AppError('INTERNAL', '微信支付尚未开通，请联系商家')
  }
  const api = cloud.cloudPay
  const envId = String(cloud.getWXContext().ENV ?? '')
  const nonceStr = (): string => randomBytes(16).toString('hex')
  return {
    async unifiedOrder(req) {
      const reply = await api.unifiedOrder({
        body: req.body,
        outTradeNo: req.outTradeNo,
        spbillCreateIp: req.spbillCreateIp ?? '127.0.0.1',
        subMchId: mch,
        totalFee: req.totalFee,
        envId,
        functionName: req.callbackFunction,
        nonceStr: nonceStr(),
        tradeType: 'JSAPI',
        ...(req.timeExpire ? { timeExpire: req.timeExpire } : {}),
      })
      if (!accepted(reply) || !reply.payment) return { ok: false, reason: refusal(reply) }
      return { ok: true, value: reply.payment }
    },
    async refund(req) {
      const reply = await api.refund({
        outTradeNo: req.outTradeNo,
        outRefundNo: req.outRefundNo,
        totalFee: req.totalFee,
        refundFee: req.refundFee,
        subMchId: mch,
        nonceStr: nonceStr(),
        envId,
        functionName: req.callbackFunction,
      })
      if (!accepted(reply)) return { ok: false, reason: refusal(reply) }
      return { ok: true, value: { refundId: reply.refundId ?? '' } }
    },
    async queryOrder(outTradeNo) {
      const reply = await api.queryOrder({ subMchId: mch, nonceStr: nonceStr(), outTradeNo })
      if (reply.returnCode !== 'SUCCESS') return { state: 'failed', reason: refusal(reply) }
      if (reply.resultCode !== 'SUCCESS') return failureIs(reply, 'ORDERNOTEXIST') ? { state: 'unknown' } : { state: 'failed', reason: refusal(reply) }
      switch (reply.tradeState) {
        case 'SUCCESS':
        case 'REFUND':
          return {
            state: reply.tradeState === 'SUCCESS' ? 'paid' : 'refunded',
            totalFee: Number(reply.totalFee),
            payer: reply.subOpenid || reply.openid || '',
            transactionId: reply.transactionId ?? null,
          }
        case 'CLOSED':
        case 'REVOKED':
          return { state: 'closed' }
        case 'NOTPAY':
        case 'USERPAYING':
        case 'PAYERROR':
          return { state: 'unpaid' }
        default:
          return { state: 'failed', reason: `unknown trade_state ${String(reply.tradeState)}` }
      }
    },
    async closeOrder(outTradeNo) {
      const reply = await api.closeOrder({ subMchId: mch, nonceStr: nonceStr(), outTradeNo })
      if (accepted(reply)) return { state: 'closed' }
      if (reply.returnCode === 'SUCCESS' && failureIs(reply, 'ORDERNOTEXIST')) return { state: 'unknown' }
      if (reply.returnCode === 'SUCCESS' && failureIs(reply, 'ORDERPAID')) return { state: 'paid' }
      return { state: 'failed', reason: refusal(reply) }
    },
    async queryRefund(outRefundNo) {
      const reply = await api.queryRefund({ subMchId: mch, nonceStr: nonceStr(), outRefundNo })
      if (reply.returnCode !== 'SUCCESS') return { state: 'error', reason: refusal(reply) }
      if (reply.resultCode !== 'SUCCESS') return failureIs(reply, 'REFUNDNOTEXIST') ? { state: 'unknown' } : { state: 'error', reason: refusal(reply) }
      const count = Number(reply.refundCount ?? 0)
      for (let i = 0; i < count; i++) {
        if (reply[`outRefundNo_${i}`] !== outRefundNo) continue
        const status = String(reply[`refundStatus_${i}`] ?? '')
        const refundId = String(reply[`refundId_${i}`] ?? '')
        const refundFee = Number(reply[`refundFee_${i}`] ?? 0)
        if (status === 'SUCCESS') return { state: 'succeeded', refundId, refundFee }
        if (status === 'PROCESSING') return { state: 'processing', refundId, refundFee }
        return { state: 'failed', refundId, refundFee, status }
      }
      return { state: 'unknown' }
    },
  }
}
