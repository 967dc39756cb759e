import { z } from 'zod'

/**
 * C0/C1 control characters (tab and newline allowed only where `multiline`), and the
 * bidirectional embeddings/overrides/isolates (U+202A–U+202E, U+2066–U+2069) that make a name
 * read differently from what it is (「‮」 tricks in coupon titles and store names).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/
// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /[\u0009\u000A\u000D]/
const BIDI = /[\u202A-\u202E\u2066-\u2069]/

/** The part of Intl.Segmenter used here (the project's lib is ES2020, which lacks its types). */
interface GraphemeSegmenter {
  segment(s: string): Iterable<unknown>
}
type SegmenterConstructor = new (locale: string, options: { granularity: 'grapheme' }) => GraphemeSegmenter
const Segmenter = (Intl as { Segmenter?: SegmenterConstructor }).Segmenter
const segmenter = Segmenter ? new Segmenter('zh', { granularity: 'grapheme' }) : null

/**
 * Characters as a person sees them (an emoji with modifiers is one), not UTF-16 units. Node's
 * full-ICU builds (the cloud's runtimes) have Intl.Segmenter; without it, code points.
 */
export function visibleLength(s: string): number {
  if (!segmenter) return Array.from(s).length
  let n = 0
  for (const _ of segmenter.segment(s)) n += 1
  return n
}

export interface TextFieldOptions {
  /** The field's name in Chinese, for the message: 「门店名称不能超过 30 个字」. */
  label: string
  max: number
  min?: number
  multiline?: boolean
}

/**
 * Free text a person types and others read (store and brand names, titles, tags, nicknames,
 * addresses): normalised to NFC and trimmed, refused with a Chinese message when it holds
 * control or bidi-override characters or is too long in visible characters. The raw string is
 * capped first (12 × max UTF-16 units, room for emoji sequences) so a huge input costs nothing to refuse.
 */
export function textField(opts: TextFieldOptions) {
  const min = opts.min ?? 1
  const rawMax = opts.max * 12 + 16
  // One transform that stops at the first problem: zod runs later refinements even after a failed
  // max(), and segmenting a 200,000-character string took seconds (found by the bad-input sweep).
  return z.string({ invalid_type_error: `${opts.label}应为文字`, required_error: `请填写${opts.label}` }).transform((raw, ctx) => {
    const refuse = (message: string) => {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message })
      return z.NEVER
    }
    if (raw.length > rawMax) return refuse(`${opts.label}不能超过 ${opts.max} 个字`)
    const s = raw.normalize('NFC').trim()
    if (CONTROL.test(s) || (!opts.multiline && LINE_BREAKS.test(s))) return refuse(`${opts.label}含有不可见的控制字符`)
    if (BIDI.test(s)) return refuse(`${opts.label}含有改变文字方向的字符`)
    const length = visibleLength(s)
    if (length < min) return refuse(min === 1 ? `请填写${opts.label}` : `${opts.label}至少 ${min} 个字`)
    if (length > opts.max) return refuse(`${opts.label}不能超过 ${opts.max} 个字`)
    return s
  })
}
