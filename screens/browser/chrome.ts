/**
 * WeChat's own chrome around the page: status bar, navigation bar with the page title and the
 * capsule, and the tab bar from app.json on tab pages. Drawn plainly; the page sits in a
 * "web view" box between them that is also the containing block for position: fixed.
 */
import { DEVICE, layoutFor } from './device'
import type { BootInfo } from './protocol'

export interface Chrome {
  webview: HTMLElement
  setTitle(title: string): void
  setColors(front: string, background: string): void
}

function el(tag: string, cls: string, parent: HTMLElement, text?: string): HTMLElement {
  const e = document.createElement(tag)
  e.className = cls
  if (text !== undefined) e.textContent = text
  parent.appendChild(e)
  return e
}

export function drawChrome(phone: HTMLElement, boot: BootInfo): Chrome {
  const win = boot.page.window
  const custom = win.navigationStyle === 'custom'
  const layout = layoutFor({ isTab: boot.page.isTab, customNavigation: custom })
  document.documentElement.classList.toggle('screens-style-v2', boot.styleV2)
  const root = document.documentElement.style
  root.setProperty('--screens-safe-bottom', `${layout.safeBottom}px`)
  root.setProperty('--screens-vh', `${layout.webviewHeight / 100}px`)
  phone.style.background = win.backgroundColor ?? '#ffffff'

  const webview = el('div', 'screens-webview', phone)
  webview.style.top = `${layout.webviewTop}px`
  webview.style.height = `${layout.webviewHeight}px`

  const top = el('div', 'screens-top', phone)
  top.style.height = `${DEVICE.statusBarHeight + (custom ? 0 : DEVICE.navigationBarHeight)}px`
  const status = el('div', 'screens-status', top)
  el('span', 'screens-status__time', status, '9:41')
  el('span', 'screens-status__icons', status)
  const nav = custom ? null : el('div', 'screens-nav', top)
  const title = nav ? el('div', 'screens-nav__title', nav, win.navigationBarTitleText ?? '') : null
  el('div', 'screens-capsule', top).innerHTML = '<i class="screens-capsule__dots"></i><b></b><i class="screens-capsule__ring"></i>'

  const setColors = (front: string, background: string): void => {
    const light = front.toLowerCase() === '#ffffff' || front === 'white'
    top.style.color = light ? '#ffffff' : '#000000'
    top.classList.toggle('screens-top--light', light)
    top.style.background = custom ? 'transparent' : background
  }
  setColors(win.navigationBarTextStyle === 'white' ? '#ffffff' : '#000000', win.navigationBarBackgroundColor ?? '#000000')

  if (boot.page.isTab && boot.tabBar) {
    const tb = boot.tabBar
    const bar = el('div', 'screens-tabbar', phone)
    bar.style.background = tb.backgroundColor ?? '#ffffff'
    bar.style.height = `${DEVICE.tabBarHeight + DEVICE.safeAreaBottom}px`
    bar.classList.toggle('screens-tabbar--white-border', tb.borderStyle === 'white')
    const withIcons = tb.list.some((i) => i.iconPath)
    for (const item of tb.list) {
      const selected = item.pagePath === boot.page.route
      const cell = el('div', `screens-tabbar__item${withIcons ? '' : ' screens-tabbar__item--text-only'}`, bar)
      cell.style.color = selected ? (tb.selectedColor ?? '#07c160') : (tb.color ?? '#000000')
      const icon = selected ? (item.selectedIconPath ?? item.iconPath) : item.iconPath
      if (icon) {
        const img = el('img', 'screens-tabbar__icon', cell) as HTMLImageElement
        img.src = `/${icon.replace(/^\//, '')}`
      }
      el('span', 'screens-tabbar__text', cell, item.text)
    }
  }
  return {
    webview,
    setTitle: (t) => {
      if (title) title.textContent = t
    },
    setColors,
  }
}
