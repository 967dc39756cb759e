import { code128Bars } from './code128'
import { barsSvgDataUrl, groupDigits, qrMatrix, qrSvgDataUrl } from './qr'
import { instanceStore } from './ui'
import { errorMessageOf } from './view-state'

/** The codes rotate on the server every minute; a component fetches a new one as often. */
export const CODE_REFRESH_SECONDS = 60
/** After a failed fetch: try again this soon. */
const RETRY_SECONDS = 5

interface CanvasLike {
  width: number
  height: number
  getContext(kind: '2d'): CanvasRenderingContext2D | null
}
interface NodeField {
  node?: CanvasLike
  width?: number
  height?: number
}

interface Local {
  fallbackTimer: ReturnType<typeof setTimeout> | 0
  drawSeq: number
  ticker: ReturnType<typeof setInterval> | 0
  fetching: boolean
  /** bumped when what the code is for changes: an answer for the old source is dropped */
  fetchSeq: number
  /** false once removed: a fetch that answers later must not draw (nor start a timer) */
  alive: boolean
}
const local = instanceStore((): Local => ({ fallbackTimer: 0, drawSeq: 0, ticker: 0, fetching: false, fetchSeq: 0, alive: true }))

function pixelRatio(): number {
  try {
    const info = typeof wx.getWindowInfo === 'function' ? wx.getWindowInfo() : wx.getSystemInfoSync()
    return Math.min(3, Math.max(1, info.pixelRatio || 2))
  } catch {
    return 2
  }
}

function paint(field: NodeField, draw: (ctx: CanvasRenderingContext2D, w: number, h: number) => void): boolean {
  const canvas = field.node
  const w = field.width ?? 0
  const h = field.height ?? 0
  if (!canvas || typeof canvas.getContext !== 'function' || !w || !h) return false
  const ctx = canvas.getContext('2d')
  if (!ctx) return false
  const dpr = pixelRatio()
  canvas.width = Math.round(w * dpr)
  canvas.height = Math.round(h * dpr)
  ctx.setTransform?.(1, 0, 0, 1, 0, 0)
  ctx.scale(dpr, dpr)
  ctx.fillStyle = '#ffffff'
  ctx.fillRect(0, 0, w, h)
  ctx.fillStyle = '#000000'
  draw(ctx, w, h)
  return true
}

const initialData = { code: '', shortText: '', seconds: CODE_REFRESH_SECONDS, tip: '', running: false, fallback: false, qrUrl: '', barUrl: '', digits: '', placeholder: '' }
type RotatingData = typeof initialData
type RotatingMethods = {
  start(): void
  stop(): void
  tick(): void
  refresh(): Promise<void>
  onTapTip(): void
  draw(code: string): void
}
type Props = WechatMiniprogram.Component.PropertyOption
/** A rotating code component: its data (and properties, as `data[name]`) and methods. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type RotatingCodeInstance = WechatMiniprogram.Component.Instance<RotatingData, Props, RotatingMethods, [], {}, false>

/** What differs between the rotating codes (the member code, a coupon's code). */
export interface RotatingCodeSpec {
  /**
   * The current code from the server ('' when there is none to show), and optionally a short
   * form to type (shown under the code).
   */
  fetch(props: Record<string, unknown>): Promise<string | { code: string; shortText: string }>
  /** Shown in place of the code while there is none. */
  placeholder: string
  /** Prefix of the tip when a fetch failed: 「会员码获取失败」. */
  failText: string
  /** The tip under the code while it counts down. */
  tip?: (seconds: number) => string
  /** May this instance fetch yet (its properties set)? Default: always. */
  ready?(props: Record<string, unknown>): boolean
  properties?: Props
  /** Property names whose change means another code: fetch again at once (the component's data, with its properties, is what fetch and ready get). */
  refetchOn?: string[]
}

const defaultTip = (seconds: number) => `${seconds} 秒后自动刷新 · 请向店员出示`

/**
 * A rotating code shown as a QR code and a Code 128 barcode on <canvas type="2d">, for
 * components/member-code and the coupon code alike. The component owns its rotation: while on
 * screen (attached, and its page shown) it fetches a fresh code every minute and counts down; it
 * stops when the page is hidden or it is removed, so a screenshot is stale within a minute.
 * Where the canvas node cannot be reached (older hosts, tests, screenshot harness) it falls back
 * to SVG images of the same codes.
 */
export function defineRotatingCode(spec: RotatingCodeSpec): string {
  const tipFor = spec.tip ?? defaultTip
  const observers: Record<string, (this: RotatingCodeInstance, ...args: unknown[]) => void> = {
    code(code: unknown) {
      const text = typeof code === 'string' ? code : ''
      this.setData({ digits: text ? groupDigits(text) : '' })
      if (text) this.draw(text)
    },
  }
  if (spec.refetchOn?.length) {
    observers[spec.refetchOn.join(', ')] = function () {
      const s = local(this)
      // a code for the previous source must not be shown for this one
      s.fetchSeq += 1
      s.fetching = false
      if (this.data.code) this.setData({ code: '', shortText: '' })
      if (s.ticker) void this.refresh()
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  return Component<RotatingData, Props, RotatingMethods, [], {}, false>({
    properties: spec.properties ?? {},
    data: Object.assign({}, initialData, { placeholder: spec.placeholder }),
    observers,
    lifetimes: {
      attached() {
        this.start()
      },
      detached() {
        this.stop()
        const s = local(this)
        s.alive = false
        if (s.fallbackTimer) clearTimeout(s.fallbackTimer)
        s.drawSeq += 1
      },
    },
    pageLifetimes: {
      show() {
        this.start()
      },
      hide() {
        this.stop()
      },
    },
    methods: {
      /** A fresh code now, then one a minute. */
      start() {
        const s = local(this)
        if (s.ticker) return
        this.setData({ running: true })
        void this.refresh()
        s.ticker = setInterval(() => this.tick(), 1000)
      },
      stop() {
        const s = local(this)
        if (s.ticker) clearInterval(s.ticker)
        s.ticker = 0
        if (this.data.running) this.setData({ running: false })
      },
      tick() {
        const next = this.data.seconds - 1
        if (next <= 0) void this.refresh()
        else this.setData({ seconds: next, tip: tipFor(next) })
      },
      async refresh() {
        const s = local(this)
        if (s.fetching) return
        const props: Record<string, unknown> = this.data
        if (spec.ready && !spec.ready(props)) return
        s.fetching = true
        const seq = s.fetchSeq
        try {
          const got = await spec.fetch(props)
          if (!s.alive || seq !== s.fetchSeq) return
          const { code, shortText } = typeof got === 'string' ? { code: got, shortText: '' } : got
          this.setData({ code, shortText, seconds: CODE_REFRESH_SECONDS, tip: tipFor(CODE_REFRESH_SECONDS) })
        } catch (e) {
          // try again in a few seconds; an old code is hidden so nobody shows an expired one
          if (!s.alive || seq !== s.fetchSeq) return
          this.setData({ code: '', shortText: '', seconds: RETRY_SECONDS, tip: `${spec.failText}：${errorMessageOf(e)}` })
          this.triggerEvent('fail', { error: e })
        } finally {
          if (seq === s.fetchSeq) s.fetching = false
        }
      },
      /** Tapping the tip fetches a new code at once. */
      onTapTip() {
        void this.refresh()
      },
      draw(code: string) {
        const s = local(this)
        const seq = (s.drawSeq += 1)
        let matrix: boolean[][]
        let barcode: ReturnType<typeof code128Bars>
        try {
          matrix = qrMatrix(code)
          barcode = code128Bars(code)
        } catch {
          return
        }
        const useFallback = () => {
          if (seq !== s.drawSeq) return
          this.setData({ fallback: true, qrUrl: qrSvgDataUrl(matrix), barUrl: barsSvgDataUrl(barcode.bars, barcode.totalModules) })
        }
        if (this.data.fallback) return useFallback()
        if (s.fallbackTimer) clearTimeout(s.fallbackTimer)
        // a host that never answers the query gets the images after a short wait
        s.fallbackTimer = setTimeout(useFallback, 600)
        try {
          const query = this.createSelectorQuery()
          query.select('#qr').fields({ node: true, size: true })
          query.select('#bar').fields({ node: true, size: true })
          query.exec((res: unknown) => {
            if (seq !== s.drawSeq) return
            if (s.fallbackTimer) clearTimeout(s.fallbackTimer)
            s.fallbackTimer = 0
            const [qrField, barField] = (Array.isArray(res) ? res : []) as (NodeField | null)[]
            const okQr =
              !!qrField &&
              paint(qrField, (ctx, w) => {
                const n = matrix.length + 4
                const cell = w / n
                matrix.forEach((row, r) =>
                  row.forEach((dark, c) => {
                    if (dark) ctx.fillRect((c + 2) * cell, (r + 2) * cell, cell + 0.3, cell + 0.3)
                  }),
                )
              })
            const okBar =
              !!barField &&
              paint(barField, (ctx, w, h) => {
                const unit = w / (barcode.totalModules + 20)
                for (const [x, bw] of barcode.bars) ctx.fillRect((x + 10) * unit, 0, bw * unit, h)
              })
            if (!okQr || !okBar) useFallback()
          })
        } catch {
          useFallback()
        }
      },
    },
  })
}
