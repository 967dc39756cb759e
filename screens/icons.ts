/**
 * `npm run build` already replaces t-icon's CDN icon font with masked SVGs of the icons the app
 * uses (scripts/icons.ts), and the screenshots show that stylesheet as it ships. For a
 * miniprogram_npm packed without that step (by DevTools' 构建 npm), each
 * `.t-icon-<name>:before { content: '\E…' }` glyph rule becomes a CSS mask of
 * `/__icons/<name>.svg` painted in currentColor, so colour and size follow the icon's styles
 * exactly as the glyph would.
 */

export const ICON_URL_PREFIX = '/__icons/'

const ICON_RULE = /\.(?:[-\w]+--)?t-icon-([\w-]+):{1,2}before$/
const GLYPH_BODY = /^content\s*:\s*['"]\\[0-9a-fA-F]{4}['"]\s*;?$/

/** For a glyph rule, answers the declarations that draw the SVG instead; else null. */
export function rewriteIconRule(selectors: string[], body: string): string | null {
  if (!GLYPH_BODY.test(body.trim())) return null
  const names = selectors.map((s) => ICON_RULE.exec(s)?.[1])
  const name = names[0]
  if (!name || names.some((n) => n !== name)) return null
  const url = `url("${ICON_URL_PREFIX}${name}.svg")`
  return `-webkit-mask-image:${url};mask-image:${url}`
}

/** The shared part of every icon: a 1em box filled with currentColor through the mask. */
export const ICON_BASE_CSS = `
wx-label[class*="t-icon-base"]::before {
  content: ''; display: block; width: 1em; height: 1em; background-color: currentColor;
  -webkit-mask-repeat: no-repeat; mask-repeat: no-repeat; -webkit-mask-position: center; mask-position: center;
  -webkit-mask-size: 100% 100%; mask-size: 100% 100%;
}`

/** The SVG for `name` (the one the build inlines into t-icon's stylesheet). */
export { iconSvg } from '../scripts/icons'
