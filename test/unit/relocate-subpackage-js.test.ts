/**
 * The staging step that keeps subpackage-only JS out of the main package (DevTools'
 * CONTAINS_OTHER_PKG_JS), on a small compiled tree: what moves, what stays, and that every
 * rewritten require still loads the same code.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { relocateSubpackageOnlyJs } from '../../scripts/relocate-subpackage-js'

let root = ''
const write = (rel: string, text: string) => {
  mkdirSync(dirname(join(root, rel)), { recursive: true })
  writeFileSync(join(root, rel), text)
}
const exists = (rel: string) => existsSync(join(root, rel))
const load = (rel: string): Record<string, unknown> => {
  const file = join(root, rel)
  const req = createRequire(file)
  delete req.cache[req.resolve(file)]
  return req(file) as Record<string, unknown>
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'relocate-'))
  write('app.js', 'require("./lib/both");')
  write('app.json', '{}')
  // used by the main package and admin: stays
  write('lib/both.js', 'exports.both="both";')
  // used by admin only, and needs a helper only it uses: both move, in two rounds
  write('shared/admin-rule.js', 'const h=require("./admin-helper");const b=require("../lib/both");exports.rule=h.helper+"+"+b.both;')
  write('shared/admin-helper.js', "exports.helper='helper';")
  // used by two subpackages: a copy in each
  write('shared/two.js', 'exports.two=2;')
  // a main-package component only admin uses: loaded by path, never moved
  write('components/chip/index.js', 'exports.chip=1;')
  write('components/chip/index.json', '{"component":true}')
  write('pages/home/index.js', 'const b=require("../../lib/both");exports.page=b.both;')
  write('pages/home/index.json', '{}')
  write('admin/pages/settings/index.js', 'const r=require("../../../shared/admin-rule");const t=require(\'../../../shared/two\');const c=require("../../../components/chip/index");exports.out=[r.rule,t.two,c.chip];')
  write('admin/pages/settings/index.json', '{}')
  write('coupons/pages/center/index.js', 'const t=require("../../../shared/two.js");exports.out=t.two;')
  write('coupons/pages/center/index.json', '{}')
  write('miniprogram_npm/pkg/index.js', 'exports.npm=1;')
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('relocateSubpackageOnlyJs', () => {
  it('moves what only subpackages require into each of them, keeps the rest, and every require still loads', () => {
    const moved = relocateSubpackageOnlyJs(root, ['admin/', 'coupons', 'legal'])
    expect(moved.map((m) => [m.module, [...m.copies].sort()]).sort()).toEqual([
      ['shared/admin-helper.js', ['admin/_main/shared/admin-helper.js']],
      ['shared/admin-rule.js', ['admin/_main/shared/admin-rule.js']],
      ['shared/two.js', ['admin/_main/shared/two.js', 'coupons/_main/shared/two.js']],
    ])
    for (const gone of ['shared/admin-rule.js', 'shared/admin-helper.js', 'shared/two.js']) expect([gone, exists(gone)]).toEqual([gone, false])
    for (const kept of ['lib/both.js', 'components/chip/index.js', 'app.js', 'miniprogram_npm/pkg/index.js']) expect([kept, exists(kept)]).toEqual([kept, true])
    // the copy points back at the main package's module for what the main package still uses
    expect(readFileSync(join(root, 'admin/_main/shared/admin-rule.js'), 'utf8')).toContain('require("../../../lib/both")')
    expect(load('admin/pages/settings/index.js').out).toEqual(['helper+both', 2, 1])
    expect(load('coupons/pages/center/index.js').out).toBe(2)
    expect(load('pages/home/index.js').page).toBe('both')
  })

  it('changes nothing when every module is required from the main package', () => {
    write('pages/home/index.js', 'require("../../shared/admin-rule");require("../../shared/two");')
    const before = readFileSync(join(root, 'admin/pages/settings/index.js'), 'utf8')
    expect(relocateSubpackageOnlyJs(root, ['admin', 'coupons'])).toEqual([])
    expect(readFileSync(join(root, 'admin/pages/settings/index.js'), 'utf8')).toBe(before)
  })
})
