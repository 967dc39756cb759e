/**
 * Drives headless Chromium (Debian's, via playwright-core): one browser for the run, a fresh
 * context per scenario, every request answered by the harness — the built assets, files of the
 * mini program, TDesign icons as SVG, and the gateway proxied to the local cloud (or failed on
 * purpose for error states). Nothing leaves the machine.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page, type Route } from 'playwright-core'
import type { Assets } from './assets'
import type { BootInfo, RenderReport } from './browser/protocol'
import type {} from './browser/runtime'
import { ICON_URL_PREFIX } from './icons'
import { decodePng, distinctColours } from './png'
import type { Scenario } from './scenarios'
import { phoneHtml, serveAsset } from './serve'

export const CHROMIUM_PATH = process.env.SCREENS_CHROMIUM ?? '/usr/bin/chromium'
export const INSTALL_HINT = 'apt-get update && apt-get install -y chromium fonts-noto-cjk'
const ORIGIN = 'http://screens.local'
const GATEWAY_PATH = '/__gateway'

export const VIEWPORT = { width: 375, height: 812 }

export interface Overflow {
  element: string
  right: number
}

export interface RenderResult {
  scenario: Scenario
  png: Buffer
  /** page errors, console errors, boot failures */
  errors: string[]
  missingText: string[]
  overflow: Overflow[]
  /** distinct colours in the page area (blank pages have 1–3) */
  colours: number
  /** requests for files of the mini program (or icons) that do not exist */
  missing: string[]
  /** requests to other hosts, refused (nothing leaves the machine; remote images stay blank) */
  blocked: string[]
  settled: boolean
  ms: number
}

export interface RenderOptions {
  deviceScaleFactor?: number
  /** capture the whole page height instead of the phone's screen */
  fullPage?: boolean
  /** look into the rendered page before it closes (debugging, extra test checks) */
  inspect?: (page: Page) => Promise<void>
}

/** Chromium and the CJK font must be installed; fail saying how, never skip. */
export function assertChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`screens: Chromium not found at ${CHROMIUM_PATH}. Install it with:\n  ${INSTALL_HINT}\n(or point SCREENS_CHROMIUM at a Chromium binary)`)
  }
  const fonts = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' })
  if (fonts.status === 0 && !/Noto Sans CJK SC/.test(fonts.stdout)) {
    throw new Error(`screens: the font Noto Sans CJK SC is missing (Chinese text would not render). Install it with:\n  ${INSTALL_HINT}`)
  }
}

export class Renderer {
  private constructor(
    private readonly browser: Browser,
    private readonly assets: Assets,
    private readonly cloudUrl: string,
  ) {}

  static async start(assets: Assets, cloudUrl: string): Promise<Renderer> {
    assertChromium()
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
    })
    return new Renderer(browser, assets, cloudUrl)
  }

  async close(): Promise<void> {
    await this.browser.close()
  }

  async render(scenario: Scenario, opts: RenderOptions = {}): Promise<RenderResult> {
    const started = Date.now()
    const page = this.assets.pages.find((p) => p.route === scenario.page)
    if (!page) throw new Error(`screens: ${scenario.page} is not a page of app.json`)
    const boot: BootInfo = {
      pages: this.assets.pages,
      launch: { route: page.route, query: scenario.query ?? {}, scene: 1001 },
      tabBar: this.assets.tabBar,
      styleV2: this.assets.styleV2,
      state: scenario.state,
      denyLocation: scenario.denyLocation === true,
      openid: scenario.openid,
      components: this.assets.components.map(({ script: _script, ...c }) => c),
      gatewayUrl: `${ORIGIN}${GATEWAY_PATH}`,
    }
    const errors: string[] = []
    const blocked: string[] = []
    const missing: string[] = []
    const context = await this.browser.newContext({
      viewport: VIEWPORT,
      deviceScaleFactor: opts.deviceScaleFactor ?? 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      serviceWorkers: 'block',
    })
    try {
      await context.route('**/*', (route) => this.answer(route, scenario, phoneHtml(boot, page.route), blocked, missing))
      const tab = await context.newPage()
      tab.on('pageerror', (e) => errors.push(`page error: ${e.stack ?? e.message}`))
      tab.on('console', (m) => {
        if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`console.error: ${m.text()}`)
      })
      await tab.goto(`${ORIGIN}/`, { waitUntil: 'load' })
      const booted = await tab.evaluate(() => window.__screens.ready.then(() => true, () => false))
      const settled = booted ? await tab.evaluate(() => window.__screens.settled()) : false
      await tab.evaluate(() => window.__screens.waitForPaint())
      const report: RenderReport = await tab.evaluate(() => window.__screens.report())
      errors.push(...report.errors)
      const text = await tab.evaluate(() => (document.getElementById('phone') as HTMLElement).innerText)
      const missingText = scenario.expectText.filter((t) => !text.includes(t))
      const overflow = await tab.evaluate((w) => window.__screens.findOverflow(w), VIEWPORT.width)
      for (const name of await tab.evaluate(() => window.__screens.findBlankIcons())) missing.push(`icon ${name} (drawn blank: not in ICONS of scripts/icons.ts)`)
      if (opts.fullPage) await tab.evaluate(() => window.__screens.expandToContent())
      const png = await tab.screenshot({ type: 'png', animations: 'disabled', caret: 'hide', fullPage: !!opts.fullPage })
      if (opts.inspect) await opts.inspect(tab)
      const pixels = decodePng(png)
      const scale = pixels.width / VIEWPORT.width
      const colours = distinctColours(pixels, { top: Math.round(88 * scale), bottom: Math.round((VIEWPORT.height - 84) * scale) })
      return { scenario, png, errors, missingText, overflow, colours, missing, blocked, settled, ms: Date.now() - started }
    } finally {
      await context.close()
    }
  }

  private async answer(route: Route, scenario: Scenario, html: string, blocked: string[], missing: string[]): Promise<void> {
    const url = new URL(route.request().url())
    if (url.origin !== ORIGIN) {
      blocked.push(url.href)
      return route.abort('blockedbyclient')
    }
    const path = decodeURIComponent(url.pathname)
    if (path === '/') return route.fulfill({ contentType: 'text/html; charset=utf-8', body: html })
    if (path.startsWith(`${GATEWAY_PATH}/`)) {
      // error states: the network drops every call, as when the phone is offline
      if (scenario.failCalls) return route.abort('internetdisconnected')
      // The harness calls the local cloud as a Node client: the page's origin (screens.local) is
      // not the local cloud's own, and the local cloud refuses browser requests from other origins.
      const headers = { ...route.request().headers() }
      for (const name of Object.keys(headers)) {
        if (name === 'origin' || name === 'referer' || name === 'host' || name.startsWith('sec-fetch-')) delete headers[name]
      }
      const response = await route.fetch({ url: `${this.cloudUrl}${path.slice(GATEWAY_PATH.length)}${url.search}`, headers })
      return route.fulfill({ response })
    }
    const served = serveAsset(this.assets, path, url.searchParams)
    if (served) {
      if (served.status === 404) missing.push(path.startsWith(ICON_URL_PREFIX) ? `icon ${path}` : path)
      return route.fulfill({ status: served.status, contentType: served.contentType, body: served.body })
    }
    missing.push(path)
    return route.fulfill({ status: 404, body: 'not found' })
  }
}
