/** The chart's geometry (components/chart), apart from the drawing so it can be tested. */
export interface Point {
  label: string
  value: number
}

export const PAD = { left: 8, right: 8, top: 12, bottom: 22 }

/** Where each point lands in a w × h box (exported for the unit test). */
export function layout(points: readonly Point[], kind: 'line' | 'bar', w: number, h: number): Array<{ x: number; y: number; bw: number }> {
  const max = Math.max(1, ...points.map((p) => p.value))
  const innerW = w - PAD.left - PAD.right
  const innerH = h - PAD.top - PAD.bottom
  const n = Math.max(1, points.length)
  return points.map((p, i) => {
    const y = PAD.top + innerH - (Math.max(0, p.value) / max) * innerH
    if (kind === 'bar') {
      const slot = innerW / n
      return { x: PAD.left + slot * i + slot * 0.2, y, bw: slot * 0.6 }
    }
    const x = n === 1 ? PAD.left + innerW / 2 : PAD.left + (innerW * i) / (n - 1)
    return { x, y, bw: 0 }
  })
}
