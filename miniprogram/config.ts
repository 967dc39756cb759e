/**
 * Where the mini program's cloud calls go — the one place to configure it.
 * - 'cloud': wx.cloud.callFunction against your cloud environment (set envId).
 * - 'local': the local cloud's HTTP gateway (npm start), as the dev user below. In DevTools
 *   tick 「不校验合法域名」 so wx.request may reach 127.0.0.1.
 */
export interface CloudConfig {
  mode: 'cloud' | 'local'
  envId: string
  gatewayUrl: string
  devOpenid: string
}

export const cloudConfig: CloudConfig = {
  mode: 'local',
  envId: 'your-env-id',
  gatewayUrl: 'http://127.0.0.1:8787',
  devOpenid: 'demo-consumer-openid',
}
