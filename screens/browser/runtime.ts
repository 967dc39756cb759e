/// <reference path="./vendor.d.ts" />
/**
 * Runs the mini program inside the browser, for the screenshots (one page) and the preview (a
 * whole session): registers each page's component tree with j-component + miniprogram-exparser
 * (WXML compiled by wcc into `$gwx`) when the page first opens, installs `wx`, `App`,
 * `Component`, `Behavior`, `Page`, `getApp`, `getCurrentPages`, draws WeChat's bars, and keeps a
 * real page stack: navigateTo / redirectTo / navigateBack / switchTab / reLaunch with onLoad(query),
 * onShow, onReady, onHide, onUnload, pull-down refresh and reach-bottom, as the runtime does.
 */
import * as jComponentModule from 'j-component'
import exparser from 'miniprogram-exparser'
import { cloudConfig } from '../../miniprogram/config'
import type { PageInfo } from '../project'
import { BUILTINS, setOpenTypeHandler, setPageRoute } from './builtins'
import { drawChrome, type Chrome } from './chrome'
import type { Layout } from './device'
import { expandToContent, findBlankIcons, findOverflow, waitForPaint } from './inspect'
import { askPhoneNumber, codesIn, createNative } from './native'
import { createUi, type Ui } from './ui'
import { calls, createStorage, createWx, pending, type LaunchOptions, type Options } from './wx-shim'
import type { BootInfo, BrowserComponent, LaunchInfo, PreviewShell, RenderReport, ShareCard } from './protocol'

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
    __previewShell?: PreviewShell
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
  /** the preview: open a page as WeChat would enter the mini program (scene, query) */
  launch(l: LaunchInfo): Promise<void>
  /** the page stack, bottom first */
  stack(): { route: string; query: Record<string, string> }[]
  pullDownRefresh(): void
  /** 19-digit codes visible on the page in front (a member code), for another phone's scanner */
  codesShown(): string[]
  /** the title in the navigation bar */
  title(): string
}

const modules = new Map<string, () => unknown>()
let appThunk: (() => unknown) | null = null

/** The generated entry declares each component's script; it runs when a page needs it. */
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

function parseQuery(qs: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of new URLSearchParams(qs)) out[k] = v
  return out
}

/** Registers components on demand: every component id exists before its script runs. */
class Registry {
  private readonly byPath: Map<string, BrowserComponent>
  private readonly done = new Set<string>()
  private current: BrowserComponent | null = null

  constructor(components: BrowserComponent[]) {
    this.byPath = new Map(components.map((c) => [c.path, c]))
    ;(globalThis as unknown as Record<string, unknown>).Component = (options: Definition) => this.component(options)
  }

  idOf(path: string): string {
    return `c-${(this.byPath.get(path) as BrowserComponent).prefix}`
  }

  private component(options: Definition): void {
    const node = this.current
    if (!node) throw new Error('Component() called outside of a component script')
    const userOptions = options.options ?? {}
    const isolation = String(userOptions.styleIsolation ?? '')
    const relations: Record<string, Record<string, unknown>> = {}
    for (const [key, rel] of Object.entries(options.relations ?? {})) {
      const target = resolvePath(node.path, key)
      relations[this.byPath.has(target) ? this.idOf(target) : key] = this.byPath.has(target) ? { ...rel, target: this.idOf(target) } : rel
    }
    const usingComponents: Record<string, string> = {}
    for (const [tag, path] of Object.entries(node.using)) usingComponents[tag] = this.idOf(path)
    const template = window.$gwx(`${node.path}.wxml`)
    jComponent.register({
      ...options,
      id: this.idOf(node.path),
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

  /** Registers `route` and everything it uses (once), answers the page's component id. */
  ensure(route: string): string {
    const fresh: string[] = []
    const visit = (path: string): void => {
      if (this.done.has(path)) return
      this.done.add(path)
      fresh.push(path)
      const node = this.byPath.get(path)
      if (!node) throw new Error(`unknown component ${path}`)
      for (const dep of Object.values(node.using)) visit(dep)
    }
    visit(route)
    for (const path of fresh) {
      const thunk = modules.get(path)
      if (!thunk) throw new Error(`no script bundled for ${path}`)
      this.current = this.byPath.get(path) as BrowserComponent
      try {
        thunk()
      } finally {
        this.current = null
      }
    }
    return this.idOf(route)
  }
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

interface PageRecord {
  info: PageInfo
  query: Record<string, string>
  root: RootComponent
  caller: Record<string, unknown>
  webview: HTMLElement
  style: HTMLLinkElement
  layout: Layout
  title: string
  front: string
  background: string
  atBottom: boolean
  refresh: HTMLElement
}

const MAX_STACK = 10

class Session {
  readonly stack: PageRecord[] = []
  /** tab pages stay alive when another tab is in front */
  private readonly tabs = new Map<string, PageRecord>()
  private readonly registry: Registry
  private readonly chrome: Chrome
  readonly ui: Ui
  private launchOptions: LaunchOptions
  private enterOptions: LaunchOptions
  private app: Record<string, unknown> = { globalData: {} }
  private shareMenus: string[] = ['shareAppMessage']
  /** navigation runs one at a time, after the handler that asked for it */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly boot: BootInfo) {
    this.registry = new Registry(boot.components)
    this.chrome = drawChrome(document.getElementById('phone') as HTMLElement, boot.tabBar, boot.styleV2)
    this.ui = createUi(this.chrome.overlay)
    const first = this.optionsOf(boot.launch)
    this.launchOptions = first
    this.enterOptions = first
    this.chrome.onBack(() => void this.run(() => this.back(1)).catch(() => undefined))
    this.chrome.onTab((path) => void this.run(() => this.switchTab(`/${path}`)).catch((e: Error) => errors.push(`switchTab: ${e.message}`)))
    this.chrome.onCapsule((part) => void this.capsule(part))
    this.chrome.onSinglePageBar(() => void this.launch({ ...boot.launch, route: this.top()?.info.route ?? boot.launch.route, query: this.top()?.query ?? {}, scene: 1001 }))
    tapFromClicks(this.chrome.stage)
    this.installGlobals()
  }

  private optionsOf(l: LaunchInfo): LaunchOptions {
    return { path: l.route, query: { ...l.query }, scene: l.scene, referrerInfo: {} }
  }

  top(): PageRecord | undefined {
    return this.stack[this.stack.length - 1]
  }

  private singlePage(): boolean {
    return this.enterOptions.scene === 1154
  }

  private installGlobals(): void {
    const g = globalThis as unknown as Record<string, unknown>
    const nav = (fn: (o: Options) => Promise<void>) => (o: Options) => this.run(() => fn(o)).then(() => ({}))
    g.wx = createWx({
      layout: () => this.top()?.layout ?? this.chrome.layoutOf(this.pageInfo(this.boot.launch.route), this.singlePage()),
      launchOptions: () => ({ ...this.launchOptions, query: { ...this.launchOptions.query } }),
      enterOptions: () => ({ ...this.enterOptions, query: { ...this.enterOptions.query } }),
      currentPage: () => this.top()?.caller ?? null,
      setTitle: (t) => this.restyle((p) => (p.title = t)),
      setNavigationBarColor: (f, b) =>
        this.restyle((p) => {
          p.front = f
          p.background = b
        }),
      storage: createStorage(this.boot.storagePrefix ?? null),
      nav: {
        navigateTo: nav((o) => this.navigateTo(String(o.url ?? ''))),
        redirectTo: nav((o) => this.redirectTo(String(o.url ?? ''))),
        navigateBack: nav((o) => this.back(Number(o.delta ?? 1))),
        switchTab: nav((o) => this.switchTab(String(o.url ?? ''))),
        reLaunch: nav((o) => this.reLaunch(String(o.url ?? ''))),
        startPullDownRefresh: async () => (this.pullDownRefresh(), {}),
        stopPullDownRefresh: async () => (this.stopRefresh(), {}),
        showShareMenu: async (o) => ((this.shareMenus = ((o.menus as string[] | undefined) ?? ['shareAppMessage']).map(String)), {}),
        hideShareMenu: async () => ((this.shareMenus = []), {}),
        pageScrollTo: async (o) => {
          const top = this.top()
          if (top) top.webview.scrollTo({ top: Number(o.scrollTop ?? 0), behavior: Number(o.duration ?? 300) ? 'smooth' : 'auto' })
          return {}
        },
      },
      native: createNative({ ui: this.ui, gatewayUrl: this.boot.gatewayUrl, openid: () => cloudConfig.devOpenid, who: this.boot.who ?? '', shell: this.shell(), denyLocation: this.boot.denyLocation === true }),
    })
    g.App = (def: Record<string, unknown>) => {
      this.app = def
      if (!this.app.globalData) this.app.globalData = {}
    }
    g.getApp = () => this.app
    g.getCurrentPages = () => this.stack.map((p) => p.caller)
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
    setOpenTypeHandler((type, emit, target) => void this.openType(type, emit, target))
  }

  private shell(): PreviewShell | null {
    try {
      return window.parent !== window ? (window.parent.__previewShell ?? null) : null
    } catch {
      return null
    }
  }

  /** Starts the app: App() runs, onLaunch and onShow get the launch options, the first page opens. */
  start(): void {
    if (appThunk) appThunk()
    ;(this.app.onLaunch as AnyFn | undefined)?.call(this.app, this.enterOptions)
    ;(this.app.onShow as AnyFn | undefined)?.call(this.app, this.enterOptions)
    this.open(this.boot.launch.route, this.boot.launch.query)
  }

  run(fn: () => Promise<void> | void): Promise<void> {
    const next = this.queue.then(async () => {
      await Promise.resolve()
      await fn()
    })
    this.queue = next.catch(() => undefined)
    return next
  }

  private pageInfo(route: string): PageInfo {
    const info = this.boot.pages.find((p) => p.route === route)
    if (!info) throw new Error(`page "${route}" is not found`)
    return info
  }

  private parseUrl(url: string): { route: string; query: Record<string, string> } {
    const [path, qs = ''] = url.split('?')
    const from = this.top()?.info.route ?? ''
    const route = resolvePath(from, path.replace(/\.html$/, ''))
    this.pageInfo(route)
    return { route, query: parseQuery(qs) }
  }

  private restyle(fn: (p: PageRecord) => void): void {
    const top = this.top()
    if (!top) return
    fn(top)
    this.applyChrome(top)
  }

  private applyChrome(p: PageRecord): void {
    this.chrome.apply({ page: p.info, title: p.title, front: p.front, background: p.background, canGoBack: this.stack.length > 1, singlePage: this.singlePage() })
  }

  /** Creates a page on top of the stack: onLoad(query), onShow, then ready. */
  private open(route: string, query: Record<string, string>): PageRecord {
    const info = this.pageInfo(route)
    const id = this.registry.ensure(route)
    const layout = this.chrome.layoutOf(info, this.singlePage())
    const webview = document.createElement('div')
    webview.className = 'screens-webview'
    webview.dataset.route = route
    webview.style.top = `${layout.webviewTop}px`
    webview.style.height = `${layout.webviewHeight}px`
    webview.style.setProperty('--screens-safe-bottom', `${layout.safeBottom}px`)
    webview.style.setProperty('--screens-vh', `${layout.webviewHeight / 100}px`)
    const refresh = document.createElement('div')
    refresh.className = 'screens-refresh'
    refresh.innerHTML = '<i></i><i></i><i></i>'
    webview.appendChild(refresh)
    const style = document.createElement('link')
    style.rel = 'stylesheet'
    style.href = `/__screens/page.css?route=${encodeURIComponent(route)}`
    pending.count++
    style.onload = style.onerror = () => pending.count--
    document.head.appendChild(style)
    this.chrome.stage.appendChild(webview)
    setPageRoute(route)

    const root = jComponent.create(id)
    const caller = root.instance
    caller.route = route
    caller.options = { ...query }
    webview.appendChild(root.dom)
    const win = info.window
    const rec: PageRecord = {
      info,
      query,
      root,
      caller,
      webview,
      style,
      layout,
      title: win.navigationBarTitleText ?? '',
      front: win.navigationBarTextStyle === 'white' ? '#ffffff' : '#000000',
      background: win.navigationBarBackgroundColor ?? '#000000',
      atBottom: false,
      refresh,
    }
    this.stack.push(rec)
    if (info.isTab) this.tabs.set(route, rec)
    this.bindScroll(rec)
    this.markCurrent(rec)
    // created → attached → onLoad → onShow → ready, as for a Component() page
    exparser.Element.pretendAttached(root._exparserNode)
    ;(caller.onLoad as AnyFn | undefined)?.call(caller, { ...query })
    this.show(rec)
    dfs(root._exparserNode, (n) => n.triggerLifeTime('ready'))
    ;(caller.onReady as AnyFn | undefined)?.call(caller)
    return rec
  }

  private markCurrent(rec: PageRecord): void {
    for (const el of Array.from(this.chrome.stage.children) as HTMLElement[]) {
      const on = el === rec.webview
      el.classList.toggle('screens-webview--current', on)
      el.style.display = on ? '' : 'none'
    }
    for (const p of [...this.stack, ...this.tabs.values()]) p.style.disabled = p !== rec
    setPageRoute(rec.info.route)
  }

  private show(rec: PageRecord): void {
    this.markCurrent(rec)
    this.applyChrome(rec)
    ;(rec.caller.onShow as AnyFn | undefined)?.call(rec.caller)
    rec.root._exparserNode.triggerPageLifeTime('show')
  }

  private hide(rec: PageRecord): void {
    ;(rec.caller.onHide as AnyFn | undefined)?.call(rec.caller)
    rec.root._exparserNode.triggerPageLifeTime('hide')
  }

  private unload(rec: PageRecord): void {
    ;(rec.caller.onUnload as AnyFn | undefined)?.call(rec.caller)
    exparser.Element.pretendDetached(rec.root._exparserNode)
    rec.webview.remove()
    rec.style.remove()
    if (this.tabs.get(rec.info.route) === rec) this.tabs.delete(rec.info.route)
  }

  private async navigateTo(url: string): Promise<void> {
    const { route, query } = this.parseUrl(url)
    if (this.pageInfo(route).isTab) throw new Error('can not navigateTo a tabbar page')
    if (this.stack.length >= MAX_STACK) throw new Error('webview count limit exceed')
    const top = this.top()
    if (top) this.hide(top)
    this.open(route, query)
  }

  private async redirectTo(url: string): Promise<void> {
    const { route, query } = this.parseUrl(url)
    if (this.pageInfo(route).isTab) throw new Error('can not redirectTo a tabbar page')
    const top = this.stack.pop()
    if (top) this.unload(top)
    this.open(route, query)
  }

  private async back(delta: number): Promise<void> {
    if (this.stack.length <= 1) throw new Error('cannot navigate back at first page.')
    const n = Math.max(1, Math.min(Math.floor(delta) || 1, this.stack.length - 1))
    for (let i = 0; i < n; i++) this.unload(this.stack.pop() as PageRecord)
    this.show(this.top() as PageRecord)
  }

  private async switchTab(url: string): Promise<void> {
    const route = this.parseUrl(url).route
    if (!this.pageInfo(route).isTab) throw new Error('can not switch to no-tabBar page')
    const current = this.top()
    if (current?.info.route === route && this.stack.length === 1) return
    while (this.stack.length && !this.stack[this.stack.length - 1].info.isTab) this.unload(this.stack.pop() as PageRecord)
    const bottom = this.stack.pop()
    if (bottom && current === bottom) this.hide(bottom)
    const kept = this.tabs.get(route)
    if (kept) {
      this.stack.push(kept)
      this.show(kept)
    } else this.open(route, {})
  }

  private async reLaunch(url: string): Promise<void> {
    const { route, query } = this.parseUrl(url)
    while (this.stack.length) this.unload(this.stack.pop() as PageRecord)
    for (const p of [...this.tabs.values()]) this.unload(p)
    this.open(route, query)
  }

  /** Entering the mini program again from outside (a share card, a QR code, Moments). */
  launch(l: LaunchInfo): Promise<void> {
    return this.run(() => {
      this.enterOptions = this.optionsOf(l)
      ;(this.app.onShow as AnyFn | undefined)?.call(this.app, this.enterOptions)
      const qs = new URLSearchParams(l.query).toString()
      return this.reLaunch(`/${l.route}${qs ? `?${qs}` : ''}`)
    })
  }

  private bindScroll(rec: PageRecord): void {
    const distance = rec.info.window.onReachBottomDistance ?? 50
    rec.webview.addEventListener('scroll', () => {
      const w = rec.webview
      const near = w.scrollHeight - w.scrollTop - w.clientHeight <= distance
      if (near && !rec.atBottom) {
        rec.atBottom = true
        ;(rec.caller.onReachBottom as AnyFn | undefined)?.call(rec.caller)
      } else if (!near) rec.atBottom = false
      ;(rec.caller.onPageScroll as AnyFn | undefined)?.call(rec.caller, { scrollTop: w.scrollTop })
    })
    if (!rec.info.window.enablePullDownRefresh) return
    // pull down from the top with the mouse or a finger
    let startY: number | null = null
    rec.webview.addEventListener('pointerdown', (e) => (startY = rec.webview.scrollTop <= 0 ? e.clientY : null))
    rec.webview.addEventListener('pointerup', (e) => {
      if (startY !== null && e.clientY - startY > 60) this.pullDownRefresh()
      startY = null
    })
  }

  pullDownRefresh(): void {
    const top = this.top()
    if (!top || !top.info.window.enablePullDownRefresh) return
    top.refresh.classList.add('screens-refresh--on')
    ;(top.caller.onPullDownRefresh as AnyFn | undefined)?.call(top.caller)
  }

  private stopRefresh(): void {
    for (const p of this.stack) p.refresh.classList.remove('screens-refresh--on')
  }

  /** The capsule's ··· menu: forward, Moments, re-enter; its ring closes (re-enters) the mini program. */
  private async capsule(part: 'menu' | 'close'): Promise<void> {
    const top = this.top()
    if (!top) return
    if (part === 'close') return this.launch({ ...this.boot.launch, scene: 1001 })
    const items: { text: string; run: () => void | Promise<void> }[] = []
    if (typeof top.caller.onShareAppMessage === 'function' && this.shareMenus.includes('shareAppMessage')) items.push({ text: '转发给朋友', run: async () => void (await this.share('chat', 'menu')) })
    // WeChat offers Moments only on pages that can also be forwarded
    if (typeof top.caller.onShareTimeline === 'function' && typeof top.caller.onShareAppMessage === 'function') items.push({ text: '分享到朋友圈', run: async () => void (await this.share('timeline', 'menu')) })
    items.push({ text: '重新进入小程序', run: () => this.launch({ ...this.boot.launch, scene: 1001 }) })
    const i = await this.ui.actionSheet({ itemList: items.map((x) => x.text) })
    if (i !== null) await items[i].run()
  }

  /** onShareAppMessage / onShareTimeline → a card in the preview's chat. */
  async share(kind: 'chat' | 'timeline', from: 'menu' | 'button', target?: unknown): Promise<ShareCard | null> {
    const top = this.top()
    if (!top) return null
    const fn = (kind === 'chat' ? top.caller.onShareAppMessage : top.caller.onShareTimeline) as AnyFn | undefined
    if (typeof fn !== 'function') {
      this.ui.toast({ title: '该页面未设置分享', icon: 'none' })
      return null
    }
    const raw = ((fn.call(top.caller, { from, target, webViewUrl: '' }) ?? {}) as Record<string, unknown>)
    const res = raw.promise instanceof Promise ? { ...raw, ...((await (raw.promise as Promise<Record<string, unknown>>).catch(() => ({}))) as Record<string, unknown>) } : raw
    const here = `${top.info.route}${Object.keys(top.query).length ? `?${new URLSearchParams(top.query).toString()}` : ''}`
    const path =
      kind === 'chat'
        ? String(res.path ?? here).replace(/^\//, '')
        : `${top.info.route}${res.query ? `?${String(res.query).replace(/^\?/, '')}` : ''}`
    const card: ShareCard = { kind, title: String(res.title ?? top.title), path, imageUrl: String(res.imageUrl ?? ''), from: this.boot.who ?? '' }
    calls.push({ api: kind === 'chat' ? 'onShareAppMessage' : 'onShareTimeline', args: card })
    const shell = this.shell()
    shell?.shared(card)
    this.ui.toast({ title: kind === 'chat' ? '已发送到聊天' : '已发表到朋友圈', icon: 'success' })
    return card
  }

  private async openType(type: string, emit: (name: string, detail: unknown) => void, target: { id: string; dataset: Record<string, string | undefined> }): Promise<void> {
    if (type === 'share') await this.share('chat', 'button', target)
    else if (type === 'getPhoneNumber') emit('getphonenumber', await askPhoneNumber(this.ui))
    else if (type === 'agreePrivacyAuthorization') emit('agreeprivacyauthorization', {})
    else if (type === 'getRealtimePhoneNumber') emit('getrealtimephonenumber', await askPhoneNumber(this.ui))
    else if (type === 'chooseAvatar') emit('chooseavatar', { avatarUrl: await sampleAvatar() })
    else if (type === 'contact') this.ui.toast({ title: '将进入客服会话（预览不打开聊天；自动回复见本地云 /service/messages）', icon: 'none' })
    else this.ui.toast({ title: `预览不支持 open-type="${type}"`, icon: 'none' })
  }
}

async function boot(): Promise<Session> {
  const info = window.__SCREENS_BOOT__
  window.__webview_engine_version__ = 0.02
  // the app's client in local mode, against the local cloud's gateway, as the identity acting
  cloudConfig.mode = 'local'
  cloudConfig.gatewayUrl = info.gatewayUrl
  if (info.openid) cloudConfig.devOpenid = info.openid
  for (const b of BUILTINS) jComponent.register(b as unknown as Record<string, unknown>)
  new MutationObserver(() => (lastMutation = performance.now())).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
  const session = new Session(info)
  session.start()
  return session
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
  const sessionPromise = boot().catch((e: unknown) => {
    errors.push(`boot failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
    throw e
  })
  const withSession = <T>(fn: (s: Session) => T, fallback: T): T => {
    const s = current
    return s ? fn(s) : fallback
  }
  let current: Session | null = null
  void sessionPromise.then((s) => (current = s), () => undefined)
  window.__screens = {
    ready: sessionPromise.then(() => undefined),
    settled,
    waitForPaint,
    findOverflow,
    findBlankIcons,
    expandToContent,
    report: () => ({ errors: [...errors], calls: JSON.parse(JSON.stringify(calls)) as RenderReport['calls'] }),
    launch: (l) => sessionPromise.then((s) => s.launch(l)),
    stack: () => withSession((s) => s.stack.map((p) => ({ route: p.info.route, query: { ...p.query } })), []),
    pullDownRefresh: () => withSession((s) => s.pullDownRefresh(), undefined),
    codesShown: () => codesIn(document),
    title: () => withSession((s) => s.top()?.title ?? '', ''),
  }
}

/** 头像昵称填写's choice in the preview: a small picture drawn here, as a temporary file (blob: URL) the page uploads. */
async function sampleAvatar(): Promise<string> {
  const canvas = document.createElement('canvas')
  canvas.width = 96
  canvas.height = 96
  const g = canvas.getContext('2d')
  if (!g) return ''
  g.fillStyle = `hsl(${Math.floor(Math.random() * 360)}, 55%, 55%)`
  g.fillRect(0, 0, 96, 96)
  g.fillStyle = '#ffffff'
  g.font = 'bold 44px sans-serif'
  g.textAlign = 'center'
  g.textBaseline = 'middle'
  g.fillText('我', 48, 52)
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'))
  return blob ? `${URL.createObjectURL(blob)}#.png` : ''
}
