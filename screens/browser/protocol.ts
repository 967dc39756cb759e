/** What Node hands the browser page (window.__SCREENS_BOOT__) and what it reads back. */
import type { ComponentNode, PageInfo, TabBarConfig } from '../project'

export type BrowserComponent = Omit<ComponentNode, 'script'>

export interface BootInfo {
  page: PageInfo
  tabBar: TabBarConfig | null
  /** app.json "style": "v2" switches the built-in components to their newer look */
  styleV2: boolean
  scenario: { state: string; query: Record<string, string>; openid?: string }
  /** every component of the bundle; the runtime registers the page's tree */
  components: BrowserComponent[]
  /** where the app's callCloud sends requests (the harness proxies them to the local cloud) */
  gatewayUrl: string
}

export interface RenderReport {
  errors: string[]
  calls: { api: string; args: unknown }[]
}
