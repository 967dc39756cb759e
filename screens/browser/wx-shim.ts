/// <reference path="./vendor.d.ts" />
/**
 * The `wx` object a page sees in the browser. What matters for a screenshot is real: system and
 * window info for the 375 px phone, `wx.request` over fetch (so the app's local-mode
 * `callCloud` reaches the gateway), in-memory storage, selector queries. Everything else is a
 * recorded no-op that succeeds, the way an untouched API would look to the page.
 */
import SelectorQuery from 'j-component/src/tool/selectorquery'
import { DEVICE, type Layout } from './device'

export type Options = Record<string, unknown> & {
  success?: (res: unknown) => void
  fail?: (err: unknown) => void
  complete?: (res: unknown) => void
}

export interface RecordedCall {
  api: string
  args: unknown
}

export interface LaunchOptions {
  path: string
  query: Record<string, string>
  scene: number
  referrerInfo: Record<string, unknown>
}

/** Key–value storage for wx.*Storage*: one per identity in the preview. */
export interface KeyValue {
  get(key: string): { found: boolean; value: unknown }
  set(key: string, value: unknown): void
  remove(key: string): void
  clear(): void
  keys(): string[]
}

export interface ShimHost {
  /** the page in front's web view */
  layout: () => Layout
  launchOptions: () => LaunchOptions
  enterOptions: () => LaunchOptions
  /** the current page's method caller (for wx.createSelectorQuery without .in()) */
  currentPage: () => unknown
  setTitle: (title: string) => void
  setNavigationBarColor: (front: string, background: string) => void
  storage: KeyValue
  /** the page stack: navigateTo, redirectTo, navigateBack, switchTab, reLaunch, pull-down refresh */
  nav: Record<string, (o: Options) => Promise<Record<string, unknown>>>
  /** WeChat's native UI and the preview's stand-ins for native flows (payment, scan, …) */
  native: Record<string, (o: Options) => Promise<Record<string, unknown>>>
}

/** Memory storage (the screenshots), or the browser's localStorage under a prefix (the preview). */
export function createStorage(prefix: string | null): KeyValue {
  const mem = new Map<string, unknown>()
  if (prefix === null) {
    return {
      get: (k) => ({ found: mem.has(k), value: mem.get(k) }),
      set: (k, v) => void mem.set(k, v),
      remove: (k) => void mem.delete(k),
      clear: () => mem.clear(),
      keys: () => [...mem.keys()],
    }
  }
  const keys = (): string[] => Object.keys(localStorage).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length))
  return {
    get: (k) => {
      const raw = localStorage.getItem(prefix + k)
      return raw === null ? { found: false, value: undefined } : { found: true, value: JSON.parse(raw) as unknown }
    },
    set: (k, v) => localStorage.setItem(prefix + k, JSON.stringify(v === undefined ? null : v)),
    remove: (k) => localStorage.removeItem(prefix + k),
    clear: () => keys().forEach((k) => localStorage.removeItem(prefix + k)),
    keys,
  }
}

/** Work the page started that a screenshot should wait for (requests, image loads). */
export const pending = { count: 0 }
export const calls: RecordedCall[] = []

export function settle(name: string, opts: unknown, res: Record<string, unknown>, ok = true): Promise<unknown> {
  const o = (opts ?? {}) as Options
  const full = { errMsg: `${name}:${ok ? 'ok' : 'fail'}`, ...res }
  if (ok) o.success?.(full)
  else o.fail?.(full)
  o.complete?.(full)
  return ok ? Promise.resolve(full) : Promise.reject(full)
}

function noopAsync(name: string) {
  return (opts?: unknown): Promise<unknown> => {
    calls.push({ api: name, args: opts })
    const p = settle(name, opts, {})
    p.catch(() => undefined)
    return p
  }
}

class Animation {
  private actions: unknown[] = []
  private current: unknown[] = []
  step(): this {
    this.actions.push({ animates: this.current, option: {} })
    this.current = []
    return this
  }
  export(): { actions: unknown[] } {
    const out = { actions: this.actions }
    this.actions = []
    return out
  }
}
// every other Animation method (translate, opacity, …) chains
const animationProxy = (): unknown =>
  new Proxy(new Animation(), {
    get(target, key, receiver) {
      if (key in target) return Reflect.get(target, key, receiver) as unknown
      return () => receiver
    },
  })

function systemInfo(layout: Layout): Record<string, unknown> {
  const safeArea = {
    left: 0,
    right: DEVICE.screenWidth,
    top: DEVICE.statusBarHeight,
    bottom: DEVICE.screenHeight - DEVICE.safeAreaBottom,
    width: DEVICE.screenWidth,
    height: DEVICE.screenHeight - DEVICE.statusBarHeight - DEVICE.safeAreaBottom,
  }
  return {
    brand: 'Apple',
    model: 'iPhone X',
    system: 'iOS 16.0',
    platform: 'ios',
    language: 'zh_CN',
    version: '8.0.50',
    SDKVersion: '3.4.0',
    theme: 'light',
    fontSizeSetting: 16,
    pixelRatio: DEVICE.pixelRatio,
    screenWidth: DEVICE.screenWidth,
    screenHeight: DEVICE.screenHeight,
    windowWidth: DEVICE.screenWidth,
    windowHeight: layout.webviewHeight,
    statusBarHeight: DEVICE.statusBarHeight,
    screenTop: layout.webviewTop,
    safeArea,
    enableDebug: false,
    host: { env: 'WeChat' },
  }
}

function request(opts: Options): { abort: () => void } {
  const controller = new AbortController()
  const method = String(opts.method ?? 'GET').toUpperCase()
  const headers: Record<string, string> = { ...((opts.header as Record<string, string> | undefined) ?? {}) }
  let url = String(opts.url)
  let body: string | undefined
  if (method === 'GET' && opts.data && typeof opts.data === 'object') {
    const qs = new URLSearchParams(opts.data as Record<string, string>).toString()
    if (qs) url += (url.includes('?') ? '&' : '?') + qs
  } else if (opts.data !== undefined) {
    body = typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data)
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
  }
  calls.push({ api: 'request', args: { url, method } })
  pending.count++
  fetch(url, { method, headers, body, signal: controller.signal })
    .then(async (res) => {
      const text = await res.text()
      let data: unknown = text
      if (opts.dataType !== 'text' && opts.responseType !== 'text') {
        try {
          data = JSON.parse(text)
        } catch {
          data = text
        }
      }
      const header: Record<string, string> = {}
      res.headers.forEach((v, k) => (header[k] = v))
      void settle('request', opts, { data, statusCode: res.status, header }).catch(() => undefined)
    })
    .catch((e: unknown) => {
      void settle('request', opts, { errMsg: `request:fail ${e instanceof Error ? e.message : String(e)}` }, false).catch(() => undefined)
    })
    .finally(() => pending.count--)
  return { abort: () => controller.abort() }
}

/** wx.uploadFile over fetch: the temporary file's bytes as the multipart part `name`, plus formData. */
function uploadFile(opts: Options): { abort: () => void } {
  const controller = new AbortController()
  const headers: Record<string, string> = { ...((opts.header as Record<string, string> | undefined) ?? {}) }
  calls.push({ api: 'uploadFile', args: { url: opts.url, name: opts.name } })
  pending.count++
  fetch(String(opts.filePath), { signal: controller.signal })
    .then((r) => r.blob())
    .then(async (blob) => {
      const form = new FormData()
      for (const [k, v] of Object.entries((opts.formData as Record<string, string> | undefined) ?? {})) form.set(k, String(v))
      form.set(String(opts.name ?? 'file'), blob, 'tmp')
      const res = await fetch(String(opts.url), { method: 'POST', headers, body: form, signal: controller.signal })
      void settle('uploadFile', opts, { data: await res.text(), statusCode: res.status }).catch(() => undefined)
    })
    .catch((e: unknown) => {
      void settle('uploadFile', opts, { errMsg: `uploadFile:fail ${e instanceof Error ? e.message : String(e)}` }, false).catch(() => undefined)
    })
    .finally(() => pending.count--)
  return { abort: () => controller.abort() }
}

/** Runs a host action as a wx API: success/fail/complete and a promise, errMsg `name:ok|fail …`. */
function hosted(name: string, fn: (o: Options) => Promise<Record<string, unknown>>) {
  return (opts?: Options): Promise<unknown> => {
    const o = opts ?? {}
    calls.push({ api: name, args: o })
    const p = fn(o).then(
      (res) => settle(name, o, res),
      (e: unknown) => settle(name, o, { errMsg: `${name}:fail ${e instanceof Error ? e.message : String(e)}` }, false),
    )
    p.catch(() => undefined)
    return p
  }
}

export function createWx(host: ShimHost): Record<string, unknown> {
  const storage = host.storage
  const info = (): Record<string, unknown> => systemInfo(host.layout())
  const api: Record<string, unknown> = {
    env: { USER_DATA_PATH: 'http://usr' },
    canIUse: () => true,
    getSystemInfoSync: info,
    getSystemInfo: (o?: Options) => settle('getSystemInfo', o, info()),
    getWindowInfo: info,
    getDeviceInfo: info,
    getAppBaseInfo: info,
    getSystemSetting: () => ({ deviceOrientation: 'portrait', bluetoothEnabled: false, locationEnabled: true, wifiEnabled: true }),
    getAppAuthorizeSetting: () => ({}),
    getMenuButtonBoundingClientRect: () => ({ ...DEVICE.menuButton }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'wx0000000000000000', envVersion: 'develop', version: '' } }),
    getLaunchOptionsSync: () => host.launchOptions(),
    getEnterOptionsSync: () => host.enterOptions(),
    nextTick: (fn: () => void) => void Promise.resolve().then(fn),
    request,
    uploadFile,
    setStorageSync: (k: string, v: unknown) => storage.set(k, v),
    getStorageSync: (k: string) => {
      const r = storage.get(k)
      return r.found ? r.value : ''
    },
    removeStorageSync: (k: string) => storage.remove(k),
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: () => ({ keys: storage.keys(), currentSize: 0, limitSize: 10240 }),
    setStorage: (o: Options) => (storage.set(String(o.key), o.data), settle('setStorage', o, {})),
    getStorage: (o: Options) => {
      const r = storage.get(String(o.key))
      return r.found ? settle('getStorage', o, { data: r.value }) : settle('getStorage', o, { errMsg: 'getStorage:fail data not found' }, false)
    },
    removeStorage: (o: Options) => (storage.remove(String(o.key)), settle('removeStorage', o, {})),
    clearStorage: (o?: Options) => (storage.clear(), settle('clearStorage', o, {})),
    getStorageInfo: (o?: Options) => settle('getStorageInfo', o, { keys: storage.keys(), currentSize: 0, limitSize: 10240 }),
    setNavigationBarTitle: (o: Options) => (host.setTitle(String(o.title ?? '')), settle('setNavigationBarTitle', o, {})),
    setNavigationBarColor: (o: Options) => (host.setNavigationBarColor(String(o.frontColor ?? '#000000'), String(o.backgroundColor ?? '#ffffff')), settle('setNavigationBarColor', o, {})),
    createSelectorQuery: () => new SelectorQuery(host.currentPage()),
    createIntersectionObserver: () => {
      const observer = { relativeTo: () => observer, relativeToViewport: () => observer, observe: () => undefined, disconnect: () => undefined }
      return observer
    },
    createAnimation: animationProxy,
    createOffscreenCanvas: (o?: { width?: number; height?: number }) => new OffscreenCanvas(o?.width ?? 300, o?.height ?? 150),
    getImageInfo: (o: Options) => {
      const img = new Image()
      pending.count++
      return new Promise((resolve, reject) => {
        img.onload = () => settle('getImageInfo', o, { width: img.naturalWidth, height: img.naturalHeight, path: String(o.src) }).then(resolve, reject)
        img.onerror = () => settle('getImageInfo', o, {}, false).then(resolve, reject)
        img.src = String(o.src)
      }).finally(() => pending.count--)
    },
    login: (o?: Options) => settle('login', o, { code: 'screens-login-code' }),
    getSetting: (o?: Options) => settle('getSetting', o, { authSetting: { 'scope.userLocation': true }, subscriptionsSetting: { mainSwitch: true } }),
    getNetworkType: (o?: Options) => settle('getNetworkType', o, { networkType: 'wifi' }),
    cloud: {
      init: () => undefined,
      callFunction: (o?: Options) => settle('cloud.callFunction', o, { errMsg: 'cloud.callFunction:fail the browser preview runs in local mode' }, false),
    },
  }
  for (const [name, fn] of Object.entries(host.nav)) api[name] = hosted(name, fn)
  for (const [name, fn] of Object.entries(host.native)) api[name] = hosted(name, fn)
  return new Proxy(api, {
    get(target, key) {
      if (typeof key !== 'string') return undefined
      if (key in target) return target[key]
      // anything else: on*/off* listeners do nothing, *Sync answers {}, the rest succeed
      if (/^(on|off)[A-Z]/.test(key)) return () => undefined
      if (key.endsWith('Sync')) return (args?: unknown) => (calls.push({ api: key, args }), {})
      if (/^create[A-Z]/.test(key)) {
        return (args?: unknown) => {
          calls.push({ api: key, args })
          return new Proxy({}, { get: () => () => undefined })
        }
      }
      return noopAsync(key)
    },
  })
}
