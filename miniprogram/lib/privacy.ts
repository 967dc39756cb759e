/**
 * WeChat's privacy authorisation (基础库 2.32.3+): before an API that touches personal data
 * (location, scanning, phone number) WeChat asks the mini program, through
 * wx.onNeedPrivacyAuthorization, to show its own agreement popup; the user agrees with a
 * <button open-type="agreePrivacyAuthorization">. The privacy-popup component registers here; on
 * older base libraries (and in tests) the API does not exist and nothing is needed.
 */

export type PrivacyResolve = (res: { event: 'exposureAuthorization' | 'agree' | 'disagree'; buttonId?: string }) => void

type WxWithPrivacy = {
  onNeedPrivacyAuthorization?: (listener: (resolve: PrivacyResolve, eventInfo: { referrer: string }) => void) => void
  getPrivacySetting?: (opts: { success?: (res: { needAuthorization: boolean; privacyContractName: string }) => void }) => void
  openPrivacyContract?: (opts: Record<string, unknown>) => void
}

function wxPrivacy(): WxWithPrivacy | null {
  const w = (globalThis as { wx?: unknown }).wx
  return w && typeof w === 'object' ? (w as WxWithPrivacy) : null
}

export function privacySupported(): boolean {
  return typeof wxPrivacy()?.onNeedPrivacyAuthorization === 'function'
}

/** The popup of the page in front; each page's popup claims the listener when it shows. */
let current: ((resolve: PrivacyResolve) => void) | null = null
let installed = false

export function claimPrivacyListener(show: (resolve: PrivacyResolve) => void): void {
  current = show
  const w = wxPrivacy()
  if (installed || !w || typeof w.onNeedPrivacyAuthorization !== 'function') return
  installed = true
  w.onNeedPrivacyAuthorization((resolve) => {
    if (current) current(resolve)
    else resolve({ event: 'disagree' })
  })
}

export function releasePrivacyListener(show: (resolve: PrivacyResolve) => void): void {
  if (current === show) current = null
}

/** The agreement's name for the popup text (《…隐私保护指引》). */
export function privacyContractName(): Promise<string> {
  return new Promise((resolve) => {
    const w = wxPrivacy()
    if (!w || typeof w.getPrivacySetting !== 'function') return resolve('《用户隐私保护指引》')
    w.getPrivacySetting({ success: (res) => resolve(res.privacyContractName || '《用户隐私保护指引》') })
  })
}

export function openPrivacyContract(): void {
  const w = wxPrivacy()
  if (w && typeof w.openPrivacyContract === 'function') w.openPrivacyContract({})
}
