/**
 * npm run build: bundles each cloud function into a deployable folder and packs the mini
 * program's npm dependencies the way DevTools' "构建 npm" does.
 *   dist/cloudfunctions/<name>/{index.js, package.json, config.json?}
 *   miniprogram/miniprogram_npm/
 */
import { build, version as esbuildVersion } from 'esbuild'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, copyFileSync, writeFileSync, rmSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { PACKED_ICON_WXSS, subsetIconStylesheet } from './icons'
import { DEPLOYED_CONFIG_FILE, SUBSCRIBE_TEMPLATE_KEYS, type DeployedConfig, type SubscribeTemplateKey } from '../cloudfunctions/services/deploy-config'

export const ROOT = resolve(__dirname, '..')
const SOURCE_DIR = join(ROOT, 'cloudfunctions')
export const FUNCTIONS_OUT_DIR = join(ROOT, 'dist', 'cloudfunctions')
/** Folders under cloudfunctions/ that are shared code, not deployable functions. */
const NOT_FUNCTIONS = new Set(['shared', 'domain'])

export function listFunctions(): string[] {
  return readdirSync(SOURCE_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_FUNCTIONS.has(d.name) && existsSync(join(SOURCE_DIR, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort()
}

function sdkVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'wx-server-sdk', 'package.json'), 'utf8')) as { version: string }
  return pkg.version
}

/** What local builds (npm run build, the local cloud, tests) bundle: placeholders that say where they came from. */
export const LOCAL_DEPLOYED_CONFIG: DeployedConfig = {
  brandName: '会员中心',
  subscribeTemplates: Object.fromEntries(SUBSCRIBE_TEMPLATE_KEYS.map((k) => [k, `local-template-${k}`])) as Record<SubscribeTemplateKey, string>,
  source: 'local',
}

/**
 * Beside a build's output: what it was built with and the hash of every file it read (esbuild's
 * metafile inputs, the config.json files, this script). The same build asked for again with none
 * of them changed is reused rather than redone: `npm test` builds, then the cloud tests' global
 * setup, the screenshots, the journeys and the bench ask for the same build.
 */
const BUILD_STAMP = '.build-stamp.json'

interface BuildStamp {
  key: string
  names: string[]
  /** path relative to ROOT → sha1 of its content */
  inputs: Record<string, string>
}

const sha1 = (data: string | Buffer): string => createHash('sha1').update(data).digest('hex')
const fileHash = (rel: string): string | null => {
  const abs = join(ROOT, rel)
  return existsSync(abs) ? sha1(readFileSync(abs)) : null
}

function buildKey(opts: { minify: boolean; deployed: DeployedConfig }): string {
  return sha1(JSON.stringify({ minify: opts.minify, deployed: opts.deployed, esbuild: esbuildVersion, sdk: sdkVersion(), script: fileHash(relative(ROOT, __filename)) }))
}

/** The names built, when `outDir` holds exactly the build `key` asks for from the files as they are now. */
function reusableBuild(outDir: string, key: string, names: string[]): boolean {
  const file = join(outDir, BUILD_STAMP)
  if (!existsSync(file)) return false
  let stamp: BuildStamp
  try {
    stamp = JSON.parse(readFileSync(file, 'utf8')) as BuildStamp
  } catch {
    return false
  }
  if (stamp.key !== key || stamp.names.join() !== names.join()) return false
  if (!names.every((n) => ['index.js', 'package.json', DEPLOYED_CONFIG_FILE].every((f) => existsSync(join(outDir, n, f))))) return false
  return Object.entries(stamp.inputs).every(([rel, hash]) => (fileHash(rel) ?? '') === hash)
}

/**
 * `deployed`: the configuration written next to each bundle (services/deploy-config.ts reads
 * it); npm run deploy passes the merchant's, everything else the local placeholders.
 * `fresh`: build even when an identical build is already there (deploy does).
 */
export async function buildFunctions(opts: { outDir?: string; minify?: boolean; deployed?: DeployedConfig; fresh?: boolean } = {}): Promise<string[]> {
  const outDir = opts.outDir ?? FUNCTIONS_OUT_DIR
  const names = listFunctions()
  const key = buildKey({ minify: opts.minify ?? false, deployed: opts.deployed ?? LOCAL_DEPLOYED_CONFIG })
  if (!opts.fresh && reusableBuild(outDir, key, names)) return names
  rmSync(outDir, { recursive: true, force: true })
  const inputs = new Set<string>([relative(ROOT, __filename)])
  await Promise.all(
    names.map(async (name) => {
      const dir = join(outDir, name)
      mkdirSync(dir, { recursive: true })
      const result = await build({
        entryPoints: [join(SOURCE_DIR, name, 'index.ts')],
        outfile: join(dir, 'index.js'),
        absWorkingDir: ROOT,
        metafile: true,
        bundle: true,
        platform: 'node',
        // The cloud's Node.js 16 runtime is the oldest we deploy to.
        target: 'node16',
        format: 'cjs',
        external: ['wx-server-sdk'],
        minify: opts.minify ?? false,
        sourcemap: false,
        legalComments: 'none',
        logLevel: 'warning',
      })
      for (const input of Object.keys(result.metafile.inputs)) inputs.add(input)
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name, version: '1.0.0', main: 'index.js', dependencies: { 'wx-server-sdk': sdkVersion() } }, null, 2) + '\n',
      )
      writeFileSync(join(dir, DEPLOYED_CONFIG_FILE), JSON.stringify(opts.deployed ?? LOCAL_DEPLOYED_CONFIG, null, 2) + '\n')
      // config.json goes with the function as it is: timeout, triggers and permissions.openapi
      // (the open APIs it may call; the cloud refuses any other with -604101).
      const config = join(SOURCE_DIR, name, 'config.json')
      inputs.add(relative(ROOT, config)) // its absence is recorded too: one added later rebuilds
      if (existsSync(config)) {
        checkConfig(name, config)
        copyFileSync(config, join(dir, 'config.json'))
      }
    }),
  )
  const stamp: BuildStamp = { key, names, inputs: Object.fromEntries([...inputs].sort().map((rel) => [rel, fileHash(rel) ?? ''])) }
  writeFileSync(join(outDir, BUILD_STAMP), JSON.stringify(stamp) + '\n')
  return names
}

/** Fails the build on a malformed open-API declaration rather than at the first refused call. */
function checkConfig(name: string, file: string): void {
  const config = JSON.parse(readFileSync(file, 'utf8')) as { permissions?: { openapi?: unknown } }
  const openapi = config.permissions?.openapi
  if (openapi === undefined) return
  if (!Array.isArray(openapi) || !openapi.every((a) => typeof a === 'string' && /^[A-Za-z]\w*\.[A-Za-z]\w*$/.test(a))) {
    throw new Error(`cloudfunctions/${name}/config.json: permissions.openapi must list API names such as "subscribeMessage.send"`)
  }
}

/** Whether the mini program's npm packages (TDesign first) are packed into miniprogram_npm. */
export function miniprogramNpmPacked(): boolean {
  return existsSync(join(ROOT, 'miniprogram', 'miniprogram_npm', 'tdesign-miniprogram'))
}

/**
 * What a pack is made from: the mini program's dependencies as installed, and the icon subset.
 * The same pack asked for again (npm test's build, then the size check, the deploy) is reused.
 */
const PACK_STAMP = join(ROOT, '.tmp', 'miniprogram-npm-stamp.json')

function packKey(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
  const deps = Object.keys(pkg.dependencies ?? {}).sort()
  const installed = [...deps, 'tdesign-icons-svg'].map((d) => [d, fileHash(join('node_modules', d, 'package.json'))])
  return sha1(JSON.stringify({ deps: pkg.dependencies ?? {}, installed, icons: fileHash(join('scripts', 'icons.ts')), script: fileHash(relative(ROOT, __filename)) }))
}

const packedIconsHash = (): string | null => fileHash(join('miniprogram', PACKED_ICON_WXSS))

export async function packMiniprogramNpm(opts: { fresh?: boolean } = {}): Promise<{ packed: number; reused: boolean }> {
  const key = packKey()
  if (!opts.fresh && miniprogramNpmPacked() && existsSync(PACK_STAMP)) {
    try {
      const stamp = JSON.parse(readFileSync(PACK_STAMP, 'utf8')) as { key: string; icons: string; packed: number }
      if (stamp.key === key && stamp.icons === packedIconsHash()) return { packed: stamp.packed, reused: true }
    } catch {
      // unreadable stamp: pack again
    }
  }
  // miniprogram-ci is heavy to load; only pay for it when packing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ci = require('miniprogram-ci') as typeof import('miniprogram-ci')
  const result = await ci.packNpmManually({
    packageJsonPath: join(ROOT, 'package.json'),
    miniprogramNpmDistDir: join(ROOT, 'miniprogram'),
  })
  // t-icon ships every glyph of a CDN font; keep only the icons the app draws (scripts/icons.ts)
  subsetIconStylesheet(join(ROOT, 'miniprogram'))
  const packed = result.miniProgramPackNum + result.otherNpmPackNum
  mkdirSync(join(ROOT, '.tmp'), { recursive: true })
  writeFileSync(PACK_STAMP, JSON.stringify({ key, icons: packedIconsHash(), packed }) + '\n')
  return { packed, reused: false }
}

async function cli(): Promise<void> {
  const functionsOnly = process.argv.includes('--functions-only')
  const started = Date.now()
  const names = await buildFunctions({ fresh: process.argv.includes('--fresh') })
  console.log(`cloud functions → dist/cloudfunctions: ${names.join(', ')} (an unchanged build is reused; --fresh builds anyway)`)
  if (!functionsOnly) {
    const { packed, reused } = await packMiniprogramNpm()
    console.log(`miniprogram npm ${reused ? 'up to date' : 'packed'} → miniprogram/miniprogram_npm (${packed} packages)`)
  }
  console.log(`build done in ${Date.now() - started} ms`)
}

if (process.argv[1] && resolve(process.argv[1]) === __filename) {
  cli().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
