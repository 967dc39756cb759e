/// <reference path="./vendor.d.ts" />
/**
 * The `wx` object a page sees in the browser. What matters for a screenshot is real: system and
 * window info for the 375 px phone, `wx.request` over fetch (so the app's local-mode
 * `callCloud` reaches the gateway), in-memory storage, selector queries. Everything else is a
 * recorded no-op that succeeds, the way an untouched API would look to the page.
 */
import SelectorQuery from 'j-component/src/tool/selectorquery'
import { DEVICE, type Layout } from './device'

type Options = Record<string, unknown> & {
  success?: (res: unknown) => void
  fail?: (err: unknown) => void
  complete?: (res: unknown) => void
}

export interface RecordedCall {
  api: string
  args: unknown
}

export interface ShimHost {
  layout: Layout
  route: string
  query: Record<string, string>
  /** the current page's method caller (for wx.createSelectorQuery without .in()) */
  currentPage: () => unknown
  setTitle: (title: string) => void
  setNavigationBarColor: (front: string, background: string) => void
}

/** Work the page started that a screenshot should wait for (requests, image loads). */
export const pending = { count: 0 }
export const calls: RecordedCall[] = []

function settle(name: string, opts: unknown, res: Record<string, unknown>, ok = true): Promise<unknown> {
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

export function createWx(host: ShimHost): Record<string, unknown> {
  const storage = new Map<string, unknown>()
  const info = (): Record<string, unknown> => systemInfo(host.layout)
  const api: Record<string, unknown> = {
    env: { USER_DATA_PATH: 'http://usr' },
    canIUse: () => true,
    getSystemInfoSync: info,
    getSystemInfo: (o?: Options) => settle('getSystemInfo', o, info()),
    getWindowInfo: info,
    getDeviceInfo: info,
    getAppBaseInfo: info,
    getSystemSetting: () => ({ deviceOrientation: 'portrait', bluetoothEnabled: false, locationEnabled: false, wifiEnabled: true }),
    getAppAuthorizeSetting: () => ({}),
    getMenuButtonBoundingClientRect: () => ({ ...DEVICE.menuButton }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'wx0000000000000000', envVersion: 'develop', version: '' } }),
    getLaunchOptionsSync: () => ({ path: host.route, query: host.query, scene: 1001, referrerInfo: {} }),
    getEnterOptionsSync: () => ({ path: host.route, query: host.query, scene: 1001, referrerInfo: {} }),
    nextTick: (fn: () => void) => void Promise.resolve().then(fn),
    request,
    // storage, in memory
    setStorageSync: (k: string, v: unknown) => void storage.set(k, v),
    getStorageSync: (k: string) => (storage.has(k) ? storage.get(k) : ''),
    removeStorageSync: (k: string) => void storage.delete(k),
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: () => ({ keys: [...storage.keys()], currentSize: 0, limitSize: 10240 }),
    setStorage: (o: Options) => (storage.set(String(o.key), o.data), settle('setStorage', o, {})),
    getStorage: (o: Options) =>
      storage.has(String(o.key)) ? settle('getStorage', o, { data: storage.get(String(o.key)) }) : settle('getStorage', o, { errMsg: 'getStorage:fail data not found' }, false),
    removeStorage: (o: Options) => (storage.delete(String(o.key)), settle('removeStorage', o, {})),
    clearStorage: (o?: Options) => (storage.clear(), settle('clearStorage', o, {})),
    // navigation: recorded, never leaves the page
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
    getSetting: (o?: Options) => settle('getSetting', o, { authSetting: {}, subscriptionsSetting: { mainSwitch: true } }),
    getNetworkType: (o?: Options) => settle('getNetworkType', o, { networkType: 'wifi' }),
    getLocation: (o?: Options) => settle('getLocation', o, { latitude: 31.2304, longitude: 121.4737, accuracy: 30 }),
    cloud: {
      init: () => undefined,
      callFunction: (o?: Options) => settle('cloud.callFunction', o, { errMsg: 'cloud.callFunction:fail the screenshot harness runs in local mode' }, false),
    },
  }
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
