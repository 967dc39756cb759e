/**
 * The backend for the screenshots: the real local cloud on a throw-away data folder, with the
 * functions freshly built and the demo merchant seeded (database/demo-seed.ts, when present).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { schema } from '../database/schema'
import { startLocalCloud } from '../local-cloud/src/server'
import { buildFunctions, FUNCTIONS_OUT_DIR, packMiniprogramNpm } from '../scripts/build'
import { MP_ROOT, ROOT } from './project'

export interface ScreensCloud {
  url: string
  seeded: boolean
  close(): Promise<void>
}

type Invoke = (name: string, event: unknown, opts?: { openid?: string }) => Promise<unknown>
type SeedDemo = (opts: { baseUrl: string; invoke: Invoke }) => Promise<unknown>

export async function startScreensCloud(log: (msg: string) => void = () => undefined): Promise<ScreensCloud> {
  if (!existsSync(join(MP_ROOT, 'miniprogram_npm'))) {
    log('packing miniprogram_npm …')
    await packMiniprogramNpm()
  }
  await buildFunctions()
  const dataDir = mkdtempSync(join(tmpdir(), 'screens-cloud-'))
  const cloud = await startLocalCloud({ port: 0, dataDir, functionsDir: FUNCTIONS_OUT_DIR, schema, reset: true, quiet: true, timers: false })
  let seeded = false
  const seedFile = ['demo-seed.ts', 'demo-seed.js'].map((f) => join(ROOT, 'database', f)).find((f) => existsSync(f))
  try {
    if (seedFile) {
      const mod = (await import(seedFile)) as { seedDemo?: SeedDemo }
      if (typeof mod.seedDemo === 'function') {
        await mod.seedDemo({ baseUrl: cloud.url, invoke: (name, event, opts) => cloud.invoke(name, event, opts) })
        seeded = true
      }
    }
    if (!seeded) log('no database/demo-seed.ts with seedDemo(): pages show an empty merchant')
  } catch (e) {
    await cloud.close()
    rmSync(dataDir, { recursive: true, force: true })
    throw e
  }
  return {
    url: cloud.url,
    seeded,
    close: async () => {
      await cloud.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
