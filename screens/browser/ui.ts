/**
 * WeChat's native UI drawn inside the phone: toast and loading, the modal dialog, the action
 * sheet, and a bottom sheet for the preview's stand-ins of native flows (payment, scanning,
 * subscription messages, phone number). Every button is a real element a person (or a test)
 * taps; nothing answers by itself.
 */

export interface SheetButton<T> {
  text: string
  value: T
  primary?: boolean
}

export interface Ui {
  toast(o: { title: string; icon?: string; duration?: number; mask?: boolean; loading?: boolean }): void
  hideToast(): void
  modal(o: { title?: string; content?: string; showCancel?: boolean; cancelText?: string; confirmText?: string; cancelColor?: string; confirmColor?: string; editable?: boolean; placeholderText?: string }): Promise<{ confirm: boolean; cancel: boolean; content?: string }>
  actionSheet(o: { itemList: string[]; alertText?: string; itemColor?: string }): Promise<number | null>
  /** A bottom sheet: a title, any body, buttons; resolves with the tapped button's value (or `dismissed` on the mask). */
  sheet<T>(o: { title: string; body?: HTMLElement | ((done: (v: T) => void) => HTMLElement); buttons: SheetButton<T>[]; dismissed: T; className?: string }): Promise<T>
}

function el(tag: string, cls: string, parent?: HTMLElement, text?: string): HTMLElement {
  const e = document.createElement(tag)
  e.className = cls
  if (text !== undefined) e.textContent = text
  parent?.appendChild(e)
  return e
}

export function createUi(overlay: HTMLElement): Ui {
  let toastBox: HTMLElement | null = null
  let toastTimer: ReturnType<typeof setTimeout> | null = null
  const hideToast = (): void => {
    if (toastTimer) clearTimeout(toastTimer)
    toastTimer = null
    toastBox?.remove()
    toastBox = null
  }
  return {
    toast(o) {
      hideToast()
      const wrap = el('div', `pv-toast-wrap${o.mask ? ' pv-toast-wrap--mask' : ''}`, overlay)
      const withIcon = o.loading || (o.icon && o.icon !== 'none')
      const box = el('div', `pv-toast${withIcon ? ' pv-toast--icon' : ''}`, wrap)
      box.setAttribute('role', 'status')
      if (o.loading) el('i', 'pv-toast__spinner', box)
      else if (withIcon) el('i', `pv-toast__icon pv-toast__icon--${o.icon}`, box)
      el('span', 'pv-toast__text', box, o.title)
      toastBox = wrap
      if (!o.loading) toastTimer = setTimeout(hideToast, o.duration ?? 1500)
    },
    hideToast,
    modal(o) {
      return new Promise((resolve) => {
        const mask = el('div', 'pv-mask', overlay)
        const box = el('div', 'pv-modal', mask)
        box.setAttribute('role', 'dialog')
        if (o.title) el('div', 'pv-modal__title', box, o.title)
        let input: HTMLInputElement | null = null
        if (o.editable) {
          input = el('input', 'pv-modal__input', box) as HTMLInputElement
          input.placeholder = o.placeholderText ?? ''
          input.value = o.content ?? ''
        } else if (o.content) el('div', 'pv-modal__content', box, o.content)
        const actions = el('div', 'pv-modal__actions', box)
        const done = (confirm: boolean): void => {
          mask.remove()
          resolve({ confirm, cancel: !confirm, ...(input ? { content: input.value } : {}) })
        }
        if (o.showCancel !== false) {
          const c = el('button', 'pv-modal__btn pv-modal__btn--cancel', actions, o.cancelText ?? '取消')
          c.style.color = o.cancelColor ?? '#000000'
          c.addEventListener('click', () => done(false))
        }
        const ok = el('button', 'pv-modal__btn pv-modal__btn--confirm', actions, o.confirmText ?? '确定')
        ok.style.color = o.confirmColor ?? '#576b95'
        ok.addEventListener('click', () => done(true))
      })
    },
    actionSheet(o) {
      return new Promise((resolve) => {
        const mask = el('div', 'pv-mask pv-mask--bottom', overlay)
        const box = el('div', 'pv-actionsheet', mask)
        box.setAttribute('role', 'dialog')
        if (o.alertText) el('div', 'pv-actionsheet__alert', box, o.alertText)
        const done = (i: number | null): void => {
          mask.remove()
          resolve(i)
        }
        o.itemList.forEach((text, i) => {
          const item = el('button', 'pv-actionsheet__item', box, text)
          if (o.itemColor) item.style.color = o.itemColor
          item.addEventListener('click', () => done(i))
        })
        el('div', 'pv-actionsheet__gap', box)
        el('button', 'pv-actionsheet__item pv-actionsheet__cancel', box, '取消').addEventListener('click', () => done(null))
        mask.addEventListener('click', (e) => e.target === mask && done(null))
      })
    },
    sheet<T>(o: { title: string; body?: HTMLElement | ((done: (v: T) => void) => HTMLElement); buttons: SheetButton<T>[]; dismissed: T; className?: string }): Promise<T> {
      return new Promise((resolve) => {
        const mask = el('div', 'pv-mask pv-mask--bottom', overlay)
        const box = el('div', `pv-sheet${o.className ? ` ${o.className}` : ''}`, mask)
        box.setAttribute('role', 'dialog')
        const head = el('div', 'pv-sheet__head', box)
        el('span', 'pv-sheet__title', head, o.title)
        const close = el('button', 'pv-sheet__close', head, '×')
        close.setAttribute('aria-label', '关闭')
        const done = (v: T): void => {
          mask.remove()
          resolve(v)
        }
        if (o.body) box.appendChild(typeof o.body === 'function' ? o.body(done) : o.body)
        const actions = el('div', 'pv-sheet__actions', box)
        close.addEventListener('click', () => done(o.dismissed))
        for (const b of o.buttons) el('button', `pv-sheet__btn${b.primary ? ' pv-sheet__btn--primary' : ''}`, actions, b.text).addEventListener('click', () => done(b.value))
      })
    },
  }
}

export { el as uiElement }
