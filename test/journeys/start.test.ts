/**
 * `npm start` as a newcomer runs it: the address it prints first, opened in headless Chromium,
 * shows the demo merchant's home page in the phone.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { assertChromium, CHROMIUM_PATH } from '../../screens/render'

const ROOT = resolve(__dirname, '../..')
let child: ChildProcess | null = null
const dataDir = mkdtempSync(join(tmpdir(), 'preview-start-'))

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child?.once('exit', r))
    child.kill('SIGTERM')
    await exited
  }
  rmSync(dataDir, { recursive: true, force: true })
})

test('npm start prints the preview address first; opening it shows the demo merchant\'s home page', async () => {
  assertChromium()
  child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/start.ts', '--port', '0', '--reset', '--no-timers', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const banner = await new Promise<string>((resolveBanner, reject) => {
    child?.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('Ctrl-C to stop.')) resolveBanner(out)
    })
    child?.stderr?.on('data', (d: Buffer) => (out += d.toString()))
    child?.once('exit', (code) => reject(new Error(`npm start exited (${String(code)}):\n${out}`)))
  })
  // the banner opens with the address to open, before the local cloud's own details
  const m = /打开 (http:\/\/127\.0\.0\.1:\d+\/) /.exec(banner)
  expect(m).not.toBeNull()
  expect(banner.indexOf('打开 http')).toBeLessThan(banner.indexOf('Local cloud running'))
  const url = (m as RegExpExecArray)[1]

  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(url)
    const phone = page.frameLocator('iframe[data-who="consumer"]')
    for (const text of ['拾光咖啡', '积分', '到店支付', '邀请好友']) {
      await phone.locator('.screens-webview--current').getByText(text, { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 })
    }
    expect(await phone.locator('.screens-nav__title').innerText()).toBe('首页')
    expect(await phone.locator('.screens-tabbar__item--on').innerText()).toBe('首页')
    expect(errors).toEqual([])
    // every component of every page resolved (TDesign is packed for the preview)
    expect(out).not.toContain('cannot resolve component')
  } finally {
    await browser.close()
  }
}, 180_000)
