import fs from 'fs'
import path from 'path'

/** WeChat's default function timeout, in seconds (config.json `timeout`). */
export const DEFAULT_TIMEOUT_SECONDS = 3

export interface TriggerConfig {
  name: string
  type: string
  /** 7-field cron: second minute hour day month week year. */
  config: string
}

export interface FunctionDef {
  name: string
  /** Absolute path of the built entry (`<dir>/<name>/index.js`). */
  file: string
  timeoutMs: number
  triggers: TriggerConfig[]
  /**
   * config.json `permissions.openapi`: the open APIs (`subscribeMessage.send`, …) this function
   * may call; any other `cloud.openapi.*` call is refused with -604101, as on the cloud.
   */
  openapi: string[]
}

/** Function names are folder names; anything else could escape functionsDir. */
const NAME = /^[A-Za-z0-9_-]{1,64}$/

/**
 * The functions found in a folder of built functions (one sub-folder with index.js each), read
 * once at start: a rebuild is picked up on restart.
 */
export function loadFunctions(functionsDir: string): Map<string, FunctionDef> {
  const found = new Map<string, FunctionDef>()
  if (!fs.existsSync(functionsDir)) return found
  for (const entry of fs.readdirSync(functionsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !NAME.test(entry.name)) continue
    const dir = path.resolve(functionsDir, entry.name)
    const file = path.join(dir, 'index.js')
    if (!fs.existsSync(file)) continue
    const config = readConfig(path.join(dir, 'config.json'))
    found.set(entry.name, { name: entry.name, file, ...config })
  }
  return found
}

export function isValidFunctionName(name: string): boolean {
  return NAME.test(name)
}

function readConfig(file: string): Omit<FunctionDef, 'name' | 'file'> {
  let raw: unknown = {}
  if (fs.existsSync(file)) {
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'))
    } catch (err) {
      throw new Error(`${file}: invalid JSON (${(err as Error).message})`)
    }
  }
  const obj = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const timeout = typeof obj.timeout === 'number' && obj.timeout > 0 ? obj.timeout : DEFAULT_TIMEOUT_SECONDS
  const triggers: TriggerConfig[] = []
  if (Array.isArray(obj.triggers)) {
    for (const t of obj.triggers as unknown[]) {
      const tr = (t && typeof t === 'object' ? t : {}) as Record<string, unknown>
      if (typeof tr.name === 'string' && typeof tr.type === 'string' && typeof tr.config === 'string') {
        triggers.push({ name: tr.name, type: tr.type, config: tr.config })
      }
    }
  }
  const permissions = (obj.permissions && typeof obj.permissions === 'object' ? obj.permissions : {}) as Record<string, unknown>
  const openapi = Array.isArray(permissions.openapi) ? permissions.openapi.filter((a): a is string => typeof a === 'string') : []
  return { timeoutMs: Math.round(timeout * 1000), triggers, openapi }
}
