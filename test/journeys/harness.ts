/**
 * Drives the browser preview the way a person does: pick who holds the phone, tap what is on
 * screen, type into fields, read the text. One local cloud (seeded with the demo merchant) and
 * one headless Chromium for the whole file; each journey opens the preview afresh.
 */
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core'
import { assertChromium, CHROMIUM_PATH } from '../../screens/render'
import { startScreensCloud, type ScreensCloud } from '../../screens/cloud'
import { createPreview } from '../../preview/server'

export const WAIT_MS = 15_000

export interface World {
  cloud: ScreensCloud
  browser: Browser
  close(): Promise<void>
}

export async function startWorld(): Promise<World> {
  assertChromium()
  const preview = createPreview()
  const [cloud, browser] = await Promise.all([
    startScreensCloud(() => undefined, { fallback: preview.handle }),
    chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    }),
    preview.ready,
  ])
  return {
    cloud,
    browser,
    close: async () => {
      await browser.close()
      await cloud.close()
    },
  }
}

/** One phone: its screen (the page in front) and WeChat's overlays (toast, dialogs, sheets). */
export class Phone {
  readonly screen: Locator
  readonly overlay: Locator
  constructor(
    readonly frame: FrameLocator,
    readonly errors: string[],
  ) {
    this.screen = frame.locator('.screens-webview--current')
    this.overlay = frame.locator('.screens-overlay')
  }

  /** Waits until `text` is visible on the page in front. */
  async see(text: string | RegExp, exact = true): Promise<Locator> {
    const l = (typeof text === 'string' ? this.screen.getByText(text, { exact }) : this.screen.getByText(text)).first()
    await l.waitFor({ state: 'visible', timeout: WAIT_MS })
    return l
  }

  async tap(text: string): Promise<void> {
    await (await this.see(text)).click()
  }

  /** The first number captured by `re` in visible text of the page in front. */
  async number(re: RegExp): Promise<number> {
    const l = await this.see(re)
    const m = re.exec(await l.innerText())
    if (!m) throw new Error(`no match for ${String(re)}`)
    return Number(m[1])
  }

  async fill(field: Locator, value: string): Promise<void> {
    await field.waitFor({ state: 'visible', timeout: WAIT_MS })
    await field.fill(value)
  }

  /** An input inside a custom component host or a block whose text includes `label`. */
  field(label: string): Locator {
    return this.screen.locator('wx-view, amount-input').filter({ hasText: label }).last().locator('input.screens-field')
  }

  async tapTab(text: string): Promise<void> {
    await this.frame.locator('.screens-tabbar__item', { hasText: text }).click()
  }

  /** A button in a sheet, dialog or action sheet. */
  async confirm(text: string): Promise<void> {
    const b = this.overlay.locator('button', { hasText: text }).last()
    await b.waitFor({ state: 'visible', timeout: WAIT_MS })
    await b.click()
  }

  async seeOverlay(text: string): Promise<void> {
    await this.overlay.getByText(text).first().waitFor({ state: 'visible', timeout: WAIT_MS })
  }

  async title(): Promise<string> {
    return this.frame.locator('.screens-nav__title').innerText()
  }

  /** Visible texts of the elements matching `selector` on the page in front. */
  async texts(selector: string): Promise<string[]> {
    return this.screen.locator(selector).allInnerTexts()
  }
}

/** The preview in a fresh browser context: the shell with its identities, launcher and chat. */
export class PreviewUi {
  readonly errors: string[] = []
  private constructor(
    readonly page: Page,
    private readonly close_: () => Promise<void>,
  ) {}

  static async open(world: World): Promise<PreviewUi> {
    const context = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    const page = await context.newPage()
    const ui = new PreviewUi(page, () => context.close())
    page.on('pageerror', (e) => ui.errors.push(`page error: ${e.message}`))
    await page.goto(`${world.cloud.url}/`)
    return ui
  }

  close(): Promise<void> {
    return this.close_()
  }

  phone(who: string): Phone {
    return new Phone(this.page.frameLocator(`iframe[data-who="${who}"]`), this.errors)
  }

  /** Hands the phone to `who` (from the identity list). */
  async as(who: string): Promise<Phone> {
    await this.page.locator(`.pv-id[data-who="${who}"]`).click()
    return this.phone(who)
  }

  /** A brand-new visitor (fresh openid); answers their key. */
  async newVisitor(): Promise<string> {
    const before = await this.page.locator('.pv-id').count()
    await this.page.getByText('＋ 新访客（新的 openid）').click()
    const id = this.page.locator('.pv-id').nth(before)
    await id.waitFor()
    return (await id.getAttribute('data-who')) as string
  }

  /** The scene launcher: open `route` with a query (and scene value) as whoever holds the phone. */
  async launch(route: string, query = '', scene = 1001): Promise<void> {
    await this.page.locator('#pv-launch select[name=route]').selectOption(route)
    await this.page.locator('#pv-launch input[name=query]').fill(query)
    await this.page.locator('#pv-launch select[name=scene]').selectOption(String(scene))
    await this.page.getByText('以当前身份打开').click()
  }

  /** The newest chat card: open it as `who` ('__new' = a new visitor); answers who opened it. */
  async openLatestCard(who = '__new'): Promise<string> {
    const card = this.page.locator('.pv-card').first()
    await card.waitFor({ timeout: WAIT_MS })
    await card.locator('select').selectOption(who)
    const before = await this.page.locator('.pv-id').count()
    await card.getByText('打开', { exact: true }).click()
    if (who !== '__new') return who
    const id = this.page.locator('.pv-id').nth(before)
    await id.waitFor()
    return (await id.getAttribute('data-who')) as string
  }
}
