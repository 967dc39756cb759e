/**
 * The backend for the screenshots: the real local cloud on a throw-away data folder, with the
 * functions freshly built and the demo merchant seeded.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { schema } from '../database/schema'
import { seedDemo } from '../database/demo-seed'
import type { LocalCloudOptions } from '../local-cloud/src/options'
import { startLocalCloud, type LocalCloud } from '../local-cloud/src/server'
import { buildFunctions, FUNCTIONS_OUT_DIR, packMiniprogramNpm } from '../scripts/build'
import { MP_ROOT } from './project'

export interface ScreensCloud {
  url: string
  /** a function invocation as `openid` (tests read settings the way the app does) */
  invoke: LocalCloud['invoke']
  close(): Promise<void>
}

export async function startScreensCloud(
  log: (msg: string) => void = () => undefined,
  opts: { fallback?: LocalCloudOptions['fallback'] } = {},
): Promise<ScreensCloud> {
  if (!existsSync(join(MP_ROOT, 'miniprogram_npm'))) {
    log('packing miniprogram_npm …')
    await packMiniprogramNpm()
  }
  await buildFunctions()
  const dataDir = mkdtempSync(join(tmpdir(), 'screens-cloud-'))
  const cloud = await startLocalCloud({ port: 0, dataDir, functionsDir: FUNCTIONS_OUT_DIR, schema, reset: true, quiet: true, timers: false, fallback: opts.fallback })
  const close = async (): Promise<void> => {
    await cloud.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    await seedDemo({ baseUrl: cloud.url, invoke: (name, event, opts) => cloud.invoke(name, event, opts) })
  } catch (e) {
    await close()
    throw e
  }
  return { url: cloud.url, invoke: (name, event, o) => cloud.invoke(name, event, o), close }
}
