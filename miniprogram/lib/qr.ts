import qrcode from 'qrcode-generator'

/** The dark modules of a QR code as rows of booleans (error correction M). */
export function qrMatrix(text: string): boolean[][] {
  const qr = qrcode(0, 'M')
  qr.addData(text, /^\d+$/.test(text) ? 'Numeric' : 'Byte')
  qr.make()
  const n = qr.getModuleCount()
  const rows: boolean[][] = []
  for (let r = 0; r < n; r += 1) {
    const row: boolean[] = []
    for (let c = 0; c < n; c += 1) row.push(qr.isDark(r, c))
    rows.push(row)
  }
  return rows
}

/** An SVG data URL of the matrix: the fallback where a canvas node is not available. */
export function qrSvgDataUrl(matrix: boolean[][], quiet = 2): string {
  const n = matrix.length + quiet * 2
  let path = ''
  matrix.forEach((row, r) => row.forEach((dark, c) => (path += dark ? `M${c + quiet} ${r + quiet}h1v1h-1z` : '')))
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges"><rect width="${n}" height="${n}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}

/** An SVG data URL of barcode bars ([x, width] in modules). */
export function barsSvgDataUrl(bars: [number, number][], totalModules: number, quiet = 10): string {
  const w = totalModules + quiet * 2
  const h = Math.round(w / 4)
  const rects = bars.map(([x, bw]) => `M${x + quiet} 0h${bw}v${h}h-${bw}z`).join('')
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" preserveAspectRatio="none" shape-rendering="crispEdges"><rect width="${w}" height="${h}" fill="#fff"/><path d="${rects}" fill="#000"/></svg>`
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}

/** 1234567890123456789 → "1234 5678 9012 3456 789" */
export function groupDigits(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1 ')
}
