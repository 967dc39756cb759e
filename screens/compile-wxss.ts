/**
 * WXSS → CSS for the browser, doing what WeChat's style compiler and runtime do:
 *  - inline `@import`s;
 *  - rpx → px (750 rpx = viewport width);
 *  - class selectors of a component get its exparser class prefix (`.a` → `.t-cell--a`), which
 *    is how component styles stay isolated; page and app styles keep the raw class too, so they
 *    reach elements of `apply-shared` components, and the prefixed form for external classes;
 *  - `:host` → the component's host tag, `page` → the page root, `view` → `wx-view` …;
 *  - relative `url()`s → absolute paths under the mini program root.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { rewriteIconRule } from './icons'

export const VIEWPORT_WIDTH = 375

/** Built-in components, rendered as `wx-<name>` elements. */
const BUILTIN_TAGS = new Set([
  'view', 'scroll-view', 'swiper', 'swiper-item', 'movable-area', 'movable-view', 'cover-view', 'cover-image', 'icon', 'text',
  'rich-text', 'progress', 'button', 'checkbox', 'checkbox-group', 'form', 'input', 'label', 'picker', 'picker-view',
  'picker-view-column', 'radio', 'radio-group', 'slider', 'switch', 'textarea', 'navigator', 'audio', 'image', 'video',
  'camera', 'map', 'canvas', 'open-data', 'web-view', 'ad', 'editor', 'block',
])

export interface CssRule {
  kind: 'rule'
  selector: string
  body: string
}
export interface CssAtBlock {
  kind: 'at-block'
  name: string
  params: string
  children: CssNode[] | null
  /** raw body for blocks we do not descend into (@keyframes, @font-face) */
  raw: string
}
export interface CssAtLine {
  kind: 'at-line'
  text: string
}
export type CssNode = CssRule | CssAtBlock | CssAtLine

function stripComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?\*\//g, '')
}

/** Index of the `}` matching the `{` at `open`, skipping strings. */
function matchBrace(css: string, open: number): number {
  let depth = 0
  for (let i = open; i < css.length; i++) {
    const ch = css[i]
    if (ch === '"' || ch === "'") {
      const end = css.indexOf(ch, i + 1)
      i = end < 0 ? css.length : end
    } else if (ch === '{') depth++
    else if (ch === '}') {
      depth--
      if (depth === 0) return i
    }
  }
  return css.length
}

export function parseCss(input: string): CssNode[] {
  const css = stripComments(input)
  const nodes: CssNode[] = []
  let i = 0
  while (i < css.length) {
    while (i < css.length && /[\s;]/.test(css[i])) i++
    if (i >= css.length) break
    const brace = css.indexOf('{', i)
    const semi = css.indexOf(';', i)
    if (css[i] === '@' && semi >= 0 && (brace < 0 || semi < brace)) {
      nodes.push({ kind: 'at-line', text: css.slice(i, semi + 1).trim() })
      i = semi + 1
      continue
    }
    if (brace < 0) break
    const head = css.slice(i, brace).trim()
    const close = matchBrace(css, brace)
    const body = css.slice(brace + 1, close)
    if (head.startsWith('@')) {
      const m = /^@([-\w]+)\s*([\s\S]*)$/.exec(head)
      const name = m ? m[1] : head.slice(1)
      const params = m ? m[2] : ''
      const nested = name === 'media' || name === 'supports' || name === 'document' || name === 'layer'
      nodes.push({ kind: 'at-block', name, params, children: nested ? parseCss(body) : null, raw: body })
    } else {
      nodes.push({ kind: 'rule', selector: head, body: body.trim() })
    }
    i = close + 1
  }
  return nodes
}

export function serializeCss(nodes: CssNode[]): string {
  return nodes
    .map((n) => {
      if (n.kind === 'rule') return `${n.selector}{${n.body}}`
      if (n.kind === 'at-line') return n.text
      return `@${n.name} ${n.params}{${n.children ? serializeCss(n.children) : n.raw}}`
    })
    .join('\n')
}

export function rpxToPx(text: string): string {
  return text.replace(/(\d*\.?\d+)rpx\b/gi, (_m, n: string) => `${round((Number(n) * VIEWPORT_WIDTH) / 750)}px`)
}

/**
 * Units that depend on the phone: rpx; vh is the page's web view (not the browser window), and
 * the safe-area inset is the phone's (the chrome sets both variables).
 */
export function convertUnits(text: string): string {
  return rpxToPx(text)
    .replace(/(\d*\.?\d+)vh\b/gi, (_m, n: string) => `calc(${n} * var(--screens-vh))`)
    .replace(/(?:env|constant)\(\s*safe-area-inset-bottom\s*\)/g, 'var(--screens-safe-bottom)')
    .replace(/(?:env|constant)\(\s*safe-area-inset-(?:top|left|right)\s*\)/g, '0px')
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000
}

/** Splits a selector list at top-level commas. */
function splitList(selector: string): string[] {
  const out: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i]
    if (ch === '(' || ch === '[') depth++
    else if (ch === ')' || ch === ']') depth--
    else if (ch === ',' && depth === 0) {
      out.push(selector.slice(start, i).trim())
      start = i + 1
    }
  }
  out.push(selector.slice(start).trim())
  return out.filter((s) => s.length > 0)
}

export interface SelectorContext {
  /** class prefix, or null for raw classes */
  prefix: string | null
  /** what `:host` becomes */
  hostTag: string
}

const IDENT = /^-?[_a-zA-Z\u00a0-\uffff][-_a-zA-Z0-9\u00a0-\uffff]*/

/** Rewrites one complex selector (no top-level commas). */
export function rewriteSelector(sel: string, ctx: SelectorContext): string {
  let out = ''
  let i = 0
  let compoundStart = true
  while (i < sel.length) {
    const ch = sel[i]
    const rest = sel.slice(i)
    if (ch === '[') {
      const end = sel.indexOf(']', i)
      const stop = end < 0 ? sel.length : end + 1
      out += sel.slice(i, stop)
      i = stop
      compoundStart = false
    } else if (ch === '.') {
      const m = IDENT.exec(rest.slice(1))
      if (!m) {
        out += ch
        i++
        continue
      }
      out += ctx.prefix ? `.${ctx.prefix}--${m[0]}` : `.${m[0]}`
      i += 1 + m[0].length
      compoundStart = false
    } else if (ch === '#') {
      const m = IDENT.exec(rest.slice(1))
      const len = 1 + (m ? m[0].length : 0)
      out += sel.slice(i, i + len)
      i += len
      compoundStart = false
    } else if (ch === ':') {
      const colons = rest.startsWith('::') ? 2 : 1
      const m = IDENT.exec(rest.slice(colons))
      const name = m ? m[0] : ''
      let j = i + colons + name.length
      let args: string | null = null
      if (sel[j] === '(') {
        let depth = 0
        let k = j
        for (; k < sel.length; k++) {
          if (sel[k] === '(') depth++
          else if (sel[k] === ')' && --depth === 0) break
        }
        args = sel.slice(j + 1, k)
        j = k + 1
      }
      if (colons === 1 && name === 'host') {
        out += ctx.hostTag + (args ? rewriteSelector(args, ctx) : '')
      } else if (args !== null && ['not', 'is', 'where', 'has'].includes(name)) {
        out += `:${name}(${splitList(args).map((a) => rewriteSelector(a, ctx)).join(', ')})`
      } else {
        out += sel.slice(i, j)
      }
      i = j
      compoundStart = false
    } else if (/[\s>+~]/.test(ch)) {
      out += ch
      i++
      compoundStart = true
    } else if (compoundStart && IDENT.test(rest)) {
      const tag = (IDENT.exec(rest) as RegExpExecArray)[0]
      out += BUILTIN_TAGS.has(tag) ? `wx-${tag}` : tag
      i += tag.length
      compoundStart = false
    } else {
      out += ch
      i++
      compoundStart = false
    }
  }
  return out
}

export type StyleScope =
  /** a component: classes prefixed only */
  | { kind: 'component'; prefix: string; hostTag: string }
  /** a page (and app.wxss for it): raw classes, plus the page's prefix for external classes */
  | { kind: 'page'; prefix: string }

function rewriteRules(nodes: CssNode[], scope: StyleScope, fileDir: string): CssNode[] {
  const out: CssNode[] = []
  for (const n of nodes) {
    if (n.kind === 'at-line') {
      if (!/^@(import|charset)\b/i.test(n.text)) out.push(n)
      continue
    }
    if (n.kind === 'at-block') {
      if (n.name === 'font-face' && /https?:\/\//.test(n.raw)) continue // remote fonts are unreachable
      out.push({ ...n, params: rpxToPx(n.params), children: n.children ? rewriteRules(n.children, scope, fileDir) : null, raw: n.children ? '' : convertUnits(n.raw) })
      continue
    }
    const selectors = splitList(n.selector).flatMap((s) => {
      if (scope.kind === 'component') return [rewriteSelector(s, { prefix: scope.prefix, hostTag: scope.hostTag })]
      const raw = rewriteSelector(s, { prefix: null, hostTag: 'page' })
      const prefixed = rewriteSelector(s, { prefix: scope.prefix, hostTag: 'page' })
      return raw === prefixed ? [raw] : [raw, prefixed]
    })
    const body = rewriteUrls(convertUnits(n.body), fileDir)
    const icon = rewriteIconRule(selectors, body)
    out.push({ kind: 'rule', selector: selectors.join(','), body: icon ?? body })
  }
  return out
}

function rewriteUrls(body: string, fileDir: string): string {
  return body.replace(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g, (all, q: string, url: string) => {
    if (/^(data:|https?:|\/\/|#)/.test(url)) return all
    const abs = url.startsWith('/') ? url : `/${posix.normalize(posix.join(fileDir, url))}`
    return `url(${q}${abs}${q})`
  })
}

/** Reads a WXSS file with its @imports inlined (paths relative to the mini program root). */
export function readWxss(root: string, path: string, seen: Set<string> = new Set()): string {
  const file = join(root, path)
  if (seen.has(path) || !existsSync(file)) return ''
  seen.add(path)
  const text = readFileSync(file, 'utf8')
  return text.replace(/@import\s+(?:url\()?\s*['"]([^'"]+)['"]\s*\)?\s*;?/g, (_all, spec: string) => {
    const target = spec.startsWith('/') ? spec.slice(1) : posix.normalize(posix.join(posix.dirname(path), spec))
    return readWxss(root, target.endsWith('.wxss') ? target : `${target}.wxss`, seen)
  })
}

/** One WXSS file (path relative to root, e.g. 'pages/home/index.wxss') → CSS for `scope`. */
export function compileWxss(root: string, path: string, scope: StyleScope): string {
  const source = readWxss(root, path)
  if (!source) return ''
  return serializeCss(rewriteRules(parseCss(source), scope, posix.dirname(path)))
}
