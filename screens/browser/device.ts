/**
 * The phone the screenshots pretend to be: an iPhone X-sized screen (375 × 812 CSS px) with
 * WeChat's status bar, navigation bar and, on tab pages, the tab bar.
 */
export const DEVICE = {
  screenWidth: 375,
  screenHeight: 812,
  pixelRatio: 2,
  statusBarHeight: 44,
  navigationBarHeight: 44,
  tabBarHeight: 50,
  safeAreaBottom: 34,
  /** WeChat's capsule (menu button) in the navigation bar */
  menuButton: { width: 87, height: 32, top: 50, right: 368, bottom: 82, left: 281 },
} as const

export interface Layout {
  /** top of the page's web view (below the navigation bar, or 0 with navigationStyle custom) */
  webviewTop: number
  webviewHeight: number
  /** env(safe-area-inset-bottom) inside the page */
  safeBottom: number
}

/** The bar Moments' single-page mode puts at the bottom instead of the tab bar. */
export const SINGLE_PAGE_BAR_HEIGHT = 48

export function layoutFor(opts: { isTab: boolean; customNavigation: boolean; singlePage?: boolean }): Layout {
  const top = opts.customNavigation ? 0 : DEVICE.statusBarHeight + DEVICE.navigationBarHeight
  const bottom = opts.singlePage ? SINGLE_PAGE_BAR_HEIGHT + DEVICE.safeAreaBottom : opts.isTab ? DEVICE.tabBarHeight + DEVICE.safeAreaBottom : 0
  return { webviewTop: top, webviewHeight: DEVICE.screenHeight - top - bottom, safeBottom: opts.isTab || opts.singlePage ? 0 : DEVICE.safeAreaBottom }
}
