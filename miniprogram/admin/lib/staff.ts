/** What staff pages parse from what a clerk types or scans (who may do what comes from the staff session). */
export type MemberRef = { memberNo: string } | { memberCode: string }

/** What a clerk typed or scanned: an 8-digit member number or the 19-digit dynamic code. */
export function memberRefOf(raw: string): { ok: true; ref: MemberRef } | { ok: false; message: string } {
  const s = raw.replace(/\s+/g, '')
  if (!s) return { ok: false, message: '请扫描会员码或输入会员号' }
  if (/^\d{8}$/.test(s)) return { ok: true, ref: { memberNo: s } }
  if (/^\d{19}$/.test(s)) return { ok: true, ref: { memberCode: s } }
  return { ok: false, message: '会员号为 8 位数字，或请扫描顾客的会员码' }
}

/**
 * Who a cashier submit is for, stable across code refreshes: a member code starts with the
 * member number and its other digits rotate every minute, so a retry with a rescanned code is
 * still the same submit.
 */
export function memberKeyOf(ref: MemberRef): string {
  return 'memberNo' in ref ? ref.memberNo : ref.memberCode.slice(0, 8)
}

export type LookupQuery = { phone: string } | { memberNo: string } | { memberCode: string }

/** The search box of 会员查询: phone (11 digits), member number (8) or a scanned code (19). */
export function lookupQueryOf(raw: string): { ok: true; query: LookupQuery } | { ok: false; message: string } {
  const s = raw.replace(/[\s-]+/g, '')
  if (!s) return { ok: false, message: '请输入手机号或会员号' }
  if (/^1\d{10}$/.test(s)) return { ok: true, query: { phone: s } }
  if (/^\d{8}$/.test(s)) return { ok: true, query: { memberNo: s } }
  if (/^\d{19}$/.test(s)) return { ok: true, query: { memberCode: s } }
  return { ok: false, message: '请输入 11 位手机号、8 位会员号，或扫描会员码' }
}

/** wx.scanCode as a promise: the scanned text, or null when cancelled / unavailable. */
export function scanText(): Promise<string | null> {
  return new Promise((resolve) => {
    if (typeof wx.scanCode !== 'function') return resolve(null)
    wx.scanCode({
      onlyFromCamera: true,
      scanType: ['qrCode', 'barCode'],
      success: (res) => resolve(res.result ?? null),
      fail: () => resolve(null),
    })
  })
}
