/**
 * TDesign's t-icon draws each icon as a glyph of an icon font that it fetches from a CDN at run
 * time, and its stylesheet (one rule per glyph, about 110 KB) ships in the main package because
 * every TDesign component that can show an icon (t-cell's arrow, t-button, t-result …) loads
 * t-icon. The app shows a handful of them. After `构建 npm`, `subsetIconStylesheet` rewrites
 * that stylesheet to hold only the icons below, each as its SVG from tdesign-icons-svg inlined
 * as a CSS mask filled with currentColor: colour and size follow the same styles the glyph did,
 * nothing is fetched at run time, and t-icon's markup is unchanged.
 *
 * WXSS cannot load local files in url(), only https or data: URLs, so the SVGs are inlined as
 * base64 data URLs (the form WeChat documents for images in WXSS). The image is given once, as
 * -webkit-mask-image, which both engines behind WeChat's WebView (WKWebView on iOS, Chromium-based
 * XWeb on Android) read; TDesign's own t-loading already draws with CSS masks there.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

/**
 * Every icon name the app shows through t-icon, with where. A name missing here draws nothing;
 * test/unit/icons.test.ts checks the names written in the pages, and `npm run test:screens`
 * fails on any icon it renders without a picture.
 */
export const ICONS: Record<string, string> = {
  'add': 'admin/settings: 添加等级 button',
  'chart-bar': 'home: 积分明细 entry; admin: 核销记录 entry (coupons-ui)',
  'check-circle': 't-result theme success (pay, cashier, join)',
  'chevron-right': 't-cell arrow (mine, pay store, admin entries)',
  'close-circle': 't-result theme error (cashier: a refused approval)',
  'error-circle': 't-result theme warning/default (pay); state-view error',
  'info-circle': 'state-view empty',
  'qrcode': 'home: 会员码 entry',
  'scan': 'admin cashier/members: 扫码 buttons',
  'search': 'admin: 会员查询 entry',
  'setting': 'admin: 商家设置 entry',
  'shop': 'pay: store cell; admin: 门店 entry',
  'user': 'mine: avatar',
  'user-add': 'home: 邀请好友 entry; admin: 员工邀请 entry',
  'wallet': 'home: 到店支付 entry; admin: 收银 entry',
}

const req = createRequire(__filename)

/** Where `构建 npm` puts t-icon's stylesheet, under the mini program root. */
export const PACKED_ICON_WXSS = join('miniprogram_npm', 'tdesign-miniprogram', 'icon', 'icon.wxss')

/** t-icon's stylesheet as TDesign ships it. */
export function tdesignIconWxss(): string {
  return readFileSync(join(req.resolve('tdesign-miniprogram/package.json'), '..', 'miniprogram_dist', 'icon', 'icon.wxss'), 'utf8')
}

function iconsDir(): string {
  return join(req.resolve('tdesign-icons-svg/package.json'), '..', 'src')
}

/**
 * The SVG for `name` as a standalone image: the package writes `view-box` (a JSX spelling) and
 * 1em sizes; ids, classes and the fully transparent "fill" layers of its two-tone icons draw
 * nothing, so they go to keep the inlined copies small.
 */
export function iconSvg(name: string): string | null {
  if (!/^[\w-]+$/.test(name)) return null
  const file = join(iconsDir(), `${name}.svg`)
  if (!existsSync(file)) return null
  let svg = readFileSync(file, 'utf8')
    .replace(/\bview-box=/g, 'viewBox=')
    .replace(/\swidth="1em"\sheight="1em"/, ' width="24" height="24"')
    .replace(/\s(?:id|class)="[^"]*"/g, '')
    .replace(/<path(?![^>]*\bstroke=)[^>]*\bfill="transparent"[^>]*>\s*<\/path>/g, '')
  // groups left empty by the step above
  for (let prev = ''; prev !== svg; ) {
    prev = svg
    svg = svg.replace(/<g>\s*<\/g>/g, '')
  }
  return svg
}

export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`
}

const FONT_FACE = /@font-face\s*\{[^}]*\}/
const FONT_FAMILY_RULE = /\.t-icon\s*\{\s*font-family\s*:[^}]*\}/
const GLYPH_RULE = /\.t-icon-([\w-]+):{1,2}before\s*\{\s*content\s*:\s*['"]\\[0-9a-fA-F]+['"]\s*;?\s*\}/
const all = (re: RegExp): RegExp => new RegExp(re.source, 'g')

/**
 * t-icon's stylesheet with the font and its glyph rules replaced by one masked SVG per icon in
 * `names`. Throws if `original` is not the stylesheet this was written for (a TDesign upgrade
 * that draws icons another way), or if a name is not one of its icons.
 */
export function iconStylesheet(original: string, names: readonly string[] = Object.keys(ICONS)): string {
  if (!FONT_FACE.test(original) || !GLYPH_RULE.test(original)) {
    throw new Error("icons: TDesign's icon.wxss no longer has an @font-face and glyph rules; scripts/icons.ts needs updating")
  }
  const glyphs = new Set([...original.matchAll(all(GLYPH_RULE))].map((m) => m[1]))
  const rest = original.replace(all(FONT_FACE), '').replace(all(FONT_FAMILY_RULE), '').replace(all(GLYPH_RULE), '').replace(/\n{2,}/g, '\n').trim()
  const rules = [...new Set(names)].sort().map((name) => {
    const svg = iconSvg(name)
    if (!glyphs.has(name) || !svg) throw new Error(`icons: "${name}" is not a TDesign icon (no glyph in icon.wxss or no SVG in tdesign-icons-svg)`)
    return `.t-icon-${name}:before{background-color:currentColor;-webkit-mask-image:url("${svgDataUrl(svg)}");}`
  })
  // the glyph was a 1em square of text; the mask box is the same square
  const box =
    '.t-icon-base:before{content:"";display:block;width:1em;height:1em;' +
    '-webkit-mask-repeat:no-repeat;mask-repeat:no-repeat;-webkit-mask-position:center;mask-position:center;' +
    '-webkit-mask-size:100% 100%;mask-size:100% 100%;}'
  return `${rest}\n${box}\n${rules.join('\n')}\n`
}

/**
 * Rewrites the packed t-icon stylesheet under `miniprogramDir` (after `构建 npm`) from TDesign's
 * own. Answers null when TDesign is not packed there at all (the packer has already warned).
 */
export function subsetIconStylesheet(miniprogramDir: string): { bytesBefore: number; bytesAfter: number } | null {
  if (!existsSync(join(miniprogramDir, 'miniprogram_npm', 'tdesign-miniprogram'))) return null
  const packed = join(miniprogramDir, PACKED_ICON_WXSS)
  if (!existsSync(packed)) throw new Error(`icons: ${packed} not found; is TDesign's t-icon still at icon/icon?`)
  // always from TDesign's file, never from an earlier output, so running twice changes nothing
  const original = tdesignIconWxss()
  const out = iconStylesheet(original)
  writeFileSync(packed, out)
  return { bytesBefore: Buffer.byteLength(original), bytesAfter: Buffer.byteLength(out) }
}
