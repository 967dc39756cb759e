/**
 * npm run deploy: puts the product on a real WeChat Cloud Development environment.
 *   0. reads and validates deploy.config.json (AppID, env id, brand name, subscription template
 *      ids, privacy contact; scripts/deploy/config.ts) — nothing is uploaded from an invalid one;
 *   1. builds the functions (minified) with that configuration bundled next to each
 *      (deploy-config.json, read by cloudfunctions/services/deploy-config.ts) and packs the mini
 *      program's npm packages;
 *   2. uploads every function (wx-server-sdk installed by the cloud: remoteNpmInstall) and creates
 *      the timer triggers its config.json declares;
 *   3. runs the first-run setup (system.setup: collections, merchant document, unique-index
 *      probes) and prints its report;
 *   4. uploads the mini program as a development version with cloud mode and your env id;
 *   5. prints the checklist of what remains (the doctor below), with where to click.
 *
 * `--dry-run`: everything that needs no network (placeholders when there is no configuration yet),
 * then the plan and the checklist. `--check`: the doctor only — offline checks always, online ones
 * when WX_PRIVATE_KEY_PATH is set. `--config <file>`: another configuration file.
 * The upload key comes from the environment, never from a file in the repository:
 * WX_PRIVATE_KEY_PATH (微信公众平台 → 开发管理 → 开发设置 → 小程序代码上传); optional VERSION, DESC.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildFunctions, LOCAL_DEPLOYED_CONFIG, listFunctions, packMiniprogramNpm, ROOT } from './build'
import { stageMiniprogram, throwawayKey } from './stage-miniprogram'
import { CONFIG_FILE, deployedConfigOf, loadConfig, type ConfigResult } from './deploy/config'
import { formatChecklist, runDoctor, type OnlineProbe } from './deploy/doctor'
import { cloudProbe, onlineSkipReason } from './deploy/online'
import { scanMiniprogram } from './deploy/privacy'

/**
 * What deploy (and its dry run) builds and uploads: minified, with the merchant's configuration,
 * outside the repository — dist/ keeps the local build the tests and the local cloud reuse, and
 * jest's module map never sees a second copy of each function's package.json.
 */
const DEPLOY_FUNCTIONS_DIR = join(tmpdir(), 'member-marketing-deploy-functions')

const PLACEHOLDER_APPID = 'wx0000000000000000'
const PLACEHOLDER_ENV = '<cloudEnvId>'

interface TriggerConfig {
  name: string
  type: string
  config: string
}

function triggersOf(name: string): TriggerConfig[] {
  const file = join(DEPLOY_FUNCTIONS_DIR, name, 'config.json')
  if (!existsSync(file)) return []
  const config = JSON.parse(readFileSync(file, 'utf8')) as { triggers?: TriggerConfig[] }
  return (config.triggers ?? []).filter((t) => t.type === 'timer')
}

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag)
  return i >= 0 ? process.argv[i + 1] : undefined
}

function printProblems(config: ConfigResult): void {
  if (config.ok) return
  console.log('deploy.config.json 有问题 / configuration problems:')
  for (const p of config.problems) console.log(`  - ${p}`)
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadCi = () => require('miniprogram-ci') as typeof import('miniprogram-ci')

function projectOf(appid: string, projectPath: string, keyPath: string) {
  const ci = loadCi()
  return new ci.Project({ appid, type: 'miniProgram', projectPath, privateKeyPath: keyPath, ignores: [] })
}

async function checklist(config: ConfigResult, functionsDir: string, online: OnlineProbe | null, offlineReason?: string): Promise<{ text: string; failed: boolean }> {
  const appJson = JSON.parse(readFileSync(join(ROOT, 'miniprogram', 'app.json'), 'utf8')) as Parameters<typeof runDoctor>[0]['appJson']
  const items = await runDoctor({
    config,
    functionsDir,
    sourceDir: join(ROOT, 'cloudfunctions'),
    functions: listFunctions(),
    appJson,
    privacyUses: scanMiniprogram(),
    online,
    offlineReason,
  })
  return { text: formatChecklist(items), failed: items.some((i) => i.status === 'fail') }
}

/**
 * The doctor: builds the functions into a temporary folder outside the repository (dist/ is left
 * alone, and jest's module map never sees a second copy of each function's package.json).
 */
async function check(config: ConfigResult): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-check-'))
  await buildFunctions({ outDir: dir, deployed: config.ok ? deployedConfigOf(config.config) : LOCAL_DEPLOYED_CONFIG })
  let online: OnlineProbe | null = null
  const keyPath = process.env.WX_PRIVATE_KEY_PATH
  const reason = onlineSkipReason({ keyPath, configOk: config.ok, keyExists: existsSync }) ?? undefined
  if (!reason && keyPath && config.ok) online = cloudProbe({ project: projectOf(config.config.appId, join(ROOT), keyPath), appid: config.config.appId, envId: config.config.cloudEnvId })
  const { text, failed } = await checklist(config, dir, online, reason)
  rmSync(dir, { recursive: true, force: true })
  console.log(text)
  return failed ? 1 : 0
}

async function deploy(config: ConfigResult, dryRun: boolean): Promise<number> {
  if (!config.ok && !dryRun) {
    printProblems(config)
    console.log('未上传任何内容：请先修正 deploy.config.json（npm run deploy -- --check 列出全部待办）')
    return 1
  }
  if (!config.ok) console.log('dry run with placeholders (no valid deploy.config.json yet); the checklist below says what to fill in.')
  const appid = config.ok ? config.config.appId : PLACEHOLDER_APPID
  const envId = config.ok ? config.config.cloudEnvId : PLACEHOLDER_ENV
  // .tmp/ is git-ignored, so a fresh clone does not have it.
  mkdirSync(join(ROOT, '.tmp'), { recursive: true })
  const keyPath = dryRun ? throwawayKey(join(ROOT, '.tmp', 'deploy-dry-run.key')) : process.env.WX_PRIVATE_KEY_PATH
  if (!keyPath || !existsSync(keyPath)) {
    console.log(`WX_PRIVATE_KEY_PATH 未设置或文件不存在：上传密钥见 微信公众平台 → 开发管理 → 开发设置 → 小程序代码上传`)
    return 1
  }

  // what is uploaded is built now, never reused (a dry run may reuse an identical build)
  const names = await buildFunctions({ outDir: DEPLOY_FUNCTIONS_DIR, minify: true, deployed: config.ok ? deployedConfigOf(config.config) : LOCAL_DEPLOYED_CONFIG, fresh: !dryRun })
  await packMiniprogramNpm({ fresh: !dryRun })
  const stageDir = join(ROOT, '.tmp', 'deploy-stage')
  await stageMiniprogram(stageDir, { appid, cloudConfig: { mode: 'cloud', envId, gatewayUrl: '', devOpenid: '' } })
  const project = projectOf(appid, stageDir, keyPath)

  if (dryRun) {
    for (const name of names) for (const t of triggersOf(name)) console.log(`  ${name}: timer trigger ${t.name} (${t.config})`)
    console.log(`dry run: would upload functions ${names.join(', ')} to env ${envId}, their timer triggers, run system.setup, and upload the mini program from ${stageDir}`)
    console.log('')
    console.log((await checklist(config, DEPLOY_FUNCTIONS_DIR, null, 'dry run：不连接云端')).text)
    return 0
  }

  const ci = loadCi()
  for (const name of names) {
    const r = await ci.cloud.uploadFunction({ project, env: envId, name, path: join(DEPLOY_FUNCTIONS_DIR, name), remoteNpmInstall: true })
    console.log(`function ${name}: ${r.filesCount} files, ${r.packSize} bytes`)
    // Uploading a function does not create its timer triggers; config.json declares them.
    const triggers = triggersOf(name)
    if (triggers.length) {
      const res = await ci.cloud.createTimeTrigger({ project, envId, functionName: name, triggersConfig: triggers })
      console.log(`  timer triggers ${triggers.map((t) => t.name).join(', ')}: ${res}`)
    }
  }
  const probe = cloudProbe({ project, appid, envId })
  try {
    const answer = (await probe.invoke('system', { action: 'setup', input: {} })) as { ok?: boolean; data?: { notice: { state: string; remaining: string[] } } } | null
    if (answer?.ok && answer.data) {
      console.log(`setup: ${answer.data.notice.state}`)
      for (const r of answer.data.notice.remaining) console.log(`  - ${r}`)
    } else {
      console.log(`setup: 未得到结果（${JSON.stringify(answer)}）：在 云开发控制台 → 云函数 → system → 云端测试 以 {"action":"setup"} 运行一次`)
    }
  } catch (e) {
    console.log(`setup: 调用失败（${e instanceof Error ? e.message : String(e)}）：在 云开发控制台 → 云函数 → system → 云端测试 以 {"action":"setup"} 运行一次`)
  }
  const version = process.env.VERSION ?? new Date().toISOString().slice(0, 10).replace(/-/g, '.')
  await ci.upload({ project, version, desc: process.env.DESC ?? 'deploy', setting: { es6: true, minify: true } })
  console.log(`mini program ${version} uploaded as a development version.`)
  console.log('')
  console.log((await checklist(config, DEPLOY_FUNCTIONS_DIR, probe)).text)
  return 0
}

async function main(): Promise<void> {
  const config = loadConfig(argValue('--config') ?? CONFIG_FILE)
  const code = process.argv.includes('--check') ? await check(config) : await deploy(config, process.argv.includes('--dry-run'))
  process.exit(code)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
