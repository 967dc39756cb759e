/**
 * 摇一摇: a shake from the accelerometer (wx.onAccelerometerChange, in g). A shake is two jolts
 * within SHAKE_WINDOW_MS, each a change between samples of more than SHAKE_THRESHOLD summed
 * over the axes — a phone lifted or turned moves less — then nothing for SHAKE_COOLDOWN_MS.
 */
export const SHAKE_THRESHOLD = 1.6
export const SHAKE_WINDOW_MS = 800
export const SHAKE_COOLDOWN_MS = 2000

export interface Sample {
  x: number
  y: number
  z: number
}

/** The pure part: feed samples with their time, get true once per shake. */
export function shakeDetector(now: () => number = Date.now): (s: Sample) => boolean {
  let last: Sample | null = null
  let jolts: number[] = []
  let quietUntil = 0
  return (s) => {
    const prev = last
    last = s
    if (!prev) return false
    const t = now()
    if (t < quietUntil) return false
    const change = Math.abs(s.x - prev.x) + Math.abs(s.y - prev.y) + Math.abs(s.z - prev.z)
    if (change <= SHAKE_THRESHOLD) return false
    jolts = [...jolts.filter((at) => t - at <= SHAKE_WINDOW_MS), t]
    if (jolts.length < 2) return false
    jolts = []
    quietUntil = t + SHAKE_COOLDOWN_MS
    return true
  }
}

export interface ShakeWatch {
  stop(): void
}

/** Starts listening; stop() removes the listener and stops the sensor (a hidden page must not keep it). */
export function watchShake(onShake: () => void): ShakeWatch {
  if (typeof wx.onAccelerometerChange !== 'function') return { stop: () => undefined }
  const detect = shakeDetector()
  const listener: WechatMiniprogram.OnAccelerometerChangeCallback = (res) => {
    if (detect(res)) onShake()
  }
  wx.onAccelerometerChange(listener)
  if (typeof wx.startAccelerometer === 'function') wx.startAccelerometer({ interval: 'game', fail: () => undefined })
  let stopped = false
  return {
    stop() {
      if (stopped) return
      stopped = true
      if (typeof wx.offAccelerometerChange === 'function') wx.offAccelerometerChange(listener)
      if (typeof wx.stopAccelerometer === 'function') wx.stopAccelerometer({ fail: () => undefined })
    },
  }
}
