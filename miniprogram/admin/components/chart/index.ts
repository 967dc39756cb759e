/**
 * A small Canvas 2D chart (line or bars) for the admin pages: no chart library, a few hundred
 * bytes of drawing. `points` are { label, value }; values are drawn to scale from zero, labels
 * under the first, middle and last point (a line) or every bar. Redrawn when points change.
 */
import { layout, PAD, type Point } from './layout'

interface Ctx2D {
  scale(x: number, y: number): void
  clearRect(x: number, y: number, w: number, h: number): void
  beginPath(): void
  moveTo(x: number, y: number): void
  lineTo(x: number, y: number): void
  stroke(): void
  fillRect(x: number, y: number, w: number, h: number): void
  fillText(text: string, x: number, y: number): void
  strokeStyle: string
  fillStyle: string
  lineWidth: number
  font: string
  textAlign: string
}

Component({
  properties: {
    kind: { type: String, value: 'line' },
    points: { type: Array, value: [] as Point[] },
    height: { type: Number, value: 160 },
  },
  observers: {
    points() {
      this.draw()
    },
  },
  lifetimes: {
    ready() {
      this.draw()
    },
  },
  methods: {
    draw() {
      const query = this.createSelectorQuery()
      query
        .select('#chart')
        .fields({ node: true, size: true })
        .exec((res: Array<{ node?: { getContext(t: string): Ctx2D; width: number; height: number }; width: number; height: number } | null>) => {
          const hit = res?.[0]
          if (!hit?.node) return
          const canvas = hit.node
          const dpr = typeof wx.getWindowInfo === 'function' ? wx.getWindowInfo().pixelRatio : 2
          canvas.width = hit.width * dpr
          canvas.height = hit.height * dpr
          const ctx = canvas.getContext('2d')
          ctx.scale(dpr, dpr)
          ctx.clearRect(0, 0, hit.width, hit.height)
          const points = (this.data.points as Point[]) ?? []
          const kind = this.data.kind === 'bar' ? 'bar' : 'line'
          const at = layout(points, kind, hit.width, hit.height)
          ctx.font = '10px sans-serif'
          ctx.textAlign = 'center'
          ctx.strokeStyle = '#e7e7e7'
          ctx.lineWidth = 1
          ctx.beginPath()
          ctx.moveTo(PAD.left, hit.height - PAD.bottom)
          ctx.lineTo(hit.width - PAD.right, hit.height - PAD.bottom)
          ctx.stroke()
          ctx.fillStyle = '#0052d9'
          ctx.strokeStyle = '#0052d9'
          ctx.lineWidth = 2
          if (kind === 'bar') {
            at.forEach((p, i) => {
              ctx.fillStyle = '#0052d9'
              ctx.fillRect(p.x, p.y, p.bw, hit.height - PAD.bottom - p.y)
              ctx.fillStyle = '#4b5563'
              ctx.fillText(points[i].label.slice(0, 6), p.x + p.bw / 2, hit.height - 6)
            })
            return
          }
          // No points (a period without data): the axis alone, no labels to read.
          if (points.length === 0) return
          ctx.beginPath()
          at.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)))
          ctx.stroke()
          ctx.fillStyle = '#4b5563'
          for (const i of [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])].filter((i) => i >= 0)) {
            ctx.fillText(points[i].label, at[i].x, hit.height - 6)
          }
        })
    },
  },
})
