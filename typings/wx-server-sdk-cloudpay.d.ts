/**
 * `cloud.cloudPay`, which wx-server-sdk implements (index.js, "cloudpay" namespace) but leaves out
 * of its index.d.ts. Parameters are camelCase as the product passes them (the SDK converts them to
 * WeChat Pay's snake_case); results are WeChat Pay's reply converted back to camelCase, with
 * `errCode: 0, errMsg: 'cloudPay.<api>:ok'` always added (they overwrite a pay-level `err_code`),
 * so a refusal by WeChat Pay does not throw: it is `returnCode: 'FAIL'` (with `returnMsg`) or
 * `resultCode: 'FAIL'` (with `errCodeDes`). Fields as documented for CloudPay.unifiedOrder /
 * refund / queryOrder / closeOrder / queryRefund ("必填: 是" rows are required here).
 */
import 'wx-server-sdk'

declare module 'wx-server-sdk' {
  namespace CloudPay {
    type Flag = 'SUCCESS' | 'FAIL'

    /** Fields every cloudPay reply may carry. */
    interface Reply {
      returnCode: Flag
      returnMsg?: string
      resultCode?: Flag
      errCode: number
      errMsg: string
      /** Business failure text (result_code FAIL), e.g. 订单不存在. */
      errCodeDes?: string
      appid?: string
      mchId?: string
      subAppid?: string
      subMchId?: string
      nonceStr?: string
      sign?: string
    }

    /** What wx.requestPayment takes. */
    interface Payment {
      appId: string
      timeStamp: string
      nonceStr: string
      package: string
      signType: string
      paySign: string
    }

    interface UnifiedOrderParams {
      body: string
      outTradeNo: string
      /** Integer fen. */
      totalFee: number
      spbillCreateIp: string
      subMchId: string
      nonceStr: string
      /** The environment and function that receive the payment callback. */
      envId: string
      functionName: string
      tradeType?: 'JSAPI' | 'NATIVE' | 'APP' | 'MWEB'
      attach?: string
      subAppid?: string
      subOpenid?: string
      openid?: string
      detail?: string
      feeType?: string
      timeStart?: string
      timeExpire?: string
    }

    interface UnifiedOrderResult extends Reply {
      tradeType?: string
      prepayId?: string
      payment?: Payment
    }

    interface RefundParams {
      subMchId: string
      nonceStr: string
      /** One of outTradeNo / transactionId. */
      outTradeNo?: string
      transactionId?: string
      outRefundNo: string
      totalFee: number
      refundFee: number
      /** The environment and function that receive the refund-result callback. */
      envId: string
      functionName: string
      refundDesc?: string
      subAppid?: string
    }

    interface RefundResult extends Reply {
      transactionId?: string
      outTradeNo?: string
      outRefundNo?: string
      refundId?: string
      refundFee?: number
      totalFee?: number
      cashFee?: number
    }

    interface QueryOrderParams {
      subMchId: string
      nonceStr: string
      outTradeNo?: string
      transactionId?: string
      subAppid?: string
    }

    interface QueryOrderResult extends Reply {
      tradeState?: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR'
      tradeStateDesc?: string
      totalFee?: number
      cashFee?: number
      transactionId?: string
      outTradeNo?: string
      openid?: string
      subOpenid?: string
      attach?: string
      timeEnd?: string
    }

    interface CloseOrderParams {
      subMchId: string
      nonceStr: string
      outTradeNo: string
      subAppid?: string
    }

    interface QueryRefundParams {
      subMchId: string
      nonceStr: string
      outTradeNo?: string
      transactionId?: string
      outRefundNo?: string
      refundId?: string
    }

    interface QueryRefundResult extends Reply {
      refundCount?: number
      [indexed: `${string}_${number}`]: string | number | undefined
    }

    interface Api {
      unifiedOrder(params: UnifiedOrderParams): Promise<UnifiedOrderResult>
      refund(params: RefundParams): Promise<RefundResult>
      queryOrder(params: QueryOrderParams): Promise<QueryOrderResult>
      closeOrder(params: CloseOrderParams): Promise<Reply>
      queryRefund(params: QueryRefundParams): Promise<QueryRefundResult>
    }
  }

  /** `cloud.cloudPay.<api>(…)`, or `cloud.cloudPay({ appid }).<api>(…)` for another appid. */
  const cloudPay: CloudPay.Api & ((options: { appid: string }) => CloudPay.Api)
}
