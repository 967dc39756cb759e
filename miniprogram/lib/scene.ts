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

