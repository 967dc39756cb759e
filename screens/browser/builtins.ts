/**
 * Built-in components that need more than a styled element: real <img>, <canvas>, <input> and
 * <textarea> behind them, and attributes reflected so base.css can draw WeChat's default looks
 * (button types, scroll-view directions, switch state …). Elements without an entry here render
 * as plain `wx-<name>` elements with their children.
 */
import { pending } from './wx-shim'

/** What a lifecycle or observer sees as `this` (j-component's method caller). */
interface Caller {
  data: Record<string, unknown>
  _exparserNode: { $$: HTMLElement | undefined; classList?: { getPrefix(): string } }
  triggerEvent(name: string, detail?: unknown): void
}

export interface BuiltinDefinition {
  id: string
  tagName: string
  template: string
  properties: Record<string, { type: unknown; value?: unknown }>
  observers?: Record<string, (this: Caller) => void>
  lifetimes?: Record<string, (this: Caller) => void>
  options?: Record<string, unknown>
}

const dash = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

/**
 * Mirrors properties into DOM attributes (`scrollX: true` → `scroll-x=""`), as WeChat's web
 * view does for attributes written in the template; defaults stay off the element.
 */
function reflect(this: Caller, defaults: Record<string, unknown>): void {
  const el = this._exparserNode.$$
  if (!el) return
  for (const [k, v] of Object.entries(this.data)) {
    const name = dash(k)
    if (!(k in defaults)) continue
    if (v === defaults[k] || v === false || v === null || v === undefined || v === '' || typeof v === 'object') el.removeAttribute(name)
    else el.setAttribute(name, v === true ? '' : String(v))
  }
}

function withReflection(def: Omit<BuiltinDefinition, 'template'> & { template?: string; render?: (this: Caller) => void }): BuiltinDefinition {
  const { render, ...rest } = def
  const defaults: Record<string, unknown> = {}
  for (const [k, p] of Object.entries(def.properties)) defaults[k] = p.value ?? (p.type === Boolean ? false : p.type === String ? '' : null)
  const update = function (this: Caller): void {
    reflect.call(this, defaults)
    render?.call(this)
  }
  const keys = Object.keys(def.properties)
  return {
    template: '<slot/>',
    ...rest,
    observers: keys.length ? { [keys.join(', ')]: update } : {},
    lifetimes: { attached: update },
  }
}

/** Child element owned by a built-in (created once, kept across renders). */
function own<K extends keyof HTMLElementTagNameMap>(el: HTMLElement, tag: K, cls: string): HTMLElementTagNameMap[K] {
  let child = el.querySelector<HTMLElementTagNameMap[K]>(`:scope > ${tag}.${cls}`)
  if (!child) {
    child = document.createElement(tag)
    child.className = cls
    el.insertBefore(child, el.firstChild)
  }
  return child
}

type OpenTypeHandler = (type: string, emit: (name: string, detail: unknown) => void, target: { id: string; dataset: Record<string, string | undefined> }) => void
let openTypeHandler: OpenTypeHandler | null = null
/** What a tap on <button open-type="…"> does (the runtime decides: share, phone number, …). */
export function setOpenTypeHandler(fn: OpenTypeHandler): void {
  openTypeHandler = fn
}

/** Resolves an image path the way the page would: absolute from the mini program root. */
let pageDir = ''
export function setPageRoute(route: string): void {
  pageDir = route.split('/').slice(0, -1).join('/')
}
function resolveSrc(src: string): string {
  if (!src || /^(https?:|data:|blob:|wxfile:|\/\/)/.test(src)) return src
  if (src.startsWith('/')) return src
  return `/${pageDir}/${src}`.replace(/\/\.\//g, '/')
}

const IMAGE_MODES: Record<string, [string, string]> = {
  scaleToFill: ['100% 100%', 'center'],
  aspectFit: ['contain', 'center'],
  aspectFill: ['cover', 'center'],
  widthFix: ['100% 100%', 'center'],
  heightFix: ['100% 100%', 'center'],
  top: ['auto', 'top center'],
  bottom: ['auto', 'bottom center'],
  center: ['auto', 'center'],
  left: ['auto', 'center left'],
  right: ['auto', 'center right'],
  'top left': ['auto', 'top left'],
  'top right': ['auto', 'top right'],
  'bottom left': ['auto', 'bottom left'],
  'bottom right': ['auto', 'bottom right'],
}

const image = withReflection({
  id: 'image',
  tagName: 'wx-image',
  properties: { src: { type: String, value: '' }, mode: { type: String, value: 'scaleToFill' }, lazyLoad: { type: Boolean }, webp: { type: Boolean }, showMenuByLongpress: { type: Boolean } },
  render() {
    const el = this._exparserNode.$$
    if (!el) return
    const src = resolveSrc(String(this.data.src ?? ''))
    const mode = String(this.data.mode || 'scaleToFill')
    const fill = own(el, 'div', 'screens-image')
    const [size, position] = IMAGE_MODES[mode] ?? IMAGE_MODES.scaleToFill
    fill.style.backgroundSize = size
    fill.style.backgroundPosition = position
    if (fill.dataset.src === src) return
    fill.dataset.src = src
    fill.style.backgroundImage = ''
    el.removeAttribute('data-screens-error')
    if (!src) return
    const img = new Image()
    pending.count++
    img.onload = () => {
      pending.count--
      fill.style.backgroundImage = `url("${src}")`
      const w = img.naturalWidth
      const h = img.naturalHeight
      if (mode === 'widthFix' && w) el.style.height = `${(el.getBoundingClientRect().width * h) / w}px`
      if (mode === 'heightFix' && h) el.style.width = `${(el.getBoundingClientRect().height * w) / h}px`
      this.triggerEvent('load', { width: w, height: h })
    }
    img.onerror = () => {
      pending.count--
      el.setAttribute('data-screens-error', '')
      this.triggerEvent('error', { errMsg: `GET ${src} 404 (Not Found)` })
    }
    img.src = src
  },
})

/** The real canvas behind <canvas type="2d">, with the extras WeChat's canvas node has. */
export interface CanvasNode extends HTMLCanvasElement {
  requestAnimationFrame: (cb: FrameRequestCallback) => number
  cancelAnimationFrame: (id: number) => void
  createImage: () => HTMLImageElement
  createPath2D: (path?: Path2D | string) => Path2D
}

const canvas = withReflection({
  id: 'canvas',
  tagName: 'wx-canvas',
  properties: { type: { type: String, value: '' }, canvasId: { type: String, value: '' }, disableScroll: { type: Boolean } },
  render() {
    const el = this._exparserNode.$$
    if (!el) return
    const c = own(el, 'canvas', 'screens-canvas') as CanvasNode
    if (!c.createImage) {
      c.requestAnimationFrame = (cb) => window.requestAnimationFrame(cb)
      c.cancelAnimationFrame = (id) => window.cancelAnimationFrame(id)
      c.createImage = () => {
        const img = new Image()
        const desc = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, 'src')
        Object.defineProperty(img, 'src', {
          get: () => desc?.get?.call(img) as string,
          set: (v: string) => desc?.set?.call(img, resolveSrc(v)),
        })
        return img
      }
      c.createPath2D = (p) => new Path2D(p)
    }
  },
})

function textField(tag: 'input' | 'textarea') {
  return withReflection({
    id: tag,
    tagName: `wx-${tag}`,
      properties: {
      value: { type: String, value: '' },
      type: { type: String, value: 'text' },
      password: { type: Boolean },
      placeholder: { type: String, value: '' },
      placeholderStyle: { type: String, value: '' },
      placeholderClass: { type: String, value: '' },
      disabled: { type: Boolean },
      maxlength: { type: Number, value: 140 },
      focus: { type: Boolean },
      autoHeight: { type: Boolean },
      confirmType: { type: String, value: 'done' },
    },
    render() {
      const el = this._exparserNode.$$
      if (!el) return
      const field = own(el, tag, 'screens-field') as HTMLInputElement | HTMLTextAreaElement
      const holder = own(el, 'div', 'screens-placeholder')
      const value = this.data.value === null || this.data.value === undefined ? '' : String(this.data.value)
      if (field.value !== value) field.value = value
      if (field instanceof HTMLInputElement) {
        field.type = this.data.password ? 'password' : this.data.type === 'number' || this.data.type === 'digit' ? 'text' : 'text'
      }
      field.disabled = !!this.data.disabled
      if (!field.dataset.bound) {
        field.dataset.bound = '1'
        field.addEventListener('input', () => this.triggerEvent('input', { value: field.value, cursor: field.value.length }))
        field.addEventListener('focus', () => this.triggerEvent('focus', { value: field.value }))
        field.addEventListener('blur', () => this.triggerEvent('blur', { value: field.value }))
        field.addEventListener('input', () => (holder.style.display = field.value ? 'none' : ''))
      }
      // placeholder-class names resolve like the owner's own classes
      const prefix = this._exparserNode.classList?.getPrefix() ?? ''
      const names = String(this.data.placeholderClass || '').split(/\s+/).filter(Boolean)
      holder.className = ['screens-placeholder', 'input-placeholder', ...names.flatMap((n) => (prefix ? [n, `${prefix}--${n}`] : [n]))].join(' ')
      holder.setAttribute('style', String(this.data.placeholderStyle || ''))
      holder.textContent = String(this.data.placeholder || '')
      holder.style.display = value ? 'none' : ''
    },
  })
}

const richText = withReflection({
  id: 'rich-text',
  tagName: 'wx-rich-text',
  properties: { nodes: { type: null, value: '' }, space: { type: String, value: '' } },
  render() {
    const el = this._exparserNode.$$
    if (!el) return
    const box = own(el, 'div', 'screens-rich-text')
    const nodes = this.data.nodes
    if (typeof nodes === 'string') box.innerHTML = nodes
    else if (Array.isArray(nodes)) {
      box.textContent = ''
      const build = (n: { name?: string; type?: string; text?: string; attrs?: Record<string, string>; children?: unknown[] }): Node => {
        if (n.type === 'text') return document.createTextNode(n.text ?? '')
        const e = document.createElement(n.name ?? 'div')
        for (const [k, v] of Object.entries(n.attrs ?? {})) e.setAttribute(k, v)
        for (const c of n.children ?? []) e.appendChild(build(c as typeof n))
        return e
      }
      for (const n of nodes) box.appendChild(build(n as Parameters<typeof build>[0]))
    }
  },
})

const scrollView = withReflection({
  id: 'scroll-view',
  tagName: 'wx-scroll-view',
  properties: {
    scrollX: { type: Boolean },
    scrollY: { type: Boolean },
    scrollTop: { type: null },
    scrollLeft: { type: null },
    enableFlex: { type: Boolean },
    showScrollbar: { type: Boolean, value: true },
    enhanced: { type: Boolean },
    type: { type: String, value: '' },
  },
  render() {
    const el = this._exparserNode.$$
    if (!el) return
    if (this.data.scrollTop !== null && this.data.scrollTop !== undefined) el.scrollTop = Number(this.data.scrollTop)
    if (this.data.scrollLeft !== null && this.data.scrollLeft !== undefined) el.scrollLeft = Number(this.data.scrollLeft)
  },
})

const swiper = withReflection({
  id: 'swiper',
  tagName: 'wx-swiper',
  properties: {
    current: { type: Number, value: 0 },
    indicatorDots: { type: Boolean },
    indicatorColor: { type: String, value: 'rgba(0, 0, 0, .3)' },
    indicatorActiveColor: { type: String, value: '#000000' },
    vertical: { type: Boolean },
    autoplay: { type: Boolean },
    circular: { type: Boolean },
    previousMargin: { type: String, value: '0px' },
    nextMargin: { type: String, value: '0px' },
    displayMultipleItems: { type: Number, value: 1 },
  },
  render() {
    const el = this._exparserNode.$$
    if (!el) return
    // lay the items out after the children are attached
    requestAnimationFrame(() => {
      const items = Array.from(el.children).filter((c) => c.tagName === 'WX-SWIPER-ITEM') as HTMLElement[]
      const current = Number(this.data.current) || 0
      const per = 100 / Math.max(1, Number(this.data.displayMultipleItems) || 1)
      items.forEach((item, i) => {
        item.style.transform = this.data.vertical ? `translateY(${(i - current) * 100}%)` : `translateX(${(i - current) * 100}%)`
        item.style.width = this.data.vertical ? '100%' : `${per}%`
      })
      const dots = own(el, 'div', 'screens-swiper-dots')
      dots.style.display = this.data.indicatorDots ? '' : 'none'
      dots.innerHTML = items
        .map((_, i) => `<i style="background:${i === current ? String(this.data.indicatorActiveColor) : String(this.data.indicatorColor)}"></i>`)
        .join('')
    })
  },
})

function reflectOnly(name: string, properties: BuiltinDefinition['properties']): BuiltinDefinition {
  return withReflection({ id: name, tagName: `wx-${name}`, properties })
}

/** Every built-in tag; the ones above have behaviour, the rest are a styled element with a slot. */
const OFFICIAL_TAGS = [
  'cover-image', 'cover-view', 'grid-view', 'list-view', 'match-media', 'movable-area', 'movable-view', 'page-container', 'root-portal',
  'scroll-view', 'share-element', 'sticky-header', 'sticky-section', 'swiper', 'swiper-item', 'view', 'icon', 'progress', 'rich-text', 'text',
  'button', 'checkbox', 'checkbox-group', 'editor', 'form', 'input', 'keyboard-accessory', 'label', 'picker', 'picker-view',
  'picker-view-column', 'radio', 'radio-group', 'slider', 'switch', 'textarea', 'functional-page-navigator', 'navigator', 'audio', 'camera',
  'channel-live', 'channel-video', 'image', 'live-player', 'live-pusher', 'video', 'voip-room', 'map', 'canvas', 'web-view', 'ad',
  'ad-custom', 'official-account', 'open-data', 'navigation-bar', 'page-meta',
]

const SPECIAL: BuiltinDefinition[] = [
  image,
  canvas,
  textField('input'),
  textField('textarea'),
  richText,
  scrollView,
  swiper,
  withReflection({
    id: 'button',
    tagName: 'wx-button',
    properties: {
      type: { type: String, value: 'default' },
      size: { type: String, value: 'default' },
      plain: { type: Boolean },
      disabled: { type: Boolean },
      loading: { type: Boolean },
      formType: { type: String, value: '' },
      openType: { type: String, value: '' },
      hoverClass: { type: String, value: 'button-hover' },
    },
    // open-type buttons (share, getPhoneNumber, agreePrivacyAuthorization …) ask the host
    render() {
      const el = this._exparserNode.$$
      if (!el || el.dataset.openBound) return
      el.dataset.openBound = '1'
      el.addEventListener('click', () => {
        const type = String(this.data.openType || '')
        if (type && !this.data.disabled && openTypeHandler) openTypeHandler(type, (name, detail) => this.triggerEvent(name, detail), { id: el.id, dataset: { ...el.dataset } })
      })
    },
  }),
  reflectOnly('switch', { checked: { type: Boolean }, disabled: { type: Boolean }, type: { type: String, value: 'switch' }, color: { type: String, value: '#04BE02' } }),
  reflectOnly('checkbox', { checked: { type: Boolean }, disabled: { type: Boolean }, value: { type: String, value: '' }, color: { type: String, value: '#09BB07' } }),
  reflectOnly('radio', { checked: { type: Boolean }, disabled: { type: Boolean }, value: { type: String, value: '' }, color: { type: String, value: '#09BB07' } }),
  reflectOnly('progress', { percent: { type: Number, value: 0 }, showInfo: { type: Boolean }, strokeWidth: { type: Number, value: 6 } }),
  reflectOnly('text', { space: { type: String, value: '' }, decode: { type: Boolean }, userSelect: { type: Boolean }, selectable: { type: Boolean } }),
]

export const BUILTINS: BuiltinDefinition[] = [
  ...SPECIAL,
  ...OFFICIAL_TAGS.filter((t) => !SPECIAL.some((d) => d.id === t)).map((t) => ({ id: t, tagName: `wx-${t}`, template: '<slot/>', properties: {} })),
]
