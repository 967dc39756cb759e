import { errorMessageOf } from './view-state'

/** A short message at the centre of the screen (no icon, so long Chinese text fits). */
export function toast(title: string, duration = 2000): void {
  void wx.showToast({ title, icon: 'none', duration })
}

/** Longer than this, a toast (two lines at most) would cut the message off. */
export const TOAST_MAX_CHARS = 28

/** The server's message for a failed call, or a generic one: a toast, or a dialog when it is long. */
export function toastError(e: unknown, fallback?: string): void {
  const raw = errorMessageOf(e)
  const msg = fallback && raw === '加载失败，请稍后重试' ? fallback : raw
  if (msg.length <= TOAST_MAX_CHARS) return toast(msg)
  void wx.showModal({ title: '提示', content: msg, showCancel: false, confirmText: '知道了' })
}

/** A confirm dialog as a promise: true when confirmed. */
export function confirmDialog(title: string, content: string, confirmText = '确定'): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title,
      content,
      confirmText,
      cancelText: '取消',
      success: (res) => resolve(!!res.confirm),
      fail: () => resolve(false),
    })
  })
}

/** Per-instance state that should not live in setData (timers, in-flight flags). */
export function instanceStore<T>(init: () => T): (owner: object) => T {
  const map = new WeakMap<object, T>()
  return (owner) => {
    let v = map.get(owner)
    if (!v) {
      v = init()
      map.set(owner, v)
    }
    return v
  }
}
