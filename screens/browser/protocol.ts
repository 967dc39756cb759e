/** What Node hands the browser page (window.__SCREENS_BOOT__) and what it reads back. */
import type { ComponentNode, PageInfo, TabBarConfig } from '../project'

export type BrowserComponent = Omit<ComponentNode, 'script'>

export interface LaunchInfo {
  route: string
  query: Record<string, string>
  /** WeChat's scene value (1001 发现栏, 1007 单人聊天, 1011 扫二维码, 1047 扫小程序码, 1154 朋友圈单页) */
  scene: number
}

export interface BootInfo {
  /** every page of app.json (main package and subpackages) */
  pages: PageInfo[]
  launch: LaunchInfo
  tabBar: TabBarConfig | null
  /** app.json "style": "v2" switches the built-in components to their newer look */
  styleV2: boolean
  /** who is acting: the app's dev openid (X-WX-OPENID on every call) */
  openid?: string
  /** wx.getLocation fails (a scenario where the person refused location) */
  denyLocation?: boolean
  /** the screenshot's state name, or 'preview' */
  state: string
  /** every component of the bundle; the runtime registers a page's tree when it first opens */
  components: BrowserComponent[]
  /** where the app's callCloud sends requests (and /pay/… for the payment sheet) */
  gatewayUrl: string
  /** localStorage prefix for wx storage (the preview: one per identity); none keeps it in memory */
  storagePrefix?: string
  /** the preview's identity key, for the shell */
  who?: string
}

export interface RenderReport {
  errors: string[]
  calls: { api: string; args: unknown }[]
}

/** A share made on a page (onShareAppMessage / onShareTimeline), shown by the preview as a chat card. */
export interface ShareCard {
  kind: 'chat' | 'timeline'
  title: string
  /** route + query, as WeChat opens it */
  path: string
  imageUrl: string
  from: string
}

/** A member code on screen in some identity's phone (for the scan dialog). */
export interface ShownCode {
  who: string
  label: string
  code: string
}

/** What the preview's shell (the parent window) offers the phones it hosts. */
export interface PreviewShell {
  shared(card: ShareCard): void
  codesShown(exceptWho: string): ShownCode[]
}
