/**
 * DevTools' code-quality item 「主包内不应含有仅被其他分包依赖的 JS」 (CONTAINS_OTHER_PKG_JS): a
 * plain JS module in the main package that no main-package file requires is downloaded on every
 * cold start for nothing. In the repository the rules both sides share live in miniprogram/shared
 * and miniprogram/lib (one copy, imported by relative path by the pages and the cloud functions);
 * on the staged copy that is measured and uploaded, each such module is copied into every
 * subpackage that requires it (under `<root>/_main/<its path>`), the requiring files point at the
 * copy, and the main-package original is dropped. Repeated until nothing moves, since a moved
 * module's own dependencies may then be required from subpackages only too.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, posix, relative, sep } from 'node:path'

/** Where a subpackage keeps its copies of main-package modules. */
export const COPIES_DIR = '_main'

/** `require("./x")` / `require('../x')` as esbuild's CommonJS output writes them. */
const REQUIRE = /\brequire\((["'])(\.{1,2}\/[^"']+)\1\)/g

export interface Relocation {
  /** main-package module, relative to the mini program root (posix) */
  module: string
  /** where copies went, relative to the mini program root */
  copies: string[]
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}

const toPosix = (p: string): string => p.split(sep).join('/')

/** The file a relative require names, as the mini program runtime resolves it (x.js, x/index.js). */
function resolveRequire(fromFile: string, spec: string): string | null {
  const base = join(dirname(fromFile), spec)
  for (const candidate of [base, `${base}.js`, join(base, 'index.js')]) {
    if (candidate.endsWith('.js') && existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return null
}

function requireSpec(fromFile: string, target: string): string {
  const rel = toPosix(relative(dirname(fromFile), target)).replace(/\.js$/, '')
  return rel.startsWith('.') ? rel : `./${rel}`
}

/**
 * Moves the main package's subpackage-only JS modules of the compiled mini program at `mpRoot`
 * into the subpackages (`subpackageRoots` as app.json names them). Pages and components (a JS
 * file with a .json beside it) and app.js stay where they are: the runtime loads them by path.
 */
export function relocateSubpackageOnlyJs(mpRoot: string, subpackageRoots: string[]): Relocation[] {
  const roots = subpackageRoots.map((r) => r.replace(/^\/|\/$/g, ''))
  const packageOf = (file: string): string => {
    const rel = toPosix(relative(mpRoot, file))
    return roots.find((r) => rel.startsWith(`${r}/`)) ?? ''
  }
  const isJsModule = (file: string) => file.endsWith('.js') && !toPosix(relative(mpRoot, file)).startsWith('miniprogram_npm/')
  const movable = (file: string) => packageOf(file) === '' && !existsSync(file.replace(/\.js$/, '.json')) && toPosix(relative(mpRoot, file)) !== 'app.js'

  const done: Relocation[] = []
  for (;;) {
    const files = walk(mpRoot).filter(isJsModule)
    // who requires each file
    const requirers = new Map<string, Set<string>>()
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(REQUIRE)) {
        const target = resolveRequire(file, m[2])
        if (!target) continue
        if (!requirers.has(target)) requirers.set(target, new Set())
        requirers.get(target)!.add(file)
      }
    }
    const moving = [...requirers.entries()].filter(([target, from]) => movable(target) && [...from].every((f) => packageOf(f) !== ''))
    if (moving.length === 0) return done
    for (const [target, from] of moving) {
      const rel = toPosix(relative(mpRoot, target))
      const source = readFileSync(target, 'utf8')
      const copies: string[] = []
      for (const root of new Set([...from].map(packageOf))) {
        const copy = join(mpRoot, root, COPIES_DIR, rel)
        mkdirSync(dirname(copy), { recursive: true })
        // the copy's own requires still name the originals (moved in a later round if they qualify)
        writeFileSync(
          copy,
          source.replace(REQUIRE, (whole, q: string, spec: string) => {
            const dep = resolveRequire(target, spec)
            return dep ? `require(${q}${requireSpec(copy, dep)}${q})` : whole
          }),
        )
        copies.push(posix.join(root, COPIES_DIR, rel))
        for (const f of [...from].filter((x) => packageOf(x) === root)) {
          const text = readFileSync(f, 'utf8')
          writeFileSync(
            f,
            text.replace(REQUIRE, (whole, q: string, spec: string) => (resolveRequire(f, spec) === target ? `require(${q}${requireSpec(f, copy)}${q})` : whole)),
          )
        }
      }
      rmSync(target)
      done.push({ module: rel, copies })
    }
  }
}
