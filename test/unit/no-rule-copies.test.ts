/**
 * Rules both sides need live once, in miniprogram/shared (the functions import them); who may do
 * what comes from admin.me's capabilities. This fails when a copy comes back into the pages.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const MP = join(__dirname, '../../miniprogram')
const SKIP = new Set(['shared', 'miniprogram_npm'])

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return SKIP.has(name) ? [] : tsFiles(p)
    return p.endsWith('.ts') ? [p] : []
  })
}

const ROLE = `'(?:owner|hq|manager|clerk)'`
const COPIES: { what: string; pattern: RegExp }[] = [
  { what: 'a list of roles', pattern: new RegExp(`\\[\\s*${ROLE}\\s*,`) },
  { what: 'a role check', pattern: new RegExp(`role\\s*[!=]==?\\s*${ROLE}`) },
  { what: 'a table keyed by role', pattern: new RegExp(`\\{\\s*(?:owner|hq|manager|clerk)\\s*:`) },
  { what: 'role names', pattern: /['"](?:老板|总部运营|店长|店员)['"]\s*[,}]/ },
  { what: 'a length limit of a name (STAFF_NAME_MAX in shared/text-limits)', pattern: /\bconst\s+NAME_MAX\b/ },
]

/** Every constant and function miniprogram/shared exports: declaring one again elsewhere is a copy. */
const SHARED_NAMES = readdirSync(join(MP, 'shared'))
  .filter((f) => f.endsWith('.ts'))
  .flatMap((f) => [...readFileSync(join(MP, 'shared', f), 'utf8').matchAll(/export\s+(?:const|function)\s+(\w+)/g)].map((m) => m[1]))

describe('no role or rule copies in the mini program', () => {
  const files = tsFiles(MP)

  it('scans the pages, components and lib', () => {
    expect(files.length).toBeGreaterThan(20)
  })

  it.each(COPIES)('no file outside miniprogram/shared holds $what', ({ pattern }) => {
    const offenders = files.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => relative(MP, f))
    expect(offenders).toEqual([])
  })

  it('declares none of the names miniprogram/shared exports (import them instead)', () => {
    expect(SHARED_NAMES).toEqual(expect.arrayContaining(['ROLE_NAMES', 'MAX_TIERS', 'STAFF_NAME_MAX', 'MANUAL_TAG_MAX', 'parseYuanToFen']))
    const declares = (text: string, name: string) => new RegExp(`(?:const|function|let)\\s+${name}\\b`).test(text)
    const offenders = files.flatMap((f) => {
      const text = readFileSync(f, 'utf8')
      return SHARED_NAMES.filter((n) => declares(text, n)).map((n) => `${relative(MP, f)}: ${n}`)
    })
    expect(offenders).toEqual([])
  })

  it('catches a copy when one is written', () => {
    const samples = ["const TAG_ROLES = ['owner', 'hq']", "if (staff.role === 'owner') x()", "const I = { owner: ['hq'] }", "const N = { a: '店长' }", 'const NAME_MAX = 20']
    for (const [i, s] of samples.entries()) expect(COPIES[i].pattern.test(s)).toBe(true)
  })
})
