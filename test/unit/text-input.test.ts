import { textField, visibleLength } from '../../cloudfunctions/shared/text-input'

const title = textField({ label: '券标题', max: 5 })

describe('textField', () => {
  it('normalises to NFC and trims', () => {
    expect(title.parse('  Cafe\u0301 ')).toBe('Café')
  })
  it('counts what a person sees: an emoji family is one character', () => {
    expect(visibleLength('👨‍👩‍👧好')).toBe(2)
    expect(title.safeParse('👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧').success).toBe(true)
    expect(title.safeParse('一二三四五六').success).toBe(false)
  })
  it.each([
    ['a bidi override', 'abc\u202Efed', '改变文字方向'],
    ['an isolate', '\u2066x', '改变文字方向'],
    ['a NUL', 'a\u0000b', '控制字符'],
    ['a newline in a one-line field', 'a\nb', '控制字符'],
    ['blank', '   ', '请填写券标题'],
    ['too long', '一二三四五六', '不能超过 5 个字'],
  ])('refuses %s with a Chinese message', (_name, value, message) => {
    const r = title.safeParse(value)
    expect(r.success).toBe(false)
    if (!r.success) expect(r.error.issues[0]?.message).toContain(message)
  })
  it('allows line breaks in a multiline field', () => {
    expect(textField({ label: '使用说明', max: 50, multiline: true }).parse('第一行\n第二行')).toBe('第一行\n第二行')
  })
  it('refuses a non-string in Chinese', () => {
    const r = title.safeParse({ $gt: '' })
    expect(r.success).toBe(false)
    if (!r.success) expect(r.error.issues[0]?.message).toBe('券标题应为文字')
  })
})
