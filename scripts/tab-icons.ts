/**
 * npm run icons: draws the tab bar's icons. WeChat's tab bar takes only local PNG/JPG files
 * (≤ 40 KB each, 81×81 px recommended), no fonts or SVG, so each tab's TDesign icon is
 * rendered from tdesign-icons-svg by the headless Chromium the screenshots use: outlined in
 * app.json's tabBar.color when unselected, filled in tabBar.selectedColor when selected. The
 * PNGs are committed; rerun this after changing an icon or a colour.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { ROOT } from './build'
import { iconSvg } from './icons'

/** Each tab's picture: TDesign icon names, unselected and selected. */
export const TAB_ICONS: Record<string, { icon: string; selectedIcon: string }> = {
  'pages/home/index': { icon: 'home', selectedIcon: 'home-filled' },
  'pages/card/index': { icon: 'creditcard', selectedIcon: 'creditcard-filled' },
  'pages/coupons/index': { icon: 'ticket', selectedIcon: 'ticket-filled' },
  'pages/mine/index': { icon: 'user', selectedIcon: 'user-filled' },
}

export const TAB_ICON_PX = 81
export const TAB_ICON_MAX_BYTES = 40 * 1024
/** Folder of the PNGs, relative to the mini program root (as app.json names them). */
export const TAB_ICON_DIR = 'assets/tab-bar'

/** The file app.json names for a tab, e.g. assets/tab-bar/home.png and home-selected.png. */
export function tabIconPath(pagePath: string, selected: boolean): string {
  const base = pagePath.split('/')[1] ?? pagePath
  return `${TAB_ICON_DIR}/${base}${selected ? '-selected' : ''}.png`
}

interface TabBar {
  color: string
  selectedColor: string
  list: { pagePath: string; iconPath?: string; selectedIconPath?: string }[]
}

async function main(): Promise<void> {
  const mp = join(ROOT, 'miniprogram')
  const tabBar = (JSON.parse(readFileSync(join(mp, 'app.json'), 'utf8')) as { tabBar: TabBar }).tabBar
  const browser = await chromium.launch({ executablePath: process.env.SCREENS_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] })
  try {
    // roomier than the icon: with an 81 × 81 viewport page.screenshot times out (Debian Chromium, headless)
    const page = await browser.newPage({ viewport: { width: 320, height: 240 }, deviceScaleFactor: 1 })
    mkdirSync(join(mp, TAB_ICON_DIR), { recursive: true })
    for (const item of tabBar.list) {
      const spec = TAB_ICONS[item.pagePath]
      if (!spec) throw new Error(`icons: no icon chosen for tab ${item.pagePath} (TAB_ICONS in scripts/tab-icons.ts)`)
      for (const selected of [false, true]) {
        const name = selected ? spec.selectedIcon : spec.icon
        const svg = iconSvg(name)
        if (!svg) throw new Error(`icons: ${name} is not in tdesign-icons-svg`)
        const sized = svg.replace('width="24" height="24"', `width="${TAB_ICON_PX}" height="${TAB_ICON_PX}"`)
        const colour = selected ? tabBar.selectedColor : tabBar.color
        await page.setContent(`<!doctype html><body style="margin:0;background:transparent;color:${colour}">${sized}</body>`)
        const png = await page.screenshot({ type: 'png', omitBackground: true, clip: { x: 0, y: 0, width: TAB_ICON_PX, height: TAB_ICON_PX } })
        if (png.length > TAB_ICON_MAX_BYTES) throw new Error(`icons: ${name}.png is ${png.length} bytes, over WeChat's 40 KB`)
        const file = tabIconPath(item.pagePath, selected)
        const expected = selected ? item.selectedIconPath : item.iconPath
        if (expected !== file) console.warn(`app.json: tab ${item.pagePath} should name ${file} as its ${selected ? 'selectedIconPath' : 'iconPath'}`)
        writeFileSync(join(mp, file), png)
        console.log(`${file}  ${name}  ${colour}  ${png.length} B`)
      }
    }
  } finally {
    await browser.close()
  }
}

if (process.argv[1] && resolve(process.argv[1]) === __filename) {
  main().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
