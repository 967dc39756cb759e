/** The touchpoint's short id from the code's scene (`tp=<id>`, URI-encoded) or the share path (`?tp=<id>`). */
export function shortIdOf(query: Record<string, string | undefined>): string {
  if (query.tp) return query.tp
  const scene = query.scene ? decodeURIComponent(query.scene) : ''
  const m = /(?:^|&)tp=([A-Za-z0-9]+)/.exec(scene)
  return m ? m[1] : ''
}
