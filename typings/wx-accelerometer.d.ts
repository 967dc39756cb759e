/**
 * miniprogram-api-typings types offAccelerometerChange's listener with GeneralCallbackResult,
 * so the listener given to onAccelerometerChange cannot be passed back; WeChat takes that same
 * function (the docs: 「onAccelerometerChange 传入的监听函数」).
 */
declare namespace WechatMiniprogram {
  interface Wx {
    offAccelerometerChange(listener?: OnAccelerometerChangeCallback): void
  }
}
