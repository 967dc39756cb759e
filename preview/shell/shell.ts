/**
 * The preview's shell around the phone: who holds the phone (each identity its own phone in an
 * iframe, with its own page stack and storage), a launcher that enters any page with a query, a
 * QR `scene` and a scene value, and the chat where shared cards land and can be opened as
 * someone else.
 */
import type { LaunchInfo, PreviewShell, ShareCard, ShownCode } from '../../screens/browser/protocol'
import type { ScreensApi } from '../../screens/browser/runtime'
import type { PreviewConfig } from '../server'

declare global {
  interface Window {
    __PREVIEW_CONFIG__: PreviewConfig
    __previewShell?: PreviewShell
  }
}

interface Holder {
  key: string
  label: string
  openid: string
  note: string
  frame: HTMLIFrameElement | null
  button: HTMLButtonElement
}

const config = window.__PREVIEW_CONFIG__
const holders = new Map<string, Holder>()
let active: Holder | null = null
let visitors = 0

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, parent?: HTMLElement, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v)
  if (text !== undefined) e.textContent = text
  parent?.appendChild(e)
  return e
}

const app = el('div', { class: 'pv-app' }, document.body)
const left = el('aside', { class: 'pv-side' }, app)
const center = el('main', { class: 'pv-center' }, app)
const right = el('aside', { class: 'pv-side pv-side--chat' }, app)

el('h1', { class: 'pv-brand' }, left, '会员营销小程序')
el('p', { class: 'pv-muted' }, left, '浏览器预览 · 本地云 · 仅本机')

// ---------- identities ----------
const idBox = el('section', { class: 'pv-box' }, left)
el('h2', {}, idBox, '身份')
const idList = el('div', { class: 'pv-ids', role: 'tablist' }, idBox)
const newVisitor = el('button', { class: 'pv-btn', id: 'pv-new-visitor' }, idBox, '＋ 新访客（新的 openid）')

function phoneUrl(h: Holder, l: LaunchInfo): string {
  const q = new URLSearchParams(l.query).toString()
  const p = new URLSearchParams({ who: h.key, openid: h.openid, route: l.route, q, scene: String(l.scene) })
  return `/__preview/phone?${p.toString()}`
}

function addHolder(key: string, label: string, openid: string, note: string): Holder {
  const button = el('button', { class: 'pv-id', role: 'tab', 'data-who': key }, idList)
  el('b', {}, button, label)
  el('span', {}, button, note)
  el('code', {}, button, openid)
  const h: Holder = { key, label, openid, note, frame: null, button }
  button.addEventListener('click', () => void activate(h))
  holders.set(key, h)
  return h
}

/** Shows `h`'s phone (starting it at `launch`, or at the home page the first time). */
async function activate(h: Holder, launch?: LaunchInfo): Promise<void> {
  active = h
  for (const x of holders.values()) {
    x.button.setAttribute('aria-selected', String(x === h))
    if (x.frame) x.frame.style.display = x === h ? '' : 'none'
  }
  whoLabel.textContent = `${h.label} · ${h.openid}`
  if (!h.frame) {
    const frame = el('iframe', { class: 'pv-phone', title: `${h.label}的手机`, 'data-who': h.key }, phoneBox)
    frame.src = phoneUrl(h, launch ?? { route: config.home, query: {}, scene: 1001 })
    h.frame = frame
    return
  }
  if (!launch) return
  // a phone still loading takes the launch once its runtime is up
  let api = screensOf(h)
  if (!api) {
    await new Promise((r) => h.frame?.addEventListener('load', r, { once: true }))
    api = screensOf(h)
  }
  await api?.ready
  await api?.launch(launch)
}

function screensOf(h: Holder): ScreensApi | null {
  try {
    return (h.frame?.contentWindow as (Window & { __screens?: ScreensApi }) | null)?.__screens ?? null
  } catch {
    return null
  }
}

function addVisitor(): Holder {
  visitors++
  const rand = Math.floor(Math.random() * 36 ** 6).toString(36).padStart(6, '0')
  return addHolder(`visitor-${visitors}`, `新访客 ${visitors}`, `preview-visitor-${Date.now().toString(36)}${rand}`, '从未用过小程序的人')
}

newVisitor.addEventListener('click', () => void activate(addVisitor()))

// ---------- the phone ----------
const whoLabel = el('div', { class: 'pv-who' }, center)
const phoneBox = el('div', { class: 'pv-phone-box' }, center)
const tools = el('div', { class: 'pv-tools' }, center)
el('button', { class: 'pv-btn', id: 'pv-refresh' }, tools, '下拉刷新').addEventListener('click', () => active && screensOf(active)?.pullDownRefresh())
el('button', { class: 'pv-btn', id: 'pv-restart' }, tools, '重新进入首页').addEventListener('click', () => active && void activate(active, { route: config.home, query: {}, scene: 1001 }))

// ---------- scenes ----------
const sceneBox = el('section', { class: 'pv-box' }, left)
el('h2', {}, sceneBox, '场景：以页面、参数或二维码进入')
const form = el('form', { class: 'pv-form', id: 'pv-launch' }, sceneBox)
const pageLabel = el('label', {}, form, '页面')
const pageSelect = el('select', { name: 'route' }, pageLabel)
for (const p of config.pages) el('option', { value: p.route }, pageSelect, `${p.title || p.route} · ${p.route}`)
const queryLabel = el('label', {}, form, 'query（如 storeId=store-jingan&touchpoint=table-tent）')
const queryInput = el('input', { name: 'query', placeholder: 'a=1&b=2' }, queryLabel)
const qrLabel = el('label', {}, form, '二维码 scene（小程序码的 scene 参数）')
const qrInput = el('input', { name: 'qrScene', placeholder: '可留空' }, qrLabel)
const sceneLabel = el('label', {}, form, '场景值')
const sceneSelect = el('select', { name: 'scene' }, sceneLabel)
for (const s of config.scenes) el('option', { value: String(s.value) }, sceneSelect, s.label)
el('button', { class: 'pv-btn pv-btn--primary', type: 'submit' }, form, '以当前身份打开')
form.addEventListener('submit', (e) => {
  e.preventDefault()
  if (!active) return
  const query: Record<string, string> = {}
  for (const [k, v] of new URLSearchParams(queryInput.value.trim().replace(/^\?/, ''))) query[k] = v
  // a 小程序码's scene reaches onLoad as query.scene, URI-encoded
  if (qrInput.value.trim()) query.scene = encodeURIComponent(qrInput.value.trim())
  void activate(active, { route: pageSelect.value, query, scene: Number(sceneSelect.value) })
})

// ---------- chat ----------
el('h2', {}, right, '聊天')
el('p', { class: 'pv-muted' }, right, '页面转发（onShareAppMessage）和分享到朋友圈（onShareTimeline）的结果出现在这里，可以换一个身份打开。')
const chat = el('div', { class: 'pv-chat', id: 'pv-chat' }, right)

function openerFor(card: ShareCard): HTMLElement {
  const row = el('div', { class: 'pv-card__open' })
  const select = el('select', { 'aria-label': '以谁的身份打开' }, row)
  el('option', { value: '__new' }, select, '新访客（新建）')
  for (const h of holders.values()) if (h.key !== card.from) el('option', { value: h.key }, select, h.label)
  const go = el('button', { class: 'pv-btn pv-btn--primary' }, row, '打开')
  go.addEventListener('click', () => {
    const h = select.value === '__new' ? addVisitor() : holders.get(select.value)
    if (!h) return
    const [route, qs = ''] = card.path.split('?')
    const query: Record<string, string> = {}
    for (const [k, v] of new URLSearchParams(qs)) query[k] = v
    void activate(h, { route, query, scene: card.kind === 'timeline' ? 1154 : 1007 })
  })
  return row
}

window.__previewShell = {
  shared(card) {
    const from = holders.get(card.from)
    const box = el('div', { class: `pv-card pv-card--${card.kind}`, 'data-path': card.path })
    el('div', { class: 'pv-card__from' }, box, `${from?.label ?? card.from} ${card.kind === 'chat' ? '转发给朋友' : '分享到朋友圈'}`)
    const body = el('div', { class: 'pv-card__body' }, box)
    el('div', { class: 'pv-card__title' }, body, card.title || '（无标题）')
    if (card.imageUrl && /^\//.test(card.imageUrl)) el('img', { class: 'pv-card__img', src: card.imageUrl, alt: '' }, body)
    el('div', { class: 'pv-card__path' }, body, card.path)
    el('div', { class: 'pv-card__mp' }, body, '小程序')
    box.appendChild(openerFor(card))
    chat.prepend(box)
  },
  codesShown(exceptWho) {
    const out: ShownCode[] = []
    for (const h of holders.values()) {
      if (h.key === exceptWho) continue
      for (const code of screensOf(h)?.codesShown() ?? []) out.push({ who: h.key, label: `${h.label}的${screensOf(h)?.title() || '页面'}`, code })
    }
    return out
  },
}

for (const i of config.identities) addHolder(i.key, i.label, i.openid, i.note)
void activate(holders.get('consumer') ?? (holders.values().next().value as Holder))
