/**
 * npm run deploy -- --check: what is done and what remains before (and after) a deployment, each
 * remaining step with where to click. Offline checks read the repository and the built functions;
 * online checks (with the upload key) ask the cloud through an OnlineProbe (scripts/deploy/online.ts).
 */
import { join } from 'node:path'
import { schema } from '../../database/schema'
import { indexInstruction, type SetupNotice } from '../../cloudfunctions/services/setup'
import { SUBSCRIBE_TEMPLATES } from '../../cloudfunctions/services/deploy-config'
import type { ConfigResult } from './config'
import { envVarsOf } from './function-env'
import { declaredOpenApi, scanOpenApi } from './openapi-scan'
import { permissionScopesOf, privacyGuideText, requiredPrivateInfosOf, type PrivacyUse } from './privacy'
import { readFileSync, existsSync } from 'node:fs'

export type CheckStatus = 'done' | 'todo' | 'fail' | 'skipped'

export interface CheckItem {
  id: string
  title: string
  status: CheckStatus
  /** What is wrong or left, one line each. */
  detail: string[]
  /** Where to do it (console path), for todo and fail. */
  where?: string
}

/** What the doctor asks the cloud; null when there is no upload key (the online part is skipped). */
export interface OnlineProbe {
  /** The key works and the environment exists (throws with the cloud's message otherwise). */
  envExists(): Promise<boolean>
  /** The function's environment variable names, or null when it is not deployed. */
  functionEnvNames(fn: string): Promise<string[] | null>
  /** system.setupStatus on the cloud, or null when it could not be read. */
  setupNotice(): Promise<SetupNotice | null>
}

export interface DoctorInput {
  config: ConfigResult
  /** Built functions (dist/cloudfunctions) and their sources (cloudfunctions). */
  functionsDir: string
  sourceDir: string
  functions: string[]
  appJson: { requiredPrivateInfos?: string[]; permission?: Record<string, { desc?: string }> }
  privacyUses: PrivacyUse[]
  online: OnlineProbe | null
  /** Why online is null, for the skipped lines. */
  offlineReason?: string
}

const WHERE = {
  config: 'deploy.config.json（复制 deploy.config.example.json 后填写；AppID：微信公众平台 → 开发管理 → 开发设置；环境 ID：微信开发者工具 → 云开发 → 设置 → 环境设置）',
  templates: '微信公众平台 → 功能 → 订阅消息 → 公共模板库：选用模板，在「我的模板」复制模板 ID 填入 deploy.config.json subscribeTemplates',
  envVars: (fn: string) => `云开发控制台 → 云函数 → ${fn} → 版本与配置 → 配置 → 环境变量`,
  openapi: (fn: string) => `cloudfunctions/${fn}/config.json → permissions.openapi（重新部署后约 10 分钟生效）`,
  privacy: '微信公众平台 → 设置 → 服务内容声明 → 用户隐私保护指引 → 更新（粘贴下面的文字逐项填写）',
  appJson: 'miniprogram/app.json → requiredPrivateInfos / permission',
  key: '微信公众平台 → 开发管理 → 开发设置 → 小程序代码上传 → 生成上传密钥（下载 private.*.key，设置 WX_PRIVATE_KEY_PATH；若开启 IP 白名单，加入本机 IP）',
  indexes: (c: string) => `云开发控制台 → 数据库 → ${c} → 索引管理 → 添加索引`,
  setup: '运行 npm run deploy（部署后自动运行），或 云开发控制台 → 云函数 → system → 云端测试，事件 {"action":"setup"}',
  pay: '云开发控制台 → 设置 → 其他设置 → 微信支付配置：绑定子商户号（商户在 微信支付商户平台 → 产品中心 → 我的授权产品 中确认授权）',
  permissions: '云开发控制台 → 数据库 → 每个集合 → 数据权限：选「仅云函数可读写」（自定义安全规则 {"read": false, "write": false}）',
  owner: '小程序 我的 → 员工加入 →「首次部署？店主初始化」，输入 admin 的 OWNER_SETUP_KEY',
  review: '微信公众平台 → 管理 → 版本管理 → 开发版本 → 提交审核',
}

function configItems(config: ConfigResult): CheckItem[] {
  const problems = config.ok ? [] : config.problems
  // A missing or unreadable file (a problem without a field path) leaves the templates unknown too.
  const fileLevel = problems.filter((p) => !/^[A-Za-z][\w.]*: |^\(root\): /.test(p))
  const templateProblems = [...problems.filter((p) => p.startsWith('subscribeTemplates')), ...(fileLevel.length ? ['（先创建 deploy.config.json）'] : [])]
  const other = problems.filter((p) => !p.startsWith('subscribeTemplates'))
  return [
    { id: 'config', title: '商户配置 deploy.config.json 有效', status: other.length ? 'todo' : 'done', detail: other, where: WHERE.config },
    {
      id: 'templates',
      title: `订阅消息模板 ID（${Object.values(SUBSCRIBE_TEMPLATES).join('、')}）`,
      status: templateProblems.length ? 'todo' : 'done',
      detail: templateProblems,
      where: WHERE.templates,
    },
  ]
}

function openApiItems(input: DoctorInput): CheckItem[] {
  return input.functions.map((fn) => {
    const bundle = join(input.functionsDir, fn, 'index.js')
    if (!existsSync(bundle)) return { id: `openapi:${fn}`, title: `${fn}：开放接口声明`, status: 'fail', detail: ['函数未构建（npm run build）'] }
    const { used, opaque } = scanOpenApi(readFileSync(bundle, 'utf8'))
    const declared = declaredOpenApi(join(input.sourceDir, fn, 'config.json'))
    const detail = [
      ...used.filter((a) => !declared.includes(a)).map((a) => `调用了 ${a}，但 config.json 未声明（云端会以 -604101 拒绝）`),
      ...declared.filter((a) => !used.includes(a)).map((a) => `声明了 ${a}，但代码未调用`),
      ...opaque.map((o) => `无法检查的 openapi 用法：${o}`),
    ]
    return { id: `openapi:${fn}`, title: `${fn}：开放接口声明与调用一致（${used.join('、') || '无'}）`, status: detail.length ? 'fail' : 'done', detail, where: WHERE.openapi(fn) }
  })
}

function privacyItems(input: DoctorInput): CheckItem[] {
  const required = requiredPrivateInfosOf(input.privacyUses)
  const declared = input.appJson.requiredPrivateInfos ?? []
  const detail = [
    ...required.filter((a) => !declared.includes(a)).map((a) => `代码调用 wx.${a}，app.json requiredPrivateInfos 未声明`),
    ...declared.filter((a) => !required.includes(a)).map((a) => `app.json 声明了 ${a}，代码未调用`),
    ...permissionScopesOf(input.privacyUses)
      .filter((s) => !input.appJson.permission?.[s]?.desc)
      .map((s) => `app.json permission 缺少 ${s} 的用途说明`),
  ]
  const brandName = input.config.ok ? input.config.config.brandName : '<品牌名称>'
  const contact = input.config.ok ? input.config.config.privacyContact : {}
  return [
    { id: 'privacy:app-json', title: '隐私接口声明 app.json（requiredPrivateInfos、permission）与代码一致', status: detail.length ? 'fail' : 'done', detail, where: WHERE.appJson },
    { id: 'privacy:guide', title: '用户隐私保护指引（按代码实际调用生成）', status: 'todo', detail: privacyGuideText({ brandName, contact }, input.privacyUses).split('\n'), where: WHERE.privacy },
  ]
}

function requiredEnv(input: DoctorInput): { fn: string; names: string[]; lines: string[] }[] {
  return input.functions.map((fn) => {
    const vars = envVarsOf(join(input.functionsDir, fn))
    return { fn, names: vars.map((v) => v.name), lines: vars.map((v) => `${v.name} — ${v.description}（来源：${v.source}）`) }
  })
}

async function onlineItems(input: DoctorInput): Promise<CheckItem[]> {
  const env = requiredEnv(input).filter((e) => e.names.length > 0)
  if (!input.online) {
    const reason = input.offlineReason ?? '未提供上传密钥（WX_PRIVATE_KEY_PATH）'
    return [
      { id: 'online:env', title: '上传密钥可用、云开发环境存在', status: 'skipped', detail: [reason], where: WHERE.key },
      ...env.map((e): CheckItem => ({ id: `online:vars:${e.fn}`, title: `${e.fn}：环境变量 ${e.names.join('、')}`, status: 'skipped', detail: [reason, ...e.lines], where: WHERE.envVars(e.fn) })),
      { id: 'online:setup', title: '部署初始化：集合已创建、唯一索引已确认', status: 'skipped', detail: [reason], where: WHERE.setup },
    ]
  }
  const items: CheckItem[] = []
  let envOk = false
  try {
    envOk = await input.online.envExists()
    items.push({ id: 'online:env', title: '上传密钥可用、云开发环境存在', status: envOk ? 'done' : 'fail', detail: envOk ? [] : ['该 AppID 下找不到此环境 ID'], where: WHERE.config })
  } catch (e) {
    items.push({ id: 'online:env', title: '上传密钥可用、云开发环境存在', status: 'fail', detail: [`云端拒绝：${e instanceof Error ? e.message : String(e)}`], where: WHERE.key })
  }
  if (!envOk) return items
  for (const e of env) {
    const names = await input.online.functionEnvNames(e.fn)
    const missing = names === null ? e.names : e.names.filter((n) => !names.includes(n))
    items.push({
      id: `online:vars:${e.fn}`,
      title: `${e.fn}：环境变量 ${e.names.join('、')}`,
      status: missing.length ? 'todo' : 'done',
      detail: names === null ? ['函数尚未部署（npm run deploy）', ...e.lines] : e.lines.filter((l) => missing.some((m) => l.startsWith(m))),
      where: WHERE.envVars(e.fn),
    })
  }
  const notice = await input.online.setupNotice()
  items.push({
    id: 'online:setup',
    title: '部署初始化：集合已创建、唯一索引已确认',
    status: notice?.state === 'ready' ? 'done' : 'todo',
    detail: notice ? notice.remaining : ['无法读取 system.setupStatus（system 函数未部署？）'],
    where: WHERE.setup,
  })
  return items
}

/** Steps no API performs: always listed, with why. */
function manualItems(): CheckItem[] {
  const nonUnique = Object.entries(schema).flatMap(([c, s]) => s.indexes.filter((i) => !i.unique).map((i) => ({ c, line: indexInstruction({ collection: c, name: i.name, keys: i.keys, unique: false }) })))
  const unique = Object.entries(schema).flatMap(([c, s]) => s.indexes.filter((i) => i.unique).map((i) => indexInstruction({ collection: c, name: i.name, keys: i.keys, unique: true })))
  return [
    { id: 'manual:indexes', title: '手动创建索引（无 API 可建索引；唯一索引由部署初始化探测确认，普通索引影响查询速度）', status: 'todo', detail: [...unique, ...nonUnique.map((n) => n.line)], where: WHERE.indexes('<集合>') },
    { id: 'manual:permissions', title: '数据库权限：所有集合仅云函数可读写（小程序端不直接读写数据库）', status: 'todo', detail: [Object.keys(schema).join('、')], where: WHERE.permissions },
    { id: 'manual:pay', title: '微信支付：云开发环境绑定子商户号（需商户在微信支付商户平台确认授权）', status: 'todo', detail: [], where: WHERE.pay },
    { id: 'manual:owner', title: '绑定首位店主', status: 'todo', detail: [], where: WHERE.owner },
    { id: 'manual:review', title: '提交审核并发布', status: 'todo', detail: [], where: WHERE.review },
  ]
}

export async function runDoctor(input: DoctorInput): Promise<CheckItem[]> {
  return [...configItems(input.config), ...openApiItems(input), ...privacyItems(input), ...(await onlineItems(input)), ...manualItems()]
}

const MARK: Record<CheckStatus, string> = { done: '[x]', todo: '[ ]', fail: '[!]', skipped: '[-]' }

export function formatChecklist(items: CheckItem[]): string {
  const lines: string[] = []
  for (const i of items) {
    lines.push(`${MARK[i.status]} ${i.title}`)
    if (i.status !== 'done') {
      for (const d of i.detail) lines.push(`      ${d}`)
      if (i.where) lines.push(`      → ${i.where}`)
    }
  }
  const count = (s: CheckStatus) => items.filter((i) => i.status === s).length
  lines.push('', `完成 ${count('done')} · 待办 ${count('todo')} · 错误 ${count('fail')} · 跳过（需上传密钥）${count('skipped')}   [x] 完成  [ ] 待办  [!] 错误  [-] 跳过`)
  return lines.join('\n')
}
