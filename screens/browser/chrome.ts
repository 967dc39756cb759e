/**
 * WeChat's own chrome around the pages: status bar, navigation bar with the page title, a back
 * button when there is a page to go back to, the capsule, and the tab bar from app.json on tab
 * pages. Drawn plainly. Each page has its own "web view" box (the scroll container and the
 * containing block for position: fixed); the chrome is shared and restyled for the page in front.
 */
import { DEVICE, layoutFor, type Layout } from './device'
import type { PageInfo, TabBarConfig } from '../project'

export interface ChromeState {
  page: PageInfo
  title: string
  front: string
  background: string
  canGoBack: boolean
  /** Moments' single-page mode: no tab bar, a bar at the bottom instead */
  singlePage: boolean
}

export interface Chrome {
  phone: HTMLElement
  /** where the pages' web views go (under the bars) */
  stage: HTMLElement
  /** dialogs, toasts and sheets: above everything, inside the phone */
  overlay: HTMLElement
  layoutOf(page: PageInfo, singlePage: boolean): Layout
  apply(state: ChromeState): void
  onBack(fn: () => void): void
  onTab(fn: (pagePath: string) => void): void
  onCapsule(fn: (part: 'menu' | 'close') => void): void
  onSinglePageBar(fn: () => void): void
}

function el(tag: string, cls: string, parent: HTMLElement, text?: string): HTMLElement {
  const e = document.createElement(tag)
  e.className = cls
  if (text !== undefined) e.textContent = text
  parent.appendChild(e)
  return e
}

export function drawChrome(phone: HTMLElement, tabBar: TabBarConfig | null, styleV2: boolean): Chrome {
  document.documentElement.classList.toggle('screens-style-v2', styleV2)
  const stage = el('div', 'screens-stage', phone)
  const top = el('div', 'screens-top', phone)
  const status = el('div', 'screens-status', top)
  el('span', 'screens-status__time', status, '9:41')
  el('span', 'screens-status__icons', status)
  const nav = el('div', 'screens-nav', top)
  const back = el('div', 'screens-nav__back', nav)
  back.setAttribute('aria-label', '返回')
  const title = el('div', 'screens-nav__title', nav)
  const capsule = el('div', 'screens-capsule', top)
  capsule.innerHTML = '<i class="screens-capsule__dots" aria-label="更多"></i><b></b><i class="screens-capsule__ring" aria-label="关闭"></i>'

  let bar: HTMLElement | null = null
  const cells: { item: TabBarConfig['list'][number]; cell: HTMLElement; img: HTMLImageElement | null }[] = []
  if (tabBar && !tabBar.custom) {
    bar = el('div', 'screens-tabbar', phone)
    bar.style.background = tabBar.backgroundColor ?? '#ffffff'
    bar.style.height = `${DEVICE.tabBarHeight + DEVICE.safeAreaBottom}px`
    bar.classList.toggle('screens-tabbar--white-border', tabBar.borderStyle === 'white')
    const withIcons = tabBar.list.some((i) => i.iconPath)
    for (const item of tabBar.list) {
      const cell = el('div', `screens-tabbar__item${withIcons ? '' : ' screens-tabbar__item--text-only'}`, bar)
      cell.dataset.path = item.pagePath
      const img = item.iconPath ? (el('img', 'screens-tabbar__icon', cell) as HTMLImageElement) : null
      el('span', 'screens-tabbar__text', cell, item.text)
      cells.push({ item, cell, img })
    }
  }
  const single = el('div', 'screens-single', phone)
  single.innerHTML = '<span>当前为朋友圈单页模式</span><b class="screens-single__go">前往小程序</b>'
  const overlay = el('div', 'screens-overlay', phone)

  const layoutOf = (page: PageInfo, singlePage: boolean): Layout =>
    layoutFor({ isTab: page.isTab && !!bar && !singlePage, customNavigation: page.window.navigationStyle === 'custom', singlePage })

  return {
    phone,
    stage,
    overlay,
    layoutOf,
    apply(s) {
      const custom = s.page.window.navigationStyle === 'custom'
      phone.style.background = s.page.window.backgroundColor ?? '#ffffff'
      top.style.height = `${DEVICE.statusBarHeight + (custom ? 0 : DEVICE.navigationBarHeight)}px`
      nav.style.display = custom ? 'none' : ''
      title.textContent = s.title
      back.style.display = s.canGoBack && !custom ? '' : 'none'
      const light = s.front.toLowerCase() === '#ffffff' || s.front === 'white'
      top.style.color = light ? '#ffffff' : '#000000'
      top.classList.toggle('screens-top--light', light)
      top.style.background = custom ? 'transparent' : s.background
      const showBar = !!bar && s.page.isTab && !s.singlePage
      if (bar) bar.style.display = showBar ? '' : 'none'
      for (const { item, cell, img } of cells) {
        const selected = item.pagePath === s.page.route
        cell.classList.toggle('screens-tabbar__item--on', selected)
        cell.style.color = selected ? (tabBar?.selectedColor ?? '#07c160') : (tabBar?.color ?? '#000000')
        const icon = selected ? (item.selectedIconPath ?? item.iconPath) : item.iconPath
        if (img && icon) img.src = `/${icon.replace(/^\//, '')}`
      }
      single.style.display = s.singlePage ? '' : 'none'
      capsule.style.display = s.singlePage ? 'none' : ''
    },
    onBack: (fn) => back.addEventListener('click', fn),
    onTab: (fn) => cells.forEach(({ item, cell }) => cell.addEventListener('click', () => fn(item.pagePath))),
    onCapsule: (fn) => {
      ;(capsule.querySelector('.screens-capsule__dots') as HTMLElement).addEventListener('click', () => fn('menu'))
      ;(capsule.querySelector('.screens-capsule__ring') as HTMLElement).addEventListener('click', () => fn('close'))
    },
    onSinglePageBar: (fn) => (single.querySelector('.screens-single__go') as HTMLElement).addEventListener('click', fn),
  }
}
