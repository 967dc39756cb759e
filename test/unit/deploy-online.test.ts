/**
 * The doctor's online part (scripts/deploy/online.ts) cannot run here: it needs the merchant's
 * upload key. What it does with the answers of miniprogram-ci's bundled cloud API client is
 * checked against a fake of that client answering as the cloud does (the shapes
 * miniprogram-ci's own cloud.uploadFunction reads), and the skip without a key is checked as CI
 * sees it.
 */
import { cloudProbe, internals, onlineSkipReason, type CloudApiHelpers, type CloudApiModule } from '../../scripts/deploy/online'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runDoctor } from '../../scripts/deploy/doctor'
import { validateConfig } from '../../scripts/deploy/config'
import { SUBSCRIBE_TEMPLATE_KEYS } from '../../cloudfunctions/services/deploy-config'

const APPID = 'wx1234567890abcdef'
const ENV = 'shiguang-7g3k'

interface Calls {
  envs: number
  info: object[]
  invoke: object[]
}

/** A cloud with env `ENV` in ap-shanghai, `admin` and `member` deployed with the given variables. */
function fakeCloud(opts: { envs?: { envId: string; functions: { region: string }[] }[]; vars?: Record<string, { key: string; value: string }[]>; setupAnswer?: unknown; fail?: Partial<Record<'envs' | 'info' | 'invoke', Error>> } = {}) {
  const calls: Calls = { envs: 0, info: [], invoke: [] }
  const vars = opts.vars ?? {
    admin: [{ key: 'WXPAY_SUB_MCH_ID', value: '1900000109' }, { key: 'OWNER_SETUP_KEY', value: 'k'.repeat(32) }],
    member: [{ key: 'WXPAY_SUB_MCH_ID', value: '1900000109' }, { key: 'UNUSED', value: '' }],
  }
  const api: CloudApiModule = {
    TransactType: { IDE: 'IDE' },
    tcbGetEnvironments: () => {
      calls.envs += 1
      if (opts.fail?.envs) return Promise.reject(opts.fail.envs)
      return Promise.resolve({ envList: opts.envs ?? [{ envId: 'other-env', functions: [{ region: 'ap-guangzhou' }] }, { envId: ENV, functions: [{ region: 'ap-shanghai' }] }] })
    },
    scfGetFunctionInfo: (input) => {
      calls.info.push(input)
      if (opts.fail?.info) return Promise.reject(opts.fail.info)
      const name = (input as { functionName: string }).functionName
      if (!vars[name]) return Promise.reject(Object.assign(new Error('ResourceNotFound.Function'), { code: 'ResourceNotFound.Function' }))
      return Promise.resolve({ environment: { variables: vars[name] } })
    },
    scfInvokeFunction: (input) => {
      calls.invoke.push(input)
      if (opts.fail?.invoke) return Promise.reject(opts.fail.invoke)
      return Promise.resolve({ result: { retMsg: JSON.stringify(opts.setupAnswer ?? { ok: true, data: { state: 'ready', checkedAt: '2026-12-01T08:00:00.000Z', remaining: [] } }), functionRequestId: 'req-1' } })
    },
  }
  const helpers: CloudApiHelpers = {
    initCloudAPI: () => undefined,
    boundTransactRequest: () => 'bound-request',
    get3rdCloudCodeSecret: () => Promise.resolve('code-secret'),
  }
  return { deps: { api, helpers }, calls }
}

const probeOf = (cloud: ReturnType<typeof fakeCloud>) => cloudProbe({ project: {}, appid: APPID, envId: ENV }, cloud.deps)

describe('online checks without the upload key', () => {
  it('skip with the reason, as in CI', () => {
    expect(onlineSkipReason({ keyPath: undefined, configOk: true, keyExists: () => true })).toBe('跳过在线检查：未设置 WX_PRIVATE_KEY_PATH（上传密钥），CI 中同样跳过')
    expect(onlineSkipReason({ keyPath: '', configOk: true, keyExists: () => true })).toMatch(/未设置 WX_PRIVATE_KEY_PATH/)
    expect(onlineSkipReason({ keyPath: '/keys/private.key', configOk: false, keyExists: () => true })).toBe('跳过在线检查：deploy.config.json 无效')
    expect(onlineSkipReason({ keyPath: '/keys/private.key', configOk: true, keyExists: () => false })).toBe('跳过在线检查：找不到上传密钥 /keys/private.key')
    expect(onlineSkipReason({ keyPath: '/keys/private.key', configOk: true, keyExists: () => true })).toBeNull()
  })

  it('finds the client it relies on in the installed miniprogram-ci (an upgrade that moves it fails here, not at a merchant’s deploy)', () => {
    const { api, helpers } = internals()
    for (const f of [api.tcbGetEnvironments, api.scfGetFunctionInfo, api.scfInvokeFunction, helpers.initCloudAPI, helpers.boundTransactRequest, helpers.get3rdCloudCodeSecret]) expect(typeof f).toBe('function')
    expect(api.TransactType.IDE).toBeDefined()
  })
})

describe('the cloud probe over miniprogram-ci’s cloud API client (a fake answering as the cloud does)', () => {
  it('finds the env in the list and asks about functions in its region, with the code secret', async () => {
    const cloud = fakeCloud()
    const probe = probeOf(cloud)
    expect(await probe.envExists()).toBe(true)
    expect(await probe.functionEnvNames('admin')).toEqual(['WXPAY_SUB_MCH_ID', 'OWNER_SETUP_KEY'])
    // a variable set to nothing counts as not set
    expect(await probe.functionEnvNames('member')).toEqual(['WXPAY_SUB_MCH_ID'])
    expect(cloud.calls.info[0]).toEqual({ namespace: ENV, region: 'ap-shanghai', functionName: 'admin', codeSecret: 'code-secret' })
    // the env list is read once
    expect(cloud.calls.envs).toBe(1)
  })

  it('answers false for an env the key’s AppID does not have, and null for a function not deployed', async () => {
    expect(await probeOf(fakeCloud({ envs: [{ envId: 'other-env', functions: [] }] })).envExists()).toBe(false)
    expect(await probeOf(fakeCloud({ vars: {} })).functionEnvNames('admin')).toBeNull()
  })

  it('passes on the cloud’s refusal of the key (the doctor reports it as a failure)', async () => {
    const probe = probeOf(fakeCloud({ fail: { envs: new Error('invalid signature (-10008)') } }))
    await expect(probe.envExists()).rejects.toThrow('invalid signature')
  })

  it('reads the setup status by invoking system.setupStatus as the console’s 云端测试 does', async () => {
    const remaining = ['members：唯一索引 memberNo_unique（memberNo 升序，唯一）']
    const cloud = fakeCloud({ setupAnswer: { ok: true, data: { state: 'incomplete', checkedAt: null, remaining } } })
    expect(await probeOf(cloud).setupNotice()).toEqual({ state: 'incomplete', checkedAt: null, remaining })
    expect(cloud.calls.invoke[0]).toMatchObject({ namespace: ENV, region: 'ap-shanghai', functionName: 'system', invocationType: 'RequestResponse', codeSecret: 'code-secret' })
    expect(JSON.parse((cloud.calls.invoke[0] as { clientContext: string }).clientContext)).toEqual({ action: 'setupStatus', input: {} })
    expect(await probeOf(fakeCloud({ setupAnswer: { ok: false, code: 'FORBIDDEN', message: '无权限' } })).setupNotice()).toBeNull()
    expect(await probeOf(fakeCloud({ fail: { invoke: new Error('timeout') } })).setupNotice()).toBeNull()
  })
})

describe('the doctor with the probe over the fake client', () => {
  it('turns the answers into checklist items: env done, a missing variable to do, setup to do', async () => {
    let items: Awaited<ReturnType<typeof runDoctor>> = []
    const cloud = fakeCloud({
      vars: { admin: [{ key: 'WXPAY_SUB_MCH_ID', value: '1900000109' }], member: [{ key: 'WXPAY_SUB_MCH_ID', value: '1900000109' }] },
      setupAnswer: { ok: true, data: { state: 'incomplete', checkedAt: null, remaining: ['a step'] } },
    })
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-online-'))
    try {
      // two built functions whose code reads the variables function-env.ts declares for them
      for (const [name, code] of [['admin', "process.env['OWNER_SETUP_KEY']; 'WXPAY_SUB_MCH_ID'"], ['member', 'env.WXPAY_SUB_MCH_ID']]) {
        fs.mkdirSync(path.join(dir, 'dist', name), { recursive: true })
        fs.mkdirSync(path.join(dir, 'src', name), { recursive: true })
        fs.writeFileSync(path.join(dir, 'dist', name, 'index.js'), code)
        fs.writeFileSync(path.join(dir, 'src', name, 'config.json'), JSON.stringify({ permissions: { openapi: [] } }))
      }
      const config = validateConfig({
        appId: APPID,
        cloudEnvId: ENV,
        brandName: '拾光咖啡',
        subscribeTemplates: Object.fromEntries(SUBSCRIBE_TEMPLATE_KEYS.map((k, i) => [k, `ZKm_9aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789a${i}`])),
        privacyContact: { email: 'privacy@example.com' },
      })
      items = await runDoctor({ config, functionsDir: path.join(dir, 'dist'), sourceDir: path.join(dir, 'src'), functions: ['admin', 'member'], appJson: {}, privacyUses: [], online: probeOf(cloud) })
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
    const byId = (id: string) => items.find((i) => i.id === id)
    expect(byId('online:env')?.status).toBe('done')
    expect(byId('online:vars:admin')).toMatchObject({ status: 'todo', detail: [expect.stringMatching(/^OWNER_SETUP_KEY/)] })
    expect(byId('online:vars:member')?.status).toBe('done')
    expect(byId('online:setup')).toMatchObject({ status: 'todo', detail: ['a step'] })
  })
})
