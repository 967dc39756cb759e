/**
 * The app ships only the TDesign icons listed in scripts/icons.ts, drawn as masked SVGs from
 * t-icon's own stylesheet, and PNG icons for the tab bar. Every icon the pages name (directly,
 * or through a TDesign default such as t-cell's arrow) must be in that list and nothing else
 * ships; the stylesheet must hold no font or remote URL and compile with WeChat's WXSS compiler;
 * the tab bar's icons must be local PNGs within WeChat's limits, in app.json's colours.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ICONS, iconStylesheet, iconSvg, tdesignIconWxss } from '../../scripts/icons'
import { TAB_ICON_MAX_BYTES, TAB_ICON_PX, TAB_ICONS, tabIconPath } from '../../scripts/tab-icons'
import { decodePng } from '../../screens/png'

const MP = join(__dirname, '..', '..', 'miniprogram')

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'miniprogram_npm' || name === 'node_modules') return []
    const p = join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}

/** t-result's theme → icon, as TDesign's result.js sets it. */
const RESULT_THEME_ICON: Record<string, string> = { default: 'error-circle', success: 'check-circle', warning: 'error-circle', error: 'close-circle' }
/** TDesign props that take an icon name. */
const ICON_ATTRS = ['icon', 'left-icon', 'right-icon', 'prefix-icon', 'suffix-icon']

/** Every icon name the mini program's own files make TDesign draw, with the files naming it. */
function iconsNamedByTheApp(): Map<string, string[]> {
  const found = new Map<string, string[]>()
  const add = (name: string, file: string): void => {
    const files = found.get(name) ?? []
    files.push(file.slice(MP.length + 1))
    found.set(name, files)
  }
  for (const file of walk(MP)) {
    const text = readFileSync(file, 'utf8')
    if (file.endsWith('.wxml')) {
      // a start tag, reading past `>` inside {{ }} (arrow="{{stores.length > 1}}")
      for (const tag of text.match(/<t-[\w-]+\b(?:[^>{]|\{\{[\s\S]*?\}\}|\{)*>/g) ?? []) {
        for (const attr of ICON_ATTRS) {
          const m = new RegExp(`\\s${attr}="([^"{}]+)"`).exec(tag)
          if (m) add(m[1], file)
        }
        if (/^<t-icon\b/.test(tag)) {
          const m = /\sname="([^"{}]+)"/.exec(tag)
          if (m) add(m[1], file)
        }
        // t-cell's `arrow` is a chevron-right icon (bound or not)
        if (/^<t-cell\b/.test(tag) && /\sarrow(?:[\s=/>])/.test(tag)) add('chevron-right', file)
        if (/^<t-result\b/.test(tag)) {
          const theme = /\stheme="([^"]*)"/.exec(tag)?.[1] ?? 'default'
          // a bound theme: every quoted literal it can take
          const themes = theme.includes('{{') ? [...theme.matchAll(/'(\w+)'/g)].map((m) => m[1]) : [theme]
          for (const t of themes) if (RESULT_THEME_ICON[t]) add(RESULT_THEME_ICON[t], file)
        }
      }
    } else if (file.endsWith('.ts')) {
      // data that a page hands to <t-icon name="{{…}}">, e.g. the home entries; wx.showToast's
      // `icon` is WeChat's own (success/none …), not a TDesign name
      for (const line of text.split('\n')) {
        if (/\bwx\.\w+/.test(line)) continue
        for (const m of line.matchAll(/\bicon:\s*'([\w-]+)'/g)) add(m[1], file)
      }
    }
  }
  return found
}

describe('TDesign icons', () => {
  const named = iconsNamedByTheApp()

  test('every icon the pages name is shipped, and nothing the pages do not name', () => {
    // the scan sees the known kinds of use: a wxml prop, a t-cell arrow, a t-result theme, page data
    expect(named.get('info-circle')).toContain('components/state-view/index.wxml')
    expect(named.get('chevron-right')).toBeDefined()
    expect(named.get('check-circle')).toBeDefined()
    expect(named.get('qrcode')).toContain('pages/home/view-model.ts')
    const missing = [...named].filter(([name]) => !(name in ICONS)).map(([name, files]) => `${name} (${files.join(', ')})`)
    expect(missing).toEqual([])
    expect(Object.keys(ICONS).filter((name) => !named.has(name))).toEqual([])
  })

  test("t-icon's stylesheet keeps no font and one inlined SVG per shipped icon", () => {
    const original = tdesignIconWxss()
    expect(original).toMatch(/@font-face/)
    const css = iconStylesheet(original)
    expect(css).not.toMatch(/@font-face|font-family|https?:/)
    expect(css).not.toMatch(/content:\s*'\\/)
    // TDesign's own layout rules stay
    expect(css).toContain(".t-icon__image{")
    expect(css).toContain("@import '../common/style/index.wxss';")
    const rules = [...css.matchAll(/\.t-icon-([\w-]+):before\{background-color:currentColor;-webkit-mask-image:url\("data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"\);\}/g)]
    expect(rules.map((m) => m[1]).sort()).toEqual(Object.keys(ICONS).sort())
    for (const [, name, b64] of rules) {
      const svg = Buffer.from(b64, 'base64').toString('utf8')
      expect(svg).toBe(iconSvg(name))
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" fill="none" viewBox="0 0 24 24" width="24" height="24">/)
      expect(svg).toMatch(/<path /)
    }
    expect(Buffer.byteLength(css)).toBeLessThan(16 * 1024)
    expect(Buffer.byteLength(original)).toBeGreaterThan(100 * 1024)
  })

  test('a name that is not a TDesign icon is refused', () => {
    expect(() => iconStylesheet(tdesignIconWxss(), ['no-such-icon'])).toThrow(/not a TDesign icon/)
    expect(() => iconStylesheet('.t-icon-base{display:block;}')).toThrow(/no longer has an @font-face/)
  })

  test("WeChat's WXSS compiler keeps every icon rule", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const compiler = require('miniprogram-compiler') as { wxssToJs(root: string): string }
    const root = mkdtempSync(join(tmpdir(), 'icons-wxss-'))
    try {
      mkdirSync(join(root, 'icon'))
      writeFileSync(join(root, 'app.wxss'), '')
      writeFileSync(join(root, 'icon', 'icon.json'), '{"component":true}')
      writeFileSync(join(root, 'icon', 'icon.wxss'), iconStylesheet(tdesignIconWxss()).replace(/@import[^;]*;/, ''))
      const js = compiler.wxssToJs(root)
      for (const name of Object.keys(ICONS)) {
        expect(js).toMatch(new RegExp(`t-icon-${name}:before\\{background-color:currentColor;-webkit-mask-image:url\\(\\\\x22data:image/svg\\+xml;base64,`))
      }
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})

describe('tab bar icons', () => {
  const tabBar = (JSON.parse(readFileSync(join(MP, 'app.json'), 'utf8')) as {
    tabBar: { color: string; selectedColor: string; list: { pagePath: string; iconPath?: string; selectedIconPath?: string }[] }
  }).tabBar

  /** The colour most opaque pixels have, as #rrggbb. */
  function inkOf(file: string): { ink: string; opaque: number } {
    const { data } = decodePng(readFileSync(file))
    const counts = new Map<string, number>()
    let opaque = 0
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] !== 255) continue
      opaque += 1
      const hex = `#${[data[i], data[i + 1], data[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`
      counts.set(hex, (counts.get(hex) ?? 0) + 1)
    }
    return { ink: [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '', opaque }
  }

  test.each(tabBar.list.map((t) => [t.pagePath, t] as const))('%s has local 81×81 PNGs under 40 KB in the tab bar colours', (pagePath, item) => {
    expect(TAB_ICONS[pagePath]).toBeDefined()
    expect(item.iconPath).toBe(tabIconPath(pagePath, false))
    expect(item.selectedIconPath).toBe(tabIconPath(pagePath, true))
    for (const [path, colour] of [
      [item.iconPath!, tabBar.color],
      [item.selectedIconPath!, tabBar.selectedColor],
    ] as const) {
      const file = join(MP, path)
      const png = readFileSync(file)
      expect(png.length).toBeLessThanOrEqual(TAB_ICON_MAX_BYTES)
      const { width, height } = decodePng(png)
      expect([width, height]).toEqual([TAB_ICON_PX, TAB_ICON_PX])
      const { ink, opaque } = inkOf(file)
      expect(ink).toBe(colour.toLowerCase())
      expect(opaque).toBeGreaterThan(200) // a drawn icon, not an empty square
    }
  })
})
