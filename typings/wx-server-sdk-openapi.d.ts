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
    wxacode: {
      /** wxacode.getUnlimited: a mini-program code for `page` carrying `scene` (≤ 32 characters); the image in `buffer`. */
      getUnlimited(params: { scene: string; page?: string; checkPath?: boolean; width?: number; envVersion?: string }): Promise<{ errCode?: number; errMsg?: string; contentType?: string; buffer?: Buffer }>
    }
    // Conveniences (nickname check, 客服 auto-replies).
    security: {
      /** v2 (scene 1 资料, 2 评论, 3 论坛, 4 社交日志): a refusal is `result.suggest` 'risky' / 'review' (v1 and the local cloud answer errcode 87014, which throws). */
      msgSecCheck(params: { openid: string; scene: number; version: 2; content: string; nickname?: string }): Promise<{ errCode?: number; result?: { suggest?: string; label?: number } }>
    }
    customerServiceMessage: {
      /** Replies within 48 hours of the user's last message; msgtype text | image | link | miniprogrampage. */
      send(params: {
        touser: string
        msgtype: 'text' | 'link' | 'miniprogrampage'
        text?: { content: string }
        miniprogrampage?: { title: string; pagepath: string; thumb_media_id: string }
      }): Promise<{ errCode?: number; errMsg?: string }>
      /** A temporary image (3 days) for a miniprogrampage card's thumb_media_id; the SDK answers camelCase. */
      uploadTempMedia(params: { type: 'image'; media: { contentType: string; value: Buffer } }): Promise<{ errCode?: number; mediaId?: string; type?: string }>
    }
    subscribeMessage: {
      /** One-time subscription message; camelCase here, the SDK sends template_id / miniprogram_state. 43101: no consent left. */
      send(params: {
        touser: string
        templateId: string
        page?: string
        data: Record<string, { value: string }>
        miniprogramState?: 'developer' | 'trial' | 'formal'
        lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW'
      }): Promise<{ errCode?: number; errMsg?: string; msgid?: number }>
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
