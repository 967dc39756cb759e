import { CODE_WINDOW_MS, issueMemberCode, verifyMemberCode } from '../../cloudfunctions/domain/member-code'

const secret = 'k'.repeat(64)
const t0 = Date.UTC(2026, 10, 22, 8, 0, 30)

describe('dynamic member code', () => {
  it('is 19 digits, starts with the member number and expires at the end of its minute', () => {
    const { code, expiresAt } = issueMemberCode(secret, '12345678', t0)
    expect(code).toMatch(/^12345678\d{11}$/)
    expect(expiresAt).toBe(Math.floor(t0 / CODE_WINDOW_MS + 1) * CODE_WINDOW_MS)
  })

  it('is accepted in its minute and the next, and refused after', () => {
    const { code } = issueMemberCode(secret, '12345678', t0)
    expect(verifyMemberCode(secret, code, t0)).toEqual({ ok: true, memberNo: '12345678' })
    expect(verifyMemberCode(secret, code, t0 + CODE_WINDOW_MS)).toEqual({ ok: true, memberNo: '12345678' })
    expect(verifyMemberCode(secret, code, t0 + 2 * CODE_WINDOW_MS)).toEqual({ ok: false, reason: 'EXPIRED_OR_FORGED' })
  })

  it('refuses a forged code: another member number, a changed digit, another secret, garbage', () => {
    const { code } = issueMemberCode(secret, '12345678', t0)
    expect(verifyMemberCode(secret, `87654321${code.slice(8)}`, t0).ok).toBe(false)
    const flipped = code.slice(0, 18) + String((Number(code[18]) + 1) % 10)
    expect(verifyMemberCode(secret, flipped, t0).ok).toBe(false)
    expect(verifyMemberCode('other', code, t0).ok).toBe(false)
    expect(verifyMemberCode(secret, 'abc', t0)).toEqual({ ok: false, reason: 'MALFORMED' })
    expect(verifyMemberCode(secret, `${code}0`, t0)).toEqual({ ok: false, reason: 'MALFORMED' })
  })
})
