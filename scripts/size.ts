/**
 * npm run size: the main package and each subpackage as DevTools counts them — only files that
 * are reachable from app.json (pages, usingComponents, wxml/wxss/js dependencies) and so
 * uploaded with `ignoreUploadUnusedFiles` — measured by miniprogram-ci's own analyser on a
 * staged copy where TypeScript is compiled to JavaScript as the DevTools plugin would.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { stageMiniprogram, throwawayKey } from './stage-miniprogram'
import { join, relative, resolve } from 'node:path'
import { packMiniprogramNpm, ROOT } from './build'
import { subsetIconStylesheet } from './icons'

const KB = 1024
/** DevTools' own warning line for the main package. */
export const DEVTOOLS_MAIN_LIMIT = 1.5 * KB * KB
/**
 * Our stricter budgets. The main package is downloaded before the first page shows on every
 * cold start (often on 4G at a shop counter), so it stays under 350 KB; each subpackage (admin,
 * games) loads on demand and stays under 600 KB.
 */
export const BUDGETS = { main: 350 * KB, subpackage: 600 * KB }
/** How many of a package's biggest files the report lists. */
const BIGGEST = 10

const STAGE = join(ROOT, '.tmp', 'size-stage')

async function stage(): Promise<string> {
  await stageMiniprogram(STAGE)
  // as `npm run build` leaves it, even if miniprogram_npm was packed by an older build or DevTools
  if (!subsetIconStylesheet(join(STAGE, 'miniprogram'))) {
    // a figure without TDesign would be meaningless (miniprogram-ci's packer, which globs with
    // `**`, finds nothing in a node_modules that is a symlink)
    throw new Error('size: miniprogram/miniprogram_npm has no tdesign-miniprogram; run npm run build (with node_modules a real folder) first')
  }
  throwawayKey(join(STAGE, 'dummy.key'))
  return STAGE
}

export interface PackageSize {
  name: string
  bytes: number
  files: number
  budget: number
  /** its biggest files, largest first (paths relative to the mini program root) */
  biggest: { path: string; bytes: number }[]
}

export async function measureSizes(): Promise<PackageSize[]> {
  if (!existsSync(join(ROOT, 'miniprogram', 'miniprogram_npm'))) await packMiniprogramNpm()
  const dir = await stage()
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ci = require('miniprogram-ci') as typeof import('miniprogram-ci')
  const project = new ci.Project({ appid: 'wx0000000000000000', type: 'miniProgram', projectPath: dir, privateKeyPath: join(dir, 'dummy.key'), ignores: [] })
  const result = await ci.analyseCode(project, { silent: true })
  if (!result) throw new Error('miniprogram-ci analyseCode returned nothing')
  const app = JSON.parse(readFileSync(join(ROOT, 'miniprogram', 'app.json'), 'utf8')) as {
    subPackages?: { root: string; name?: string }[]
    tabBar?: { list: { iconPath?: string; selectedIconPath?: string }[] }
  }
  const sizes = new Map<string, PackageSize>([['main', { name: 'main', bytes: 0, files: 0, budget: BUDGETS.main, biggest: [] }]])
  for (const sp of app.subPackages ?? []) {
    sizes.set(sp.root.replace(/\/$/, ''), { name: sp.root.replace(/\/$/, ''), bytes: 0, files: 0, budget: BUDGETS.subpackage, biggest: [] })
  }
  for (const file of result.files) {
    if (!file.moduleId) continue // not reachable, so not uploaded
    const root = (app.subPackages ?? []).map((s) => s.root.replace(/\/$/, '')).find((r) => file.path.startsWith(`${r}/`))
    const entry = sizes.get(root ?? 'main')!
    entry.bytes += file.size
    entry.files += 1
    entry.biggest.push({ path: file.path, bytes: file.size })
  }
  // app.json, app.js and friends are always uploaded; the analyser lists them without module ids,
  // and so the tab bar's icons, which app.json names.
  const main = sizes.get('main')!
  const tabIcons = (app.tabBar?.list ?? []).flatMap((t) => [t.iconPath, t.selectedIconPath]).filter((p): p is string => !!p)
  for (const f of new Set(['app.json', 'app.js', 'app.wxss', 'sitemap.json', ...tabIcons.map((p) => p.replace(/^\//, ''))])) {
    const p = join(dir, 'miniprogram', f)
    if (existsSync(p) && !result.files.some((x) => x.path === f && x.moduleId)) {
      main.bytes += statSync(p).size
      main.files += 1
      main.biggest.push({ path: f, bytes: statSync(p).size })
    }
  }
  for (const s of sizes.values()) s.biggest = s.biggest.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path)).slice(0, BIGGEST)
  return [...sizes.values()]
}

function fmt(bytes: number): string {
  return `${(bytes / KB).toFixed(1)} KB`
}

async function cli(): Promise<void> {
  const sizes = await measureSizes()
  let over = false
  console.log('package        files      size     budget   status')
  for (const s of sizes) {
    const ok = s.bytes <= s.budget && (s.name !== 'main' || s.bytes <= DEVTOOLS_MAIN_LIMIT)
    over ||= !ok
    console.log(`${s.name.padEnd(12)} ${String(s.files).padStart(7)} ${fmt(s.bytes).padStart(10)} ${fmt(s.budget).padStart(10)}   ${ok ? 'ok' : 'OVER BUDGET'}`)
  }
  const total = sizes.reduce((a, s) => a + s.bytes, 0)
  console.log(`total        ${fmt(total).padStart(18)}   (DevTools warns above ${fmt(DEVTOOLS_MAIN_LIMIT)} for the main package)`)
  for (const s of sizes) {
    console.log(`\nbiggest files of ${s.name}:`)
    for (const f of s.biggest) console.log(`  ${fmt(f.bytes).padStart(9)}  ${f.path}`)
  }
  console.log(`\nstaged copy: ${relative(ROOT, STAGE)}`)
  // miniprogram-ci leaves a file watcher running; the figures are out, so end here.
  process.exit(over ? 1 : 0)
}

if (process.argv[1] && resolve(process.argv[1]) === __filename) {
  cli().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}

