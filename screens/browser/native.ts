/**
 * The WeChat APIs that open native UI, answered so a person can drive them: toast, loading,
 * modal and action sheet as WeChat draws them; the payment sheet that pays through the local
 * cloud's WeChat Pay simulation; a scan dialog (type a code, or pick one on another identity's
 * screen); subscription-message consent; a demo location near the demo stores; a test phone
 * number; phone calls, maps and the clipboard described instead of done.
 */
import type { PreviewShell, ShownCode } from './protocol'
import { uiElement as el, type Ui } from './ui'
import type { Options } from './wx-shim'

/** 静安南京西路店 is 300 m away: the demo stores sort by distance from here. */
export const DEMO_LOCATION = { latitude: 31.2301, longitude: 121.4475 }
/** The test number getPhoneNumber offers; the local cloud maps `local-phone-<11 digits>` to it. */
export const TEST_PHONE = '13800138000'

export interface NativeHost {
  ui: Ui
  gatewayUrl: string
  openid: () => string
  who: string
  shell: PreviewShell | null
  /** getLocation fails as when the person refused (screens' no-location scenarios) */
  denyLocation?: boolean
}

type Answer = Promise<Record<string, unknown>>

function yuan(fen: number): string {
  return (fen / 100).toFixed(2)
}

/** Member codes (19 digits) and coupon codes (21), grouped with spaces or not, on the page in front (its phone may be in the background). */
export function codesIn(doc: Document): string[] {
  const out = new Set<string>()
  const webview = doc.querySelector('.screens-webview--current') ?? doc.querySelector('.screens-webview')
  if (!webview) return []
  for (const node of Array.from(webview.querySelectorAll('wx-text, wx-view'))) {
    const text = (node.textContent ?? '').replace(/\s+/g, '')
    if (/^(?:\d{19}|\d{21})$/.test(text)) out.add(text)
  }
  return [...out]
}

export function createNative(h: NativeHost): Record<string, (o: Options) => Answer> {
  let clipboard = ''
  const cloud = async (path: string, init: RequestInit = {}): Promise<Record<string, unknown>> => {
    const res = await fetch(`${h.gatewayUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', 'X-WX-OPENID': h.openid(), ...((init.headers) ?? {}) },
    })
    const body = (await res.json()) as Record<string, unknown>
    if (!res.ok) throw new Error(String(body.message ?? res.status))
    return body
  }

  return {
    showToast: async (o) => {
      h.ui.toast({ title: String(o.title ?? ''), icon: String(o.icon ?? 'success'), duration: Number(o.duration ?? 1500), mask: !!o.mask })
      return {}
    },
    hideToast: async () => (h.ui.hideToast(), {}),
    showLoading: async (o) => (h.ui.toast({ title: String(o.title ?? ''), loading: true, mask: !!o.mask }), {}),
    hideLoading: async () => (h.ui.hideToast(), {}),
    showModal: async (o) =>
      h.ui.modal({
        title: o.title as string | undefined,
        content: o.content as string | undefined,
        showCancel: o.showCancel as boolean | undefined,
        cancelText: o.cancelText as string | undefined,
        confirmText: o.confirmText as string | undefined,
        cancelColor: o.cancelColor as string | undefined,
        confirmColor: o.confirmColor as string | undefined,
        editable: o.editable as boolean | undefined,
        placeholderText: o.placeholderText as string | undefined,
      }),
    showActionSheet: async (o) => {
      const i = await h.ui.actionSheet({ itemList: (o.itemList as string[]) ?? [], alertText: o.alertText as string | undefined, itemColor: o.itemColor as string | undefined })
      if (i === null) throw new Error('cancel')
      return { tapIndex: i }
    },

    requestPayment: async (o) => {
      const prepayId = String(o.package ?? '').replace(/^prepay_id=/, '')
      const { orders } = (await cloud('/pay/orders')) as { orders: { outTradeNo: string; prepayId: string; totalFee: number; body: string; state: string }[] }
      const order = orders.find((x) => x.prepayId === prepayId)
      if (!order) throw new Error('订单不存在或已过期')
      const body = el('div', 'pv-pay')
      el('div', 'pv-pay__body', body, order.body)
      el('div', 'pv-pay__amount', body, `¥${yuan(order.totalFee)}`)
      el('div', 'pv-pay__note', body, '本地预览：确认后由本地云的微信支付模拟器完成支付并回调')
      const ok = await h.ui.sheet({ title: '微信支付', body, buttons: [{ text: '确认支付', value: true, primary: true }], dismissed: false })
      if (!ok) throw new Error('cancel')
      await cloud(`/pay/orders/${encodeURIComponent(order.outTradeNo)}/pay`, { method: 'POST', body: '{}' })
      return {}
    },

    scanCode: async () => {
      const codes: ShownCode[] = h.shell?.codesShown(h.who) ?? []
      const result = await h.ui.sheet<string | null>({
        title: '扫一扫',
        className: 'pv-scan',
        dismissed: null,
        body: (done) => {
          const box = el('div', 'pv-scan__body')
          el('div', 'pv-scan__hint', box, codes.length ? '其他身份正在展示的码（点一下即扫到）' : '其他身份的屏幕上暂时没有会员码；可在下方输入')
          for (const c of codes) {
            const item = el('button', 'pv-scan__code', box)
            el('b', '', item, c.label)
            el('span', '', item, c.code.replace(/(\d{4})(?=\d)/g, '$1 '))
            item.dataset.code = c.code
            item.addEventListener('click', () => done(c.code))
          }
          const input = el('input', 'pv-scan__input', box) as HTMLInputElement
          input.placeholder = '输入码的内容'
          input.addEventListener('keydown', (e) => e.key === 'Enter' && input.value.trim() && done(input.value.trim()))
          const go = el('button', 'pv-sheet__btn pv-sheet__btn--primary', box, '识别')
          go.addEventListener('click', () => input.value.trim() && done(input.value.trim()))
          return box
        },
        buttons: [],
      })
      if (result === null) throw new Error('cancel')
      return { result, scanType: /^\d+$/.test(result) ? 'BARCODE' : 'QR_CODE', charSet: 'utf-8', rawData: btoa(unescape(encodeURIComponent(result))) }
    },

    requestSubscribeMessage: async (o) => {
      const ids = ((o.tmplIds as string[]) ?? []).map(String)
      const body = el('div', 'pv-subscribe')
      el('div', '', body, `小程序想给你发送 ${ids.length} 条订阅消息：`)
      for (const id of ids) el('div', 'pv-subscribe__id', body, id)
      const accept = await h.ui.sheet({ title: '订阅消息', body, buttons: [{ text: '拒绝', value: false }, { text: '允许', value: true, primary: true }], dismissed: false })
      const out: Record<string, unknown> = {}
      for (const id of ids) out[id] = accept ? 'accept' : 'reject'
      return out
    },

    getLocation: async () => {
      if (h.denyLocation) throw new Error('auth deny')
      return { ...DEMO_LOCATION, speed: 0, accuracy: 30, altitude: 0, verticalAccuracy: 0, horizontalAccuracy: 30 }
    },
    getFuzzyLocation: async () => ({ ...DEMO_LOCATION }),
    chooseLocation: async () => ({ name: '静安寺', address: '上海市静安区南京西路 1686 号', ...DEMO_LOCATION }),

    makePhoneCall: async (o) => {
      const r = await h.ui.modal({ title: '拨打电话', content: `${String(o.phoneNumber ?? '')}\n（预览不会真的拨出）`, confirmText: '呼叫' })
      if (!r.confirm) throw new Error('cancel')
      h.ui.toast({ title: `正在呼叫 ${String(o.phoneNumber ?? '')}`, icon: 'none', duration: 1500 })
      return {}
    },
    openLocation: async (o) => {
      await h.ui.modal({
        title: String(o.name ?? '位置'),
        content: `${String(o.address ?? '')}\n将在地图中打开 ${String(o.latitude)}, ${String(o.longitude)}（预览不打开地图）`,
        showCancel: false,
        confirmText: '知道了',
      })
      return {}
    },
    setClipboardData: async (o) => {
      clipboard = String(o.data ?? '')
      h.ui.toast({ title: `内容已复制：${clipboard.length > 24 ? `${clipboard.slice(0, 24)}…` : clipboard}`, icon: 'none', duration: 1500 })
      return {}
    },
    getClipboardData: async () => ({ data: clipboard }),
    vibrateShort: async () => ({}),
    vibrateLong: async () => ({}),
  }
}

/** The getPhoneNumber button: offers the test number; the code lets the local cloud answer it. */
export async function askPhoneNumber(ui: Ui): Promise<Record<string, unknown>> {
  const body = el('div', 'pv-phone')
  el('div', 'pv-phone__number', body, TEST_PHONE.replace(/(\d{3})(\d{4})(\d{4})/, '$1 $2 $3'))
  el('div', 'pv-phone__note', body, '测试号码（本地云的手机号接口会解出此号码）')
  const ok = await ui.sheet({ title: '申请获取并验证你的手机号', body, buttons: [{ text: '不允许', value: false }, { text: '允许', value: true, primary: true }], dismissed: false })
  if (!ok) return { errMsg: 'getPhoneNumber:fail user deny' }
  return { errMsg: 'getPhoneNumber:ok', code: `local-phone-${TEST_PHONE}` }
}
