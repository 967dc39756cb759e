/**
 * Everything the browser needs, built once per run: compiled templates ($gwx), one JS bundle,
 * the components' CSS, each page's CSS (app.wxss + its own), and the base stylesheet.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bundleRuntime } from './bundle'
import { compileTemplates } from './compile-templates'
import { compileWxss } from './compile-wxss'
import { ICON_BASE_CSS } from './icons'
import { buildComponentGraph, listPages, MP_ROOT, readAppJson, type ComponentNode, type PageInfo, type TabBarConfig } from './project'

export interface Assets {
  pages: PageInfo[]
  components: ComponentNode[]
  tabBar: TabBarConfig | null
  styleV2: boolean
  gwx: string
  bundle: string
  baseCss: string
  componentCss: string
  pageCss: Map<string, string>
  warnings: string[]
  buildMs: number
}

export async function buildAssets(): Promise<Assets> {
  const started = Date.now()
  const app = readAppJson()
  const pages = listPages(app)
  const graph = buildComponentGraph(pages.map((p) => p.route), app)
  const components = [...graph.nodes.values()]
  const bundlePromise = bundleRuntime(components)
  const gwx = compileTemplates(MP_ROOT, components)
  const componentCss = components
    .filter((c) => !c.isPage)
    .map((c) => `/* ${c.path} */\n${compileWxss(MP_ROOT, `${c.path}.wxss`, { kind: 'component', prefix: c.prefix, hostTag: c.tagName })}`)
    .join('\n')
  const pageCss = new Map<string, string>()
  for (const p of pages) {
    const node = graph.nodes.get(p.route) as ComponentNode
    const scope = { kind: 'page', prefix: node.prefix } as const
    pageCss.set(p.route, [compileWxss(MP_ROOT, 'app.wxss', scope), compileWxss(MP_ROOT, `${p.route}.wxss`, scope)].join('\n'))
  }
  const baseCss = readFileSync(join(__dirname, 'browser', 'base.css'), 'utf8') + ICON_BASE_CSS
  const bundle = await bundlePromise
  return {
    pages,
    components,
    tabBar: app.tabBar ?? null,
    styleV2: app.style === 'v2',
    gwx,
    bundle,
    baseCss,
    componentCss,
    pageCss,
    warnings: graph.warnings,
    buildMs: Date.now() - started,
  }
}
