/**
 * What wx-server-sdk 4.0.2's index.d.ts leaves untyped, for the calls the functions make
 * (cloudPay is in its own file). Declared as module augmentation, so the functions use the
 * SDK's own exports without casts.
 */
import 'wx-server-sdk'

declare module 'wx-server-sdk' {
  /**
   * The SDK accepts its DYNAMIC_CURRENT_ENV symbol as `env` (the function's own environment) and
   * `throwOnNotFound: false` (doc(id).get() of a missing document answers { data: null }); its
   * declared ICloudConfig has neither.
   */
  export function init(config: { env?: string | typeof DYNAMIC_CURRENT_ENV; throwOnNotFound?: boolean; traceUser?: boolean }): void

  /** The open API services we call (cloud.openapi is declared as Record<string, any>). */
  export interface OpenApi {
    phonenumber: {
      /** phonenumber.getPhoneNumber: the one-time code from the page's getPhoneNumber button. */
      getPhoneNumber(params: { code: string }): Promise<{ errCode?: number; errMsg?: string; phoneInfo?: { phoneNumber?: string; purePhoneNumber?: string; countryCode?: string } }>
    }
    // Counter fraud and content checks (issue 12).
    security: {
      /** security.msgSecCheck v2: scene 1 资料, 2 评论, 3 论坛, 4 社交日志; answers result.suggest pass | review | risky. */
      msgSecCheck(params: { openid: string; scene: number; version: 2; content: string }): Promise<{ errCode?: number; result?: { suggest?: string; label?: number } }>
    }
    riskControl: {
      /** riskControl.getUserRiskRank: scene 0 注册, 1 营销作弊; riskRank 0 (normal) … 4 (highest risk). */
      getUserRiskRank(params: { appid: string; openid: string; scene: number; clientIp?: string }): Promise<{ errCode?: number; riskRank?: number; unoinId?: number }>
    }
  }

  /** db.runTransaction(body, retries) answers what the body returns (declared as Promise<any>). */
  export interface TypedTransactions<Tx> {
    runTransaction<T>(body: (transaction: Tx) => Promise<T>, retries?: number): Promise<T>
  }
}
