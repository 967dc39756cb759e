/**
 * What the harness knows about the mini program, read from disk at run time: app.json's pages
 * (main package and subpackages), their window settings, the tab bar, and the graph of custom
 * components each page uses (resolved the way WeChat resolves `usingComponents`).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, posix, resolve } from 'node:path'

export const ROOT = resolve(__dirname, '..')
/** The mini program; SCREENS_MP_ROOT points the harness at another (a fixture app, an experiment). */
export const MP_ROOT = process.env.SCREENS_MP_ROOT ? resolve(process.env.SCREENS_MP_ROOT) : join(ROOT, 'miniprogram')

export interface WindowConfig {
  navigationBarTitleText?: string
  navigationBarBackgroundColor?: string
  navigationBarTextStyle?: 'black' | 'white'
  navigationStyle?: 'default' | 'custom'
  backgroundColor?: string
  enablePullDownRefresh?: boolean
  onReachBottomDistance?: number
}

export interface TabBarItem {
  pagePath: string
  text: string
  iconPath?: string
  selectedIconPath?: string
}

export interface TabBarConfig {
  color?: string
  selectedColor?: string
  backgroundColor?: string
  borderStyle?: 'black' | 'white'
  custom?: boolean
  list: TabBarItem[]
}

interface SubPackage {
  root: string
  pages: string[]
}

export interface AppJson {
  pages: string[]
  subPackages?: SubPackage[]
  subpackages?: SubPackage[]
  window?: WindowConfig
  tabBar?: TabBarConfig
  style?: string
  usingComponents?: Record<string, string>
}

export interface ComponentJson extends WindowConfig {
  component?: boolean
  usingComponents?: Record<string, string>
  styleIsolation?: string
  componentGenerics?: Record<string, unknown>
}

export interface PageInfo {
  /** e.g. 'pages/home/index' or 'admin/pages/index/index' */
  route: string
  title: string
  isTab: boolean
  window: WindowConfig
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T
}

export function readAppJson(): AppJson {
  return readJson<AppJson>(join(MP_ROOT, 'app.json'))
}

/** Every page of app.json, main package first, then each subpackage's, in declaration order. */
export function listPages(app: AppJson = readAppJson()): PageInfo[] {
  const routes = [...app.pages]
  for (const sub of [...(app.subPackages ?? []), ...(app.subpackages ?? [])]) {
    for (const p of sub.pages) routes.push(posix.join(sub.root, p))
  }
  const tabs = new Set((app.tabBar?.list ?? []).map((t) => t.pagePath))
  return routes.map((route) => {
    const json = readComponentJson(route)
    const window: WindowConfig = { ...app.window, ...pickWindow(json) }
    return { route, title: window.navigationBarTitleText ?? '', isTab: tabs.has(route), window }
  })
}

function pickWindow(json: ComponentJson): WindowConfig {
  const out: WindowConfig = {}
  if (json.navigationBarTitleText !== undefined) out.navigationBarTitleText = json.navigationBarTitleText
  if (json.navigationBarBackgroundColor !== undefined) out.navigationBarBackgroundColor = json.navigationBarBackgroundColor
  if (json.navigationBarTextStyle !== undefined) out.navigationBarTextStyle = json.navigationBarTextStyle
  if (json.navigationStyle !== undefined) out.navigationStyle = json.navigationStyle
  if (json.backgroundColor !== undefined) out.backgroundColor = json.backgroundColor
  if (json.enablePullDownRefresh !== undefined) out.enablePullDownRefresh = json.enablePullDownRefresh
  if (json.onReachBottomDistance !== undefined) out.onReachBottomDistance = json.onReachBottomDistance
  return out
}

export function readComponentJson(path: string): ComponentJson {
  const file = join(MP_ROOT, `${path}.json`)
  return existsSync(file) ? readJson<ComponentJson>(file) : {}
}

/** One custom component (or page) in the graph. Paths are relative to miniprogram/, no extension. */
export interface ComponentNode {
  path: string
  /** The DOM tag its host renders as (the first name it was used under; pages render as `page`). */
  tagName: string
  /** exparser class prefix: unique per component so external classes resolve. */
  prefix: string
  /** usingComponents, resolved: tag → component path */
  using: Record<string, string>
  isPage: boolean
  /** styleIsolation apply-shared/shared (or a page): page and app styles reach its elements. */
  sharedStyles: boolean
  /** The script to run: .ts or .js, absolute. */
  script: string
}

/** Where WeChat finds `spec` used from component `from`: absolute, relative, then miniprogram_npm. */
export function resolveComponent(from: string, spec: string): string | null {
  const exists = (p: string): string | null => {
    if (existsSync(join(MP_ROOT, `${p}.json`))) return p
    if (existsSync(join(MP_ROOT, p, 'index.json'))) return posix.join(p, 'index')
    return null
  }
  if (spec.startsWith('plugin://')) return null
  if (spec.startsWith('/')) return exists(posix.normalize(spec.slice(1)))
  const relative = exists(posix.normalize(posix.join(posix.dirname(from), spec)))
  if (relative || spec.startsWith('.')) return relative
  // npm: the nearest miniprogram_npm folder up from the using component
  let dir = posix.dirname(from)
  for (;;) {
    const hit = exists(posix.join(dir === '.' ? '' : dir, 'miniprogram_npm', spec))
    if (hit) return hit
    if (dir === '.' || dir === '') break
    dir = posix.dirname(dir)
  }
  return null
}

function scriptOf(path: string): string {
  for (const ext of ['.ts', '.js']) {
    const file = join(MP_ROOT, `${path}${ext}`)
    if (existsSync(file)) return file
  }
  throw new Error(`screens: no index.ts/js for component ${path}`)
}

export interface ComponentGraph {
  nodes: Map<string, ComponentNode>
  warnings: string[]
}

/** Walks usingComponents from every page (plus app.json's global components). */
export function buildComponentGraph(pages: string[], app: AppJson = readAppJson()): ComponentGraph {
  const nodes = new Map<string, ComponentNode>()
  const warnings: string[] = []
  const usedPrefixes = new Set<string>()
  const uniquePrefix = (base: string): string => {
    const clean = base.replace(/[^-_0-9a-zA-Z]/g, '-').replace(/^[^_a-zA-Z]+/, 'c')
    let p = clean
    for (let i = 2; usedPrefixes.has(p); i++) p = `${clean}${i}`
    usedPrefixes.add(p)
    return p
  }
  const globalUsing = app.usingComponents ?? {}

  const visit = (path: string, tagName: string, isPage: boolean): void => {
    if (nodes.has(path)) return
    const json = readComponentJson(path)
    const own = json.usingComponents ?? {}
    // app.json's usingComponents reach every page; they resolve from the app root
    const declared: [string, string, string][] = [
      ...Object.entries(isPage ? globalUsing : {}).filter(([tag]) => !(tag in own)).map(([t, s]): [string, string, string] => [t, s, 'app']),
      ...Object.entries(own).map(([t, s]): [string, string, string] => [t, s, path]),
    ]
    const node: ComponentNode = {
      path,
      tagName,
      prefix: uniquePrefix(isPage ? `page-${path.replace(/\/index$/, '').replace(/\//g, '-')}` : tagName),
      using: {},
      isPage,
      sharedStyles: isPage || json.styleIsolation === 'apply-shared' || json.styleIsolation === 'shared',
      script: scriptOf(path),
    }
    nodes.set(path, node)
    for (const [tag, spec, from] of declared) {
      const target = resolveComponent(from, spec)
      if (!target) {
        warnings.push(`${path}: cannot resolve component ${tag} → ${spec}`)
        continue
      }
      node.using[tag] = target
      visit(target, tag, false)
    }
  }
  for (const page of pages) visit(page, 'page', true)
  return { nodes, warnings }
}
