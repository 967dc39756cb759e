/** Moments (朋友圈) single-page mode: no login, no cloud calls reach the server. */
export const TIMELINE_SCENE = 1154

/** The scene the mini program was entered with (0 where the host cannot say). */
export function enterScene(): number {
  try {
    const opts =
      typeof wx.getEnterOptionsSync === 'function' ? wx.getEnterOptionsSync() : typeof wx.getLaunchOptionsSync === 'function' ? wx.getLaunchOptionsSync() : null
    return Number(opts?.scene ?? 0)
  } catch {
    return 0
  }
}

/** Opened from a Moments post, in single-page mode. */
export function inTimeline(): boolean {
  return enterScene() === TIMELINE_SCENE
}

/**
 * The parameters of a wxacode.getUnlimited code: the page gets them URL-encoded in `query.scene`
 * ("t%3DAb12cd" → { t: 'Ab12cd' }), next to any ordinary query of a share path.
 */
export function sceneParams(query: Record<string, string | undefined>): Record<string, string> {
  const raw = query.scene
  if (!raw) return {}
  let text: string
  try {
    text = decodeURIComponent(raw)
  } catch {
    return {}
  }
  const out: Record<string, string> = {}
  for (const part of text.split('&')) {
    const at = part.indexOf('=')
    if (at > 0) out[part.slice(0, at)] = part.slice(at + 1)
  }
  return out
}
