import { INVITE_ALPHABET, INVITE_TTL_MS, inviteState, newInviteCode, normalizeInviteCode } from '../../cloudfunctions/domain/invite-code'
import { maskPhone } from '../../cloudfunctions/domain/mask'
import { changeTags, MAX_MANUAL_TAGS, normalizeTag } from '../../cloudfunctions/domain/manual-tags'
import { checkTiers } from '../../miniprogram/shared/settings-rules'
import { cashierOutTradeNo } from '../../cloudfunctions/admin/cashier'

describe('invite codes', () => {
  it('are 8 characters from an alphabet without look-alikes', () => {
    expect(INVITE_ALPHABET).not.toMatch(/[01ILO]/)
    const codes = new Set<string>()
    for (let i = 0; i < 2000; i += 1) {
      const code = newInviteCode()
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/)
      codes.add(code)
    }
    expect(codes.size).toBe(2000)
  })

  it('normalize what was typed and refuse what cannot be a code', () => {
    expect(normalizeInviteCode(' abcd-efgh ')).toBe('ABCDEFGH')
    expect(normalizeInviteCode('ABCDEFG')).toBeNull()
    expect(normalizeInviteCode('ABCDEFG0')).toBeNull()
    expect(normalizeInviteCode('ABCDEFGHJ')).toBeNull()
    expect(normalizeInviteCode('$where:1')).toBeNull()
  })

  it('are valid until used or expired', () => {
    const now = new Date('2024-05-01T00:00:00Z')
    const expiresAt = new Date(now.getTime() + INVITE_TTL_MS)
    expect(INVITE_TTL_MS).toBe(48 * 3600 * 1000)
    expect(inviteState({ usedBy: null, expiresAt }, now)).toBe('VALID')
    expect(inviteState({ usedBy: null, expiresAt: expiresAt.toISOString() }, new Date(expiresAt.getTime()))).toBe('VALID')
    expect(inviteState({ usedBy: null, expiresAt }, new Date(expiresAt.getTime() + 1))).toBe('EXPIRED')
    expect(inviteState({ usedBy: 'o-x', expiresAt }, now)).toBe('USED')
  })
})

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone(null)).toBe('')
    expect(maskPhone('1234')).toBe('**34')
  })
})

describe('manual tags', () => {
  it('are 1..10 characters, not reserved, without control characters', () => {
    expect(normalizeTag('  咖啡豆爱好者 ')).toEqual({ ok: true, tag: '咖啡豆爱好者' })
    expect(normalizeTag('   ')).toEqual({ ok: false, reason: 'EMPTY' })
    expect(normalizeTag('一二三四五六七八九十')).toMatchObject({ ok: true })
    expect(normalizeTag('一二三四五六七八九十一')).toEqual({ ok: false, reason: 'TOO_LONG' })
    expect(normalizeTag('😀😀😀😀😀😀😀😀😀😀')).toMatchObject({ ok: true })
    expect(normalizeTag('a\nb')).toEqual({ ok: false, reason: 'BAD_CHARS' })
    expect(normalizeTag('高消费')).toEqual({ ok: false, reason: 'RESERVED' })
  })

  it('add and remove idempotently, at most 10', () => {
    expect(changeTags(['a'], 'a', false)).toEqual({ ok: true, tags: ['a'] })
    expect(changeTags(['a'], 'b', false)).toEqual({ ok: true, tags: ['a', 'b'] })
    expect(changeTags(['a', 'b'], 'a', true)).toEqual({ ok: true, tags: ['b'] })
    expect(changeTags(['a'], 'z', true)).toEqual({ ok: true, tags: ['a'] })
    const full = Array.from({ length: MAX_MANUAL_TAGS }, (_, i) => `t${i}`)
    expect(changeTags(full, 'x', false)).toEqual({ ok: false, reason: 'FULL' })
    expect(changeTags(full, 't3', false)).toMatchObject({ ok: true })
  })
})

describe('checkTiers', () => {
  it('wants a first tier at 0 and strictly ascending, distinct tiers', () => {
    expect(checkTiers([{ name: 'A', minGrowth: 0 }, { name: 'B', minGrowth: 10 }])).toBeNull()
    expect(checkTiers([])).toMatch(/至少/)
    expect(checkTiers([{ name: 'A', minGrowth: 5 }])).toMatch(/为 0/)
    expect(checkTiers([{ name: 'A', minGrowth: 0 }, { name: 'B', minGrowth: 0 }])).toMatch(/递增/)
    expect(checkTiers([{ name: 'A', minGrowth: 0 }, { name: 'B', minGrowth: 9 }, { name: 'C', minGrowth: 5 }])).toMatch(/递增/)
    expect(checkTiers([{ name: 'A', minGrowth: 0 }, { name: 'A', minGrowth: 9 }])).toMatch(/重复/)
  })
})

describe('cashierOutTradeNo', () => {
  it('is C + 30 hex characters, fixed per clerk and request', () => {
    const a = cashierOutTradeNo('o-clerk', 'req-12345678')
    expect(a).toMatch(/^C[0-9a-f]{30}$/)
    expect(cashierOutTradeNo('o-clerk', 'req-12345678')).toBe(a)
    expect(cashierOutTradeNo('o-other', 'req-12345678')).not.toBe(a)
  })
})
