/**
 * npm run build: bundles each cloud function into a deployable folder and packs the mini
 * program's npm dependencies the way DevTools' "构建 npm" does.
 *   dist/cloudfunctions/<name>/{index.js, package.json, config.json?}
 *   miniprogram/miniprogram_npm/
 */
import { build } from 'esbuild'
import { existsSync, mkdirSync, readdirSync, copyFileSync, writeFileSync, rmSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { subsetIconStylesheet } from './icons'
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
 * `deployed`: the configuration written next to each bundle (services/deploy-config.ts reads
 * it); npm run deploy passes the merchant's, everything else the local placeholders.
 */
export async function buildFunctions(opts: { outDir?: string; minify?: boolean; deployed?: DeployedConfig } = {}): Promise<string[]> {
  const outDir = opts.outDir ?? FUNCTIONS_OUT_DIR
  const names = listFunctions()
  rmSync(outDir, { recursive: true, force: true })
  await Promise.all(
    names.map(async (name) => {
      const dir = join(outDir, name)
      mkdirSync(dir, { recursive: true })
      await build({
        entryPoints: [join(SOURCE_DIR, name, 'index.ts')],
        outfile: join(dir, 'index.js'),
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
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name, version: '1.0.0', main: 'index.js', dependencies: { 'wx-server-sdk': sdkVersion() } }, null, 2) + '\n',
      )
      writeFileSync(join(dir, DEPLOYED_CONFIG_FILE), JSON.stringify(opts.deployed ?? LOCAL_DEPLOYED_CONFIG, null, 2) + '\n')
      // config.json goes with the function as it is: timeout, triggers and permissions.openapi
      // (the open APIs it may call; the cloud refuses any other with -604101).
      const config = join(SOURCE_DIR, name, 'config.json')
      if (existsSync(config)) {
        checkConfig(name, config)
        copyFileSync(config, join(dir, 'config.json'))
      }
    }),
  )
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

export async function packMiniprogramNpm(): Promise<{ packed: number }> {
  // miniprogram-ci is heavy to load; only pay for it when packing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ci = require('miniprogram-ci') as typeof import('miniprogram-ci')
  const result = await ci.packNpmManually({
    packageJsonPath: join(ROOT, 'package.json'),
    miniprogramNpmDistDir: join(ROOT, 'miniprogram'),
  })
  // t-icon ships every glyph of a CDN font; keep only the icons the app draws (scripts/icons.ts)
  subsetIconStylesheet(join(ROOT, 'miniprogram'))
  return { packed: result.miniProgramPackNum + result.otherNpmPackNum }
}

async function cli(): Promise<void> {
  const functionsOnly = process.argv.includes('--functions-only')
  const started = Date.now()
  const names = await buildFunctions()
  console.log(`cloud functions → dist/cloudfunctions: ${names.join(', ')}`)
  if (!functionsOnly) {
    const { packed } = await packMiniprogramNpm()
    console.log(`miniprogram npm packed → miniprogram/miniprogram_npm (${packed} packages)`)
  }
  console.log(`build done in ${Date.now() - started} ms`)
}

if (process.argv[1] && resolve(process.argv[1]) === __filename) {
  cli().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
