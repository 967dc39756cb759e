/**
 * npm run deploy: puts the product on a real WeChat Cloud Development environment.
 *   1. builds the functions (minified) and packs the mini program's npm packages;
 *   2. uploads every function in dist/cloudfunctions to the environment (wx-server-sdk installed
 *      by the cloud: remoteNpmInstall), and creates the timer triggers its config.json declares;
 *   3. prints the collections and indexes from database/schema.ts to create in the console
 *      (云开发控制台 → 数据库), since miniprogram-ci has no API for them;
 *   4. uploads the mini program as a development version with cloud mode and your env id.
 *
 * It also prints the environment variables each function reads (set them in the console:
 * miniprogram-ci cannot), found in each built function's code.
 *
 * Needs, from the environment (never committed): WX_APPID, WX_PRIVATE_KEY_PATH (the upload key
 * from 微信公众平台 → 开发管理 → 小程序代码上传), CLOUD_ENV_ID; optional VERSION, DESC.
 * `--dry-run` does everything that needs no network and prints what would be uploaded.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildFunctions, FUNCTIONS_OUT_DIR, packMiniprogramNpm, ROOT } from './build'
import { stageMiniprogram, throwawayKey } from './stage-miniprogram'
import { schema } from '../database/schema'
import { WECHAT_PAY_ENV_VARS } from '../cloudfunctions/services/wechat-pay'

/**
 * Every environment variable a product function reads, with what to put in it. A function needs
 * the ones its built code mentions (functionEnvVars), so the list follows the code.
 */
const FUNCTION_ENV_VARS: readonly { name: string; description: string }[] = [
  ...WECHAT_PAY_ENV_VARS,
  // cloudfunctions/admin/bootstrap.ts (SETUP_KEY_ENV)
  { name: 'OWNER_SETUP_KEY', description: '店主初始化口令（16 位以上随机字符，绑定首位店主时使用）' },
]

/** The variables a built function's code reads. */
function functionEnvVars(functionDir: string): { name: string; description: string }[] {
  const file = join(functionDir, 'index.js')
  const code = existsSync(file) ? readFileSync(file, 'utf8') : ''
  return FUNCTION_ENV_VARS.filter((v) => new RegExp(`\\b${v.name}\\b`).test(code))
}

function printEnvVars(names: string[], envId: string): void {
  console.log(`Environment variables to set per function (云开发控制台 → 环境 ${envId} → 云函数 → <函数> → 版本与配置 → 环境变量):`)
  for (const name of names) {
    const vars = functionEnvVars(join(FUNCTIONS_OUT_DIR, name))
    if (vars.length === 0) console.log(`  ${name}: none`)
    for (const v of vars) console.log(`  ${name}: ${v.name} — ${v.description}`)
  }
}

function required(name: string, dryRun: boolean): string {
  const v = process.env[name]
  if (v) return v
  if (dryRun) return `<${name}>`
  throw new Error(`${name} is not set: see the header of scripts/deploy.ts`)
}

interface TriggerConfig {
  name: string
  type: string
  config: string
}

function triggersOf(name: string): TriggerConfig[] {
  const file = join(FUNCTIONS_OUT_DIR, name, 'config.json')
  if (!existsSync(file)) return []
  const config = JSON.parse(readFileSync(file, 'utf8')) as { triggers?: TriggerConfig[] }
  return (config.triggers ?? []).filter((t) => t.type === 'timer')
}

async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run')
  const appid = required('WX_APPID', dryRun)
  // .tmp/ is git-ignored, so a fresh clone does not have it.
  mkdirSync(join(ROOT, '.tmp'), { recursive: true })
  const keyPath = dryRun ? throwawayKey(join(ROOT, '.tmp', 'deploy-dry-run.key')) : required('WX_PRIVATE_KEY_PATH', false)
  const envId = required('CLOUD_ENV_ID', dryRun)

  const names = await buildFunctions({ minify: true })
  await packMiniprogramNpm()
  const stageDir = join(ROOT, '.tmp', 'deploy-stage')
  await stageMiniprogram(stageDir, { appid, cloudConfig: { mode: 'cloud', envId, gatewayUrl: '', devOpenid: '' } })

  console.log('Collections and indexes to create in the cloud console (数据库):')
  for (const [name, spec] of Object.entries(schema)) {
    const idx = spec.indexes.map((i) => `${i.name}${i.unique ? ' (unique)' : ''}: ${JSON.stringify(i.keys)}`).join('; ')
    console.log(`  ${name}${idx ? `  —  ${idx}` : ''}`)
  }
  printEnvVars(names, envId)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ci = require('miniprogram-ci') as typeof import('miniprogram-ci')
  const project = new ci.Project({ appid, type: 'miniProgram', projectPath: stageDir, privateKeyPath: keyPath, ignores: [] })
  if (dryRun) {
    for (const name of names) for (const t of triggersOf(name)) console.log(`  ${name}: timer trigger ${t.name} (${t.config})`)
    console.log(`dry run: would upload functions ${names.join(', ')} to env ${envId}, their timer triggers, and the mini program from ${stageDir}`)
    process.exit(0)
  }
  for (const name of names) {
    const r = await ci.cloud.uploadFunction({ project, env: envId, name, path: join(FUNCTIONS_OUT_DIR, name), remoteNpmInstall: true })
    console.log(`function ${name}: ${r.filesCount} files, ${r.packSize} bytes`)
    // Uploading a function does not create its timer triggers; config.json declares them.
    const triggers = triggersOf(name)
    if (triggers.length) {
      const res = await ci.cloud.createTimeTrigger({ project, envId, functionName: name, triggersConfig: triggers })
      console.log(`  timer triggers ${triggers.map((t) => t.name).join(', ')}: ${res}`)
    }
  }
  const version = process.env.VERSION ?? new Date().toISOString().slice(0, 10).replace(/-/g, '.')
  await ci.upload({ project, version, desc: process.env.DESC ?? 'deploy', setting: { es6: true, minify: true } })
  console.log(`mini program ${version} uploaded as a development version; submit it for review in 微信公众平台.`)
  process.exit(0)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
