/// <reference path="./vendor.d.ts" />
/**
 * Runs one mini-program page inside the browser: registers the page's component tree with
 * j-component + miniprogram-exparser (WXML compiled by wcc into `$gwx`), installs `wx`, `App`,
 * `Component`, `Behavior`, `Page`, `getApp`, `getCurrentPages`, draws WeChat's bars, and calls
 * the page's lifecycle (onLoad(query), onShow) like the runtime would.
 */
import * as jComponentModule from 'j-component'
import exparser from 'miniprogram-exparser'
import { cloudConfig } from '../../miniprogram/config'
import { BUILTINS, setPageRoute } from './builtins'
import { drawChrome, type Chrome } from './chrome'
import { expandToContent, findBlankIcons, findOverflow, waitForPaint } from './inspect'
import { layoutFor } from './device'
import { calls, createWx, pending } from './wx-shim'
import type { BootInfo, BrowserComponent, RenderReport } from './protocol'

type AnyFn = (...args: unknown[]) => unknown
type Definition = Record<string, unknown> & { options?: Record<string, unknown>; relations?: Record<string, Record<string, unknown>> }

interface RootComponent {
  dom: HTMLElement
  instance: Record<string, unknown>
  _exparserNode: ExparserNode
}
interface ExparserNode {
  shadowRoot?: ExparserNode
  childNodes: ExparserNode[]
  triggerLifeTime(name: string, args?: unknown[]): void
  triggerPageLifeTime(name: string, args?: unknown[]): void
}
interface JComponentApi {
  register(def: Record<string, unknown>): string
  behavior(def: Record<string, unknown>): string
  create(id: string, props?: Record<string, unknown>): RootComponent
}
const jComponent = jComponentModule as unknown as JComponentApi

type Gwx = (path: string) => AnyFn | undefined
declare global {
  interface Window {
    $gwx: Gwx
    __webview_engine_version__: number
    __SCREENS_BOOT__: BootInfo
    __screens: ScreensApi
  }
}

export interface ScreensApi {
  ready: Promise<void>
  report(): RenderReport
  /** resolves when no request, image load or DOM change has happened for `quietMs` */
  settled(quietMs?: number, timeoutMs?: number): Promise<boolean>
  waitForPaint: typeof waitForPaint
  findOverflow: typeof findOverflow
  findBlankIcons: typeof findBlankIcons
  expandToContent: typeof expandToContent
}

const modules = new Map<string, () => unknown>()
let appThunk: (() => unknown) | null = null

/** The generated entry declares each component's script; it runs when the page needs it. */
export function defineModule(path: string, thunk: () => unknown): void {
  modules.set(path, thunk)
}
export function defineApp(thunk: () => unknown): void {
  appThunk = thunk
}

const errors: string[] = []
let lastMutation = performance.now()

function resolvePath(from: string, spec: string): string {
  const parts = spec.startsWith('/') ? [] : from.split('/').slice(0, -1)
  for (const p of spec.replace(/^\//, '').split('/')) {
    if (p === '..') parts.pop()
    else if (p !== '.' && p !== '') parts.push(p)
  }
  return parts.join('/')
}

function installGlobals(boot: BootInfo, chrome: Chrome, pageCaller: () => unknown): void {
  const g = globalThis as unknown as Record<string, unknown>
  const layout = layoutFor({ isTab: boot.page.isTab, customNavigation: boot.page.window.navigationStyle === 'custom' })
  g.wx = createWx({
    layout,
    route: boot.page.route,
    query: boot.scenario.query,
    currentPage: pageCaller,
    setTitle: (t) => chrome.setTitle(t),
    setNavigationBarColor: (f, b) => chrome.setColors(f, b),
  })
  let app: Record<string, unknown> = { globalData: {} }
  g.App = (def: Record<string, unknown>) => {
    app = def
    if (!app.globalData) app.globalData = {}
  }
  g.getApp = () => app
  g.getCurrentPages = () => [pageCaller()]
  g.Behavior = (def: Record<string, unknown>) => jComponent.behavior(def)
  // Page({...}) as a Component whose top-level functions are methods
  g.Page = (def: Record<string, unknown>) => {
    const methods: Record<string, unknown> = {}
    const rest: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(def)) (typeof v === 'function' ? methods : rest)[k] = v
    ;(g.Component as AnyFn)({ ...rest, methods })
  }
  g.requirePlugin = () => ({})
  g.__wxConfig = { envVersion: 'develop', platform: 'ios' }
  void app
}

/** Registers `path` and everything it uses (dependencies first), then runs its script. */
function registerTree(boot: BootInfo): string {
  const byPath = new Map(boot.components.map((c) => [c.path, c]))
  const idOf = (path: string): string => `c-${(byPath.get(path) as BrowserComponent).prefix}`
  const done = new Set<string>()
  let current: BrowserComponent | null = null

  ;(globalThis as unknown as Record<string, unknown>).Component = (options: Definition) => {
    const node = current
    if (!node) throw new Error('Component() called outside of a component script')
    const userOptions = options.options ?? {}
    const isolation = String(userOptions.styleIsolation ?? '')
    const relations: Record<string, Record<string, unknown>> = {}
    for (const [key, rel] of Object.entries(options.relations ?? {})) {
      const target = resolvePath(node.path, key)
      relations[byPath.has(target) ? idOf(target) : key] = byPath.has(target) ? { ...rel, target: idOf(target) } : rel
    }
    const usingComponents: Record<string, string> = {}
    for (const [tag, path] of Object.entries(node.using)) usingComponents[tag] = idOf(path)
    const template = window.$gwx(`${node.path}.wxml`)
    jComponent.register({
      ...options,
      id: idOf(node.path),
      path: `/${node.path}`,
      tagName: node.tagName,
      template: template ?? '',
      usingComponents,
      relations,
      options: {
        ...userOptions,
        classPrefix: node.prefix,
        addGlobalClass: node.sharedStyles || !!userOptions.addGlobalClass || isolation === 'apply-shared' || isolation === 'shared',
      },
    })
  }

  const visit = (path: string): void => {
    if (done.has(path)) return
    done.add(path)
    const node = byPath.get(path)
    if (!node) throw new Error(`unknown component ${path}`)
    for (const dep of Object.values(node.using)) visit(dep)
  }
  visit(boot.page.route)
  // every id exists before any script runs, so relations can point anywhere in the tree
  for (const path of done) {
    const thunk = modules.get(path)
    if (!thunk) throw new Error(`no script bundled for ${path}`)
    current = byPath.get(path) as BrowserComponent
    thunk()
    current = null
  }
  return idOf(boot.page.route)
}

function dfs(node: ExparserNode, fn: (n: ExparserNode) => void): void {
  if (node instanceof exparser.Component) {
    if (node.shadowRoot && node.shadowRoot instanceof exparser.Element) dfs(node.shadowRoot, fn)
    fn(node)
  }
  for (const child of node.childNodes) if (child instanceof exparser.Element) dfs(child, fn)
}

function tapFromClicks(root: HTMLElement): void {
  root.addEventListener('click', (evt) => {
    exparser.Event.dispatchEvent(
      evt.target,
      exparser.Event.create('tap', { x: evt.pageX, y: evt.pageY }, { originalEvent: evt, bubbles: true, capturePhase: true, composed: true, extraFields: { touches: [], changedTouches: [] } }),
    )
  })
}

async function boot(): Promise<void> {
  const info = window.__SCREENS_BOOT__
  window.__webview_engine_version__ = 0.02
  // the app's client in local mode, through the harness's gateway proxy, as the scenario's user
  cloudConfig.mode = 'local'
  cloudConfig.gatewayUrl = info.gatewayUrl
  if (info.scenario.openid) cloudConfig.devOpenid = info.scenario.openid
  setPageRoute(info.page.route)

  const chrome = drawChrome(document.getElementById('phone') as HTMLElement, info)
  let page: RootComponent | null = null
  installGlobals(info, chrome, () => page?.instance ?? null)
  for (const b of BUILTINS) jComponent.register(b as unknown as Record<string, unknown>)
  new MutationObserver(() => (lastMutation = performance.now())).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })

  if (appThunk) appThunk()
  const app = (globalThis as unknown as { getApp: () => Record<string, unknown> }).getApp()
  const launch = { path: info.page.route, query: info.scenario.query, scene: 1001 }
  ;(app.onLaunch as AnyFn | undefined)?.call(app, launch)
  ;(app.onShow as AnyFn | undefined)?.call(app, launch)

  const id = registerTree(info)
  page = jComponent.create(id)
  const caller = page.instance
  caller.route = info.page.route
  caller.options = info.scenario.query
  chrome.webview.appendChild(page.dom)
  tapFromClicks(chrome.webview)
  // created → attached → onLoad → onShow → ready, as for a Component() page
  exparser.Element.pretendAttached(page._exparserNode)
  ;(caller.onLoad as AnyFn | undefined)?.call(caller, { ...info.scenario.query })
  ;(caller.onShow as AnyFn | undefined)?.call(caller)
  page._exparserNode.triggerPageLifeTime('show')
  dfs(page._exparserNode, (n) => n.triggerLifeTime('ready'))
}

function settled(quietMs = 150, timeoutMs = 8000): Promise<boolean> {
  const start = performance.now()
  return new Promise((resolve) => {
    const tick = (): void => {
      const now = performance.now()
      if (pending.count === 0 && now - lastMutation >= quietMs) resolve(true)
      else if (now - start > timeoutMs) resolve(false)
      else setTimeout(tick, 25)
    }
    tick()
  })
}

window.addEventListener('error', (e) => errors.push(`${e.message} (${e.filename}:${e.lineno})`))
window.addEventListener('unhandledrejection', (e) => errors.push(`unhandled rejection: ${String((e.reason as Error)?.stack ?? e.reason)}`))

export function start(): void {
  const ready = boot().catch((e: unknown) => {
    errors.push(`boot failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
    throw e
  })
  window.__screens = {
    ready,
    settled,
    waitForPaint,
    findOverflow,
    findBlankIcons,
    expandToContent,
    report: () => ({ errors: [...errors], calls: JSON.parse(JSON.stringify(calls)) as RenderReport['calls'] }),
  }
}
