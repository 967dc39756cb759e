/**
 * The browser preview, served by the local cloud's own HTTP server (same origin, loopback only):
 * `/` is the shell (identities, scenes, chat), `/__preview/phone` one identity's phone running
 * the real pages with the screenshot renderer's runtime, and the app's `callCloud` reaches
 * `/functions/<name>` on the same server as that identity (X-WX-OPENID).
 */
import { build } from 'esbuild'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildAssets, type Assets } from '../screens/assets'
import type { BootInfo } from '../screens/browser/protocol'
import { phoneHtml, serveAsset, type Served } from '../screens/serve'
import { IDENTITIES, SCENES } from './identities'

export interface PreviewConfig {
  pages: { route: string; title: string; isTab: boolean }[]
  identities: typeof IDENTITIES
  scenes: typeof SCENES
  home: string
}

export interface Preview {
  /** the local cloud's fallback hook: answers the preview's paths, false for anything else */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>
  ready: Promise<void>
}

const SHELL_DIR = join(__dirname, 'shell')

async function bundleShell(): Promise<string> {
  const out = await build({
    entryPoints: [join(SHELL_DIR, 'shell.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
  })
  return out.outputFiles[0].text
}

function shellHtml(config: PreviewConfig): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>会员营销小程序 · 浏览器预览</title>
<link rel="stylesheet" href="/__preview/shell.css">
</head><body>
<script>window.__PREVIEW_CONFIG__ = ${json};</script>
<script src="/__preview/shell.js"></script>
</body></html>`
}

const html = (body: string): Served => ({ status: 200, contentType: 'text/html; charset=utf-8', body })

/** One identity's phone: /__preview/phone?who=&openid=&route=&q=<query string>&scene= */
function phoneFor(assets: Assets, search: URLSearchParams): Served {
  const openid = (search.get('openid') ?? '').slice(0, 128)
  const route = search.get('route') || assets.pages[0].route
  const page = assets.pages.find((p) => p.route === route)
  if (!openid || !page) return { status: 400, contentType: 'text/plain; charset=utf-8', body: '缺少身份或页面不存在' }
  const query: Record<string, string> = {}
  for (const [k, v] of new URLSearchParams(search.get('q') ?? '')) query[k] = v
  const scene = Number(search.get('scene') ?? 1001)
  const boot: BootInfo = {
    pages: assets.pages,
    launch: { route, query, scene: Number.isInteger(scene) ? scene : 1001 },
    tabBar: assets.tabBar,
    styleV2: assets.styleV2,
    state: 'preview',
    openid,
    components: assets.components.map(({ script: _script, ...c }) => c),
    // same origin: the page's own server is the local cloud
    gatewayUrl: '',
    storagePrefix: `wx-storage:${openid}:`,
    who: search.get('who') ?? openid,
  }
  return html(phoneHtml(boot, page.title || route))
}

export function createPreview(opts: { log?: (m: string) => void } = {}): Preview {
  const log = opts.log ?? (() => undefined)
  const built = Promise.all([buildAssets(), bundleShell()]).then(([assets, shellJs]) => {
    for (const w of assets.warnings) log(`preview: ${w}`)
    const config: PreviewConfig = {
      pages: assets.pages.map((p) => ({ route: p.route, title: p.title, isTab: p.isTab })),
      identities: IDENTITIES,
      scenes: SCENES,
      home: assets.pages[0].route,
    }
    return { assets, shellJs, shellCss: readFileSync(join(SHELL_DIR, 'shell.css'), 'utf8'), config }
  })
  built.catch(() => undefined)

  const answer = async (req: IncomingMessage): Promise<Served | null> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = decodeURIComponent(url.pathname)
    const isOurs = path === '/' || path === '/index.html' || path.startsWith('/__preview/') || path.startsWith('/__screens/') || path.startsWith('/__icons/') || /\.(png|jpe?g|gif|webp|svg)$/i.test(path)
    if (!isOurs) return null
    const b = await built
    if (path === '/' || path === '/index.html') return html(shellHtml(b.config))
    if (path === '/__preview/shell.js') return { status: 200, contentType: 'text/javascript; charset=utf-8', body: b.shellJs }
    if (path === '/__preview/shell.css') return { status: 200, contentType: 'text/css; charset=utf-8', body: b.shellCss }
    if (path === '/__preview/phone') return phoneFor(b.assets, url.searchParams)
    return serveAsset(b.assets, path, url.searchParams)
  }

  return {
    ready: built.then(() => undefined),
    async handle(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false
      const served = await answer(req)
      if (!served) return false
      res.statusCode = served.status
      res.setHeader('Content-Type', served.contentType)
      res.setHeader('Cache-Control', 'no-store')
      res.end(req.method === 'HEAD' ? undefined : served.body)
      return true
    },
  }
}
