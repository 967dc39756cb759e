/**
 * What the browser loads, the same for the screenshots (answered by Playwright's request
 * interception) and the preview (answered by the local cloud's HTTP server): the phone page, the
 * built bundle and styles, each page's CSS, TDesign icons as SVG, and files of the mini program.
 */
import { existsSync, readFileSync } from 'node:fs'
import { extname, join, normalize } from 'node:path'
import type { Assets } from './assets'
import type { BootInfo } from './browser/protocol'
import { ICON_URL_PREFIX, iconSvg } from './icons'
import { MP_ROOT } from './project'

export interface Served {
  status: number
  contentType: string
  body: string | Buffer
}

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
}

/** The phone: WeChat's chrome and the page stack, booted with `boot`. */
export function phoneHtml(boot: BootInfo, title: string): string {
  const json = JSON.stringify(boot).replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, user-scalable=no">
<title>${title.replace(/[<&]/g, '')}</title>
<link rel="stylesheet" href="/__screens/base.css">
<link rel="stylesheet" href="/__screens/components.css">
</head><body><div id="phone"></div>
<script>window.__SCREENS_BOOT__ = ${json}; window.__webview_engine_version__ = 0.02;</script>
<script src="/__screens/gwx.js"></script>
<script src="/__screens/bundle.js"></script>
</body></html>`
}

const notFound = (what: string): Served => ({ status: 404, contentType: 'text/plain; charset=utf-8', body: `not found: ${what}` })

/**
 * /__screens/<asset>, /__icons/<name>.svg, or a file of the mini program; null when the path is
 * none of these (the caller decides what else it serves). Missing files answer 404.
 */
export function serveAsset(assets: Assets, path: string, search: URLSearchParams): Served | null {
  if (path.startsWith('/__screens/')) {
    const name = path.slice('/__screens/'.length)
    if (name === 'page.css') {
      const css = assets.pageCss.get(search.get('route') ?? '')
      return css === undefined ? notFound(`page css ${search.get('route') ?? ''}`) : { status: 200, contentType: 'text/css; charset=utf-8', body: css }
    }
    const body =
      name === 'gwx.js' ? assets.gwx : name === 'bundle.js' ? assets.bundle : name === 'base.css' ? assets.baseCss : name === 'components.css' ? assets.componentCss : null
    if (body === null) return notFound(path)
    return { status: 200, contentType: name.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8', body }
  }
  if (path.startsWith(ICON_URL_PREFIX)) {
    const svg = iconSvg(path.slice(ICON_URL_PREFIX.length).replace(/\.svg$/, ''))
    return svg ? { status: 200, contentType: 'image/svg+xml', body: svg } : notFound(`icon ${path}`)
  }
  // a file of the mini program (images and the like), never its sources
  const file = normalize(join(MP_ROOT, path))
  if (!file.startsWith(MP_ROOT + '/')) return null
  const ext = extname(file).toLowerCase()
  if (!(ext in CONTENT_TYPES) || ext === '.json') return null
  if (!existsSync(file)) return notFound(path)
  return { status: 200, contentType: CONTENT_TYPES[ext], body: readFileSync(file) }
}
