/**
 * The merchant's deploy.config.json validation and the deploy doctor (npm run deploy -- --check):
 * every missing or malformed field refused with its own message, and each doctor check against a
 * configuration (or a cloud, through a fake probe) missing exactly that item.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { EXAMPLE_FILE, loadConfig, validateConfig, type ConfigResult } from '../../scripts/deploy/config'
import { formatChecklist, runDoctor, type CheckItem, type DoctorInput, type OnlineProbe } from '../../scripts/deploy/doctor'
import { SUBSCRIBE_TEMPLATE_KEYS } from '../../cloudfunctions/services/deploy-config'
import { deployedConfig, DEPLOYED_CONFIG_FILE } from '../../cloudfunctions/services/deploy-config'
import type { PrivacyUse } from '../../scripts/deploy/privacy'

const TEMPLATE = 'ZKm_9aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789ab'
const valid = () => ({
  appId: 'wx0123456789abcdef',
  cloudEnvId: 'prod-3gx2k1a8b0c4d5e6',
  brandName: '拾光咖啡',
  subscribeTemplates: Object.fromEntries(SUBSCRIBE_TEMPLATE_KEYS.map((k, i) => [k, TEMPLATE.slice(0, -1) + String(i)])),
  privacyContact: { email: 'privacy@example.com' },
})

function problemsOf(raw: unknown): string[] {
  const r = validateConfig(raw)
  return r.ok ? [] : r.problems
}

describe('deploy.config.json validation', () => {
  it('accepts a complete configuration', () => {
    expect(validateConfig(valid())).toMatchObject({ ok: true })
  })

  it('refuses the committed example as it is (placeholders), naming every field to fill', () => {
    const r = loadConfig(EXAMPLE_FILE)
    expect(r.ok).toBe(false)
    const problems = r.ok ? [] : r.problems
    expect(problems.some((p) => p.startsWith('appId: AppID 格式不对'))).toBe(true)
    expect(problems.some((p) => p.startsWith('cloudEnvId: 云开发环境 ID 格式不对'))).toBe(true)
    for (const k of SUBSCRIBE_TEMPLATE_KEYS) expect(problems.some((p) => p.startsWith(`subscribeTemplates.${k}:`))).toBe(true)
  })

  it.each([
    ['appId', '缺少 AppID'],
    ['cloudEnvId', '缺少云开发环境 ID'],
    ['brandName', '缺少品牌名称'],
    ['subscribeTemplates', '缺少订阅消息模板 ID'],
    ['privacyContact', '缺少隐私联系方式'],
  ])('refuses a configuration without %s', (field, message) => {
    const raw: Record<string, unknown> = valid()
    delete raw[field]
    const problems = problemsOf(raw)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(`${field}: ${message}`)
  })

  it.each(SUBSCRIBE_TEMPLATE_KEYS)('refuses a configuration without the %s template id', (key) => {
    const raw = valid()
    delete (raw.subscribeTemplates as Record<string, string>)[key]
    expect(problemsOf(raw)).toEqual([expect.stringMatching(new RegExp(`^subscribeTemplates\\.${key}: 缺少「.+」的模板 ID$`))])
  })

  it.each([
    ['appId', 'wx123', 'AppID 格式不对'],
    ['appId', 12345, 'AppID 应为字符串'],
    ['cloudEnvId', 'Prod_Env!', '云开发环境 ID 格式不对'],
    ['brandName', '   ', '品牌名称不能为空'],
    ['brandName', '很长的品牌名称'.repeat(5), '品牌名称最多'],
    ['privacyContact', {}, '至少填写 email 或 phone'],
    ['privacyContact', { email: 'not-an-email' }, '隐私联系邮箱格式不对'],
  ])('refuses a malformed %s (%j)', (field, value, message) => {
    const problems = problemsOf({ ...valid(), [field]: value })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(message)
  })

  it('refuses a malformed template id and a misspelt field, and lists every problem at once', () => {
    const raw = { ...valid(), appid: 'wx0123456789abcdef', subscribeTemplates: { ...valid().subscribeTemplates, birthday: 'short' } }
    const problems = problemsOf(raw)
    expect(problems).toHaveLength(2)
    expect(problems.join('\n')).toMatch(/subscribeTemplates\.birthday: 「.+」的模板 ID 格式不对/)
    expect(problems.join('\n')).toMatch(/未知字段 appid/)
  })

  it('says what to do when the file is missing or not JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-config-'))
    expect(loadConfig(path.join(dir, 'none.json'))).toEqual({ ok: false, problems: [expect.stringContaining('复制 deploy.config.example.json')] })
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ "appId": ')
    expect(loadConfig(path.join(dir, 'bad.json'))).toEqual({ ok: false, problems: [expect.stringContaining('不是合法的 JSON')] })
    fs.rmSync(dir, { recursive: true, force: true })
  })
})

describe('the deployed configuration a function reads', () => {
  it('reads template ids and the brand from the file bundled next to the function', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deployed-'))
    const cfg = { brandName: '拾光咖啡', subscribeTemplates: valid().subscribeTemplates, source: 'deploy' }
    fs.writeFileSync(path.join(dir, DEPLOYED_CONFIG_FILE), JSON.stringify(cfg))
    expect(deployedConfig(dir)).toEqual(cfg)
    fs.rmSync(dir, { recursive: true, force: true })
    expect(() => deployedConfig(dir)).toThrow(/missing/)
  })
})

describe('the deploy doctor', () => {
  let dir: string
  const functionsDir = () => path.join(dir, 'dist')
  const sourceDir = () => path.join(dir, 'src')
  const uses: PrivacyUse[] = [{ category: 'Location', via: 'wx.getLocation', file: 'x' }]
  const appJson = { requiredPrivateInfos: ['getLocation'], permission: { 'scope.userLocation': { desc: '用于推荐附近门店' } } }

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-'))
    const fn = (name: string, code: string, openapi: string[]) => {
      fs.mkdirSync(path.join(functionsDir(), name), { recursive: true })
      fs.mkdirSync(path.join(sourceDir(), name), { recursive: true })
      fs.writeFileSync(path.join(functionsDir(), name, 'index.js'), code)
      fs.writeFileSync(path.join(sourceDir(), name, 'config.json'), JSON.stringify({ permissions: { openapi } }))
    }
    fn('admin', "const k = process.env['OWNER_SETUP_KEY']; const m = 'WXPAY_SUB_MCH_ID'", [])
    fn('member', "cloud.openapi.phonenumber.getPhoneNumber({ code }); env.WXPAY_SUB_MCH_ID", ['phonenumber.getPhoneNumber'])
    fn('push', "cloud.openapi.subscribeMessage.send({ touser })", [])
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  const input = (over: Partial<DoctorInput> = {}): DoctorInput => ({
    config: validateConfig(valid()),
    functionsDir: functionsDir(),
    sourceDir: sourceDir(),
    functions: ['admin', 'member', 'push'],
    appJson,
    privacyUses: uses,
    online: null,
    ...over,
  })
  const item = (items: CheckItem[], id: string) => {
    const found = items.find((i) => i.id === id)
    if (!found) throw new Error(`no item ${id}`)
    return found
  }
  const probe = (over: Partial<OnlineProbe> = {}): OnlineProbe => ({
    envExists: () => Promise.resolve(true),
    functionEnvNames: () => Promise.resolve(['OWNER_SETUP_KEY', 'WXPAY_SUB_MCH_ID']),
    setupNotice: () => Promise.resolve({ state: 'ready', checkedAt: '2026-12-01T00:00:00.000Z', remaining: [] }),
    ...over,
  })

  it('a complete configuration and cloud: config, templates, declarations and online checks done', async () => {
    const items = await runDoctor(input({ online: probe() }))
    for (const id of ['config', 'templates', 'openapi:admin', 'openapi:member', 'privacy:app-json', 'online:env', 'online:vars:admin', 'online:vars:member', 'online:setup']) {
      expect({ id, status: item(items, id).status }).toEqual({ id, status: 'done' })
    }
    // The guide is always the merchant's to paste; the console-only steps always listed.
    expect(item(items, 'privacy:guide')).toMatchObject({ status: 'todo', detail: expect.arrayContaining([expect.stringContaining('「收集你的位置信息」')]) })
    for (const id of ['manual:indexes', 'manual:permissions', 'manual:pay', 'manual:owner']) expect(item(items, id).status).toBe('todo')
  })

  it.each(['appId', 'cloudEnvId', 'brandName', 'privacyContact'])('a configuration without %s: the config item is to do and says so', async (field) => {
    const raw: Record<string, unknown> = valid()
    delete raw[field]
    const items = await runDoctor(input({ config: validateConfig(raw) }))
    expect(item(items, 'config')).toMatchObject({ status: 'todo', detail: [expect.stringContaining(`${field}:`)] })
    expect(item(items, 'templates').status).toBe('done')
  })

  it.each(SUBSCRIBE_TEMPLATE_KEYS)('a configuration without the %s template: the templates item is to do', async (key) => {
    const raw = valid()
    delete (raw.subscribeTemplates as Record<string, string>)[key]
    const items = await runDoctor(input({ config: validateConfig(raw) }))
    expect(item(items, 'templates')).toMatchObject({ status: 'todo', detail: [expect.stringContaining(`subscribeTemplates.${key}`)] })
    expect(item(items, 'config').status).toBe('done')
  })

  it('without a configuration file both the config and the templates are to do', async () => {
    const items = await runDoctor(input({ config: { ok: false, problems: ['找不到 /x/deploy.config.json：复制 deploy.config.example.json 为 deploy.config.json 并填写'] } }))
    expect(item(items, 'config').status).toBe('todo')
    expect(item(items, 'templates').status).toBe('todo')
  })

  it('an open API called but not declared fails, naming it and the file', async () => {
    const items = await runDoctor(input())
    expect(item(items, 'openapi:push')).toMatchObject({ status: 'fail', detail: [expect.stringContaining('subscribeMessage.send')], where: expect.stringContaining('cloudfunctions/push/config.json') })
    expect(item(items, 'openapi:member').status).toBe('done')
  })

  it('a location interface missing from app.json fails', async () => {
    const items = await runDoctor(input({ appJson: { requiredPrivateInfos: [], permission: {} } }))
    expect(item(items, 'privacy:app-json')).toMatchObject({ status: 'fail', detail: [expect.stringContaining('wx.getLocation'), expect.stringContaining('scope.userLocation')] })
  })

  it('without the key the online checks are skipped, saying why, and list what to set', async () => {
    const items = await runDoctor(input({ offlineReason: '未设置 WX_PRIVATE_KEY_PATH' }))
    expect(item(items, 'online:env')).toMatchObject({ status: 'skipped', detail: ['未设置 WX_PRIVATE_KEY_PATH'] })
    expect(item(items, 'online:vars:admin')).toMatchObject({ status: 'skipped', detail: expect.arrayContaining([expect.stringMatching(/^OWNER_SETUP_KEY/), expect.stringMatching(/^WXPAY_SUB_MCH_ID/)]) })
    expect(items.find((i) => i.id === 'online:vars:push')).toBeUndefined()
    expect(formatChecklist(items)).toMatch(/\[-\] 上传密钥可用/)
  })

  it('a function missing an environment variable: to do, naming the variable and where to set it', async () => {
    const items = await runDoctor(input({ online: probe({ functionEnvNames: (fn) => Promise.resolve(fn === 'admin' ? ['WXPAY_SUB_MCH_ID'] : ['WXPAY_SUB_MCH_ID']) }) }))
    expect(item(items, 'online:vars:admin')).toMatchObject({ status: 'todo', detail: [expect.stringMatching(/^OWNER_SETUP_KEY/)], where: expect.stringContaining('云函数 → admin → 版本与配置') })
    expect(item(items, 'online:vars:member').status).toBe('done')
  })

  it('a function not deployed yet: its variables to do', async () => {
    const items = await runDoctor(input({ online: probe({ functionEnvNames: () => Promise.resolve(null) }) }))
    expect(item(items, 'online:vars:member')).toMatchObject({ status: 'todo', detail: expect.arrayContaining([expect.stringContaining('尚未部署')]) })
  })

  it('a key the cloud refuses, or an env that does not exist, fails and stops the online checks', async () => {
    const refused = await runDoctor(input({ online: probe({ envExists: () => Promise.reject(new Error('invalid signature')) }) }))
    expect(item(refused, 'online:env')).toMatchObject({ status: 'fail', detail: [expect.stringContaining('invalid signature')] })
    expect(refused.find((i) => i.id === 'online:setup')).toBeUndefined()
    const noEnv = await runDoctor(input({ online: probe({ envExists: () => Promise.resolve(false) }) }))
    expect(item(noEnv, 'online:env').status).toBe('fail')
  })

  it('setup not run or an index missing: to do, with the exact index to create', async () => {
    const remaining = ['缺少唯一索引 — 云开发控制台 → 数据库 → members → 索引管理 → 添加索引：集合 members 创建索引 memberNo_unique：memberNo 升序，唯一']
    const items = await runDoctor(input({ online: probe({ setupNotice: () => Promise.resolve({ state: 'incomplete', checkedAt: null, remaining }) }) }))
    expect(item(items, 'online:setup')).toMatchObject({ status: 'todo', detail: remaining })
    const unread = await runDoctor(input({ online: probe({ setupNotice: () => Promise.resolve(null) }) }))
    expect(item(unread, 'online:setup').status).toBe('todo')
  })

  it('prints a checklist with a mark per item and the totals', async () => {
    const config: ConfigResult = { ok: false, problems: ['appId: 缺少 AppID'] }
    const text = formatChecklist(await runDoctor(input({ config })))
    expect(text).toMatch(/^\[ \] 商户配置 deploy.config.json 有效$/m)
    expect(text).toMatch(/^ {6}appId: 缺少 AppID$/m)
    expect(text).toMatch(/^\[!\] push：开放接口声明/m)
    expect(text).toMatch(/完成 \d+ · 待办 \d+ · 错误 1 · 跳过/)
  })
})
