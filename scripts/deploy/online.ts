/**
 * The doctor's and the deploy's questions to the real cloud, with the upload key. miniprogram-ci's
 * public API only uploads (functions, triggers, storage, the mini program); to read what a
 * deployment has it uses DevTools' cloud API client, which it bundles (dist/common/cloud-api) and
 * calls itself in cloud.uploadFunction: tcbGetEnvironments (the env list, which proves the key
 * works), scfGetFunctionInfo (a function's configuration, environment variables included) and
 * scfInvokeFunction (what the console's 云端测试 does). Those are not part of miniprogram-ci's
 * documented API: if an update moves them, the probe says so and the doctor marks the online
 * checks as failed, never as done. Nothing here was run against a real environment in this
 * repository's tests (no key in CI); test/unit/deploy-doctor.test.ts drives the doctor with a
 * fake probe.
 */
import type { SetupNotice } from '../../cloudfunctions/services/setup'
import type { OnlineProbe } from './doctor'

/** The parts of miniprogram-ci's bundled cloud API client the probe uses (faked in its unit test). */
export interface CloudApiModule {
  TransactType: { IDE: unknown }
  tcbGetEnvironments(input: object, opts: object): Promise<{ envList: { envId: string; functions: { region: string }[] }[] }>
  scfGetFunctionInfo(input: object, opts: object): Promise<{ environment?: { variables?: { key: string; value: string }[] } }>
  scfInvokeFunction(input: object, opts: object): Promise<{ result?: { retMsg?: string; functionRequestId?: string } }>
}
export interface CloudApiHelpers {
  initCloudAPI(appid: string): void
  boundTransactRequest(project: unknown): unknown
  get3rdCloudCodeSecret(project: unknown): Promise<string | undefined>
}

export function internals(): { api: CloudApiModule; helpers: CloudApiHelpers } {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const api = require('miniprogram-ci/dist/common/cloud-api') as CloudApiModule
    const helpers = require('miniprogram-ci/dist/ci/cloud/cloudapi') as CloudApiHelpers
    /* eslint-enable @typescript-eslint/no-require-imports */
    if (typeof api.tcbGetEnvironments !== 'function' || typeof helpers.boundTransactRequest !== 'function') throw new Error('shape changed')
    return { api, helpers }
  } catch (e) {
    throw new Error(`miniprogram-ci 的云开发接口不可用（版本变化？）：${e instanceof Error ? e.message : String(e)}`)
  }
}

/**
 * Why the online checks cannot run, or null when they can: they need the upload key (never in
 * the repository, so never in CI) and a valid configuration (the AppID and env id to ask about).
 */
export function onlineSkipReason(opts: { keyPath: string | undefined; configOk: boolean; keyExists: (path: string) => boolean }): string | null {
  if (!opts.keyPath) return '跳过在线检查：未设置 WX_PRIVATE_KEY_PATH（上传密钥），CI 中同样跳过'
  if (!opts.configOk) return '跳过在线检查：deploy.config.json 无效'
  if (!opts.keyExists(opts.keyPath)) return `跳过在线检查：找不到上传密钥 ${opts.keyPath}`
  return null
}

export function cloudProbe(
  opts: { project: unknown; appid: string; envId: string },
  deps: { api: CloudApiModule; helpers: CloudApiHelpers } = internals(),
): OnlineProbe & { invoke(fn: string, event: object): Promise<unknown> } {
  const { api, helpers } = deps
  helpers.initCloudAPI(opts.appid)
  const topts = { request: helpers.boundTransactRequest(opts.project), transactType: api.TransactType.IDE }
  let region: string | null = null
  const regionOf = async (): Promise<string> => {
    if (region !== null) return region
    const { envList } = await api.tcbGetEnvironments({}, topts)
    const env = envList.find((e) => e.envId === opts.envId)
    if (!env) throw new Error(`环境 ${opts.envId} 不存在`)
    region = env.functions[0]?.region ?? ''
    return region
  }
  const invoke = async (fn: string, event: object): Promise<unknown> => {
    const codeSecret = await helpers.get3rdCloudCodeSecret(opts.project)
    const res = await api.scfInvokeFunction(
      { namespace: opts.envId, region: await regionOf(), functionName: fn, invocationType: 'RequestResponse', clientContext: JSON.stringify(event), codeSecret },
      topts,
    )
    const msg = res.result?.retMsg
    return msg ? (JSON.parse(msg) as unknown) : null
  }
  return {
    async envExists() {
      try {
        await regionOf()
        return true
      } catch (e) {
        if (e instanceof Error && /不存在/.test(e.message)) return false
        throw e
      }
    },
    async functionEnvNames(fn) {
      try {
        const codeSecret = await helpers.get3rdCloudCodeSecret(opts.project)
        const info = await api.scfGetFunctionInfo({ namespace: opts.envId, region: await regionOf(), functionName: fn, codeSecret }, topts)
        return (info.environment?.variables ?? []).filter((v) => v.value !== '').map((v) => v.key)
      } catch {
        return null
      }
    },
    async setupNotice() {
      try {
        const answer = (await invoke('system', { action: 'setupStatus', input: {} })) as { ok?: boolean; data?: SetupNotice } | null
        return answer?.ok ? (answer.data ?? null) : null
      } catch {
        return null
      }
    },
    invoke,
  }
}
