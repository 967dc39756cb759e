/**
 * Checks the harness runs in the page after it settles: wait for fonts and icon masks, find
 * elements wider than the screen, stretch the phone for full-page captures.
 */

export async function waitForPaint(): Promise<void> {
  await document.fonts.ready
  // CSS masks (icons) load lazily: fetch them so they are cached before the frame is taken
  const urls = new Set<string>()
  for (const el of Array.from(document.querySelectorAll('wx-label'))) {
    const m = /url\("?([^")]+)"?\)/.exec(getComputedStyle(el, '::before').getPropertyValue('-webkit-mask-image'))
    if (m) urls.add(m[1])
  }
  await Promise.all(
    [...urls].map(
      (u) =>
        new Promise<void>((resolve) => {
          const img = new Image()
          img.onload = img.onerror = () => resolve()
          img.src = u
        }),
    ),
  )
  await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))
}

export function findOverflow(width: number): { element: string; right: number }[] {
  const root = document.querySelector('.screens-webview--current') ?? document.querySelector('.screens-webview')
  if (!root) return []
  const out: { element: string; right: number }[] = []
  const describe = (el: Element): string => {
    const cls = (el.getAttribute('class') ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 3).join('.')
    return `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}`
  }
  const walk = (el: Element): void => {
    const style = getComputedStyle(el)
    if (style.display === 'none') return
    const rect = el.getBoundingClientRect()
    if (el !== root && style.visibility !== 'hidden' && rect.width > 0 && rect.height > 0 && rect.right > width + 0.5) {
      out.push({ element: describe(el), right: Math.round(rect.right * 10) / 10 })
    }
    // what a scroll-view or a clipping box holds is meant to extend past it
    if (el !== root && style.overflowX !== 'visible') return
    for (const child of Array.from(el.children)) walk(child)
  }
  walk(root)
  return out
}

export function expandToContent(): void {
  const phone = document.getElementById('phone') as HTMLElement
  const webview = (document.querySelector('.screens-webview--current') ?? document.querySelector('.screens-webview')) as HTMLElement
  const extra = webview.scrollHeight - webview.clientHeight
  if (extra <= 0) return
  webview.style.height = `${webview.scrollHeight}px`
  phone.style.height = `${phone.clientHeight + extra}px`
}

/**
 * TDesign icons drawn with no picture: the app ships only the icons in scripts/icons.ts (each a
 * CSS mask on the label's ::before), so a name outside that list would show nothing on a phone.
 */
export function findBlankIcons(): string[] {
  const out = new Set<string>()
  for (const el of Array.from(document.querySelectorAll('wx-label'))) {
    const cls = el.getAttribute('class') ?? ''
    if (!/\bt-icon-base\b/.test(cls) || getComputedStyle(el).display === 'none') continue
    const mask = getComputedStyle(el, '::before').getPropertyValue('-webkit-mask-image')
    if (mask && mask !== 'none') continue
    const name = cls.split(/\s+/).map((c) => /(?:^|--)t-icon-([\w-]+)$/.exec(c)?.[1]).find((n) => n && n !== 'base')
    out.add(name ?? cls)
  }
  return [...out]
}
