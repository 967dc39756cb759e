import fs from 'fs'
import { isValidFunctionName } from './function-registry'

/**
 * Per-function environment variables, as the console sets them for each function (云函数 →
 * 函数配置 → 环境变量): `{ "<function>": { "<NAME>": "<value>" } }`. Locally they come from a JSON
 * file next to the data folder and from `npm start -- --env <function>:<NAME>=<value>`.
 */
export type FunctionEnv = Record<string, Record<string, string>>

/** Tencent SCF's quota for one function's environment variables (单个函数的环境变量大小 4KB). */
export const MAX_FUNCTION_ENV_BYTES = 4 * 1024

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
/** Set by the runtime for every invocation; a configured variable may not shadow them. */
const RESERVED = /^(WX_|TCB_|TENCENTCLOUD|SCF_|LOCAL_CLOUD_)/

/** A mistake in the configured variables, with a message saying which one. */
export class FunctionEnvError extends Error {}

/** Checks names, values and the per-function size; answers a clean copy. */
export function validateFunctionEnv(env: unknown, where: string): FunctionEnv {
  if (!env || typeof env !== 'object' || Array.isArray(env)) throw new FunctionEnvError(`${where}：应为 { "函数名": { "变量名": "值" } }`)
  const out: FunctionEnv = {}
  for (const [fn, vars] of Object.entries(env as Record<string, unknown>)) {
    if (!isValidFunctionName(fn)) throw new FunctionEnvError(`${where}：函数名 ${JSON.stringify(fn)} 不合法`)
    if (!vars || typeof vars !== 'object' || Array.isArray(vars)) throw new FunctionEnvError(`${where}：${fn} 的环境变量应为 { "变量名": "值" }`)
    out[fn] = {}
    for (const [name, value] of Object.entries(vars as Record<string, unknown>)) {
      if (!VAR_NAME.test(name)) throw new FunctionEnvError(`${where}：${fn} 的变量名 ${JSON.stringify(name)} 不合法`)
      if (RESERVED.test(name)) throw new FunctionEnvError(`${where}：${fn} 的变量名 ${name} 是运行时保留的（WX_、TCB_、TENCENTCLOUD、SCF_、LOCAL_CLOUD_ 开头）`)
      if (typeof value !== 'string') throw new FunctionEnvError(`${where}：${fn}.${name} 的值应为字符串`)
      out[fn][name] = value
    }
    const bytes = Object.entries(out[fn]).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0)
    if (bytes > MAX_FUNCTION_ENV_BYTES) throw new FunctionEnvError(`${where}：${fn} 的环境变量共 ${bytes} 字节，超过云函数的上限 ${MAX_FUNCTION_ENV_BYTES} 字节（4KB）`)
  }
  return out
}

/** The variables in a JSON file; a missing file is no variables. */
export function readFunctionEnvFile(file: string): FunctionEnv {
  if (!fs.existsSync(file)) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    throw new FunctionEnvError(`${file}：不是合法的 JSON（${(err as Error).message}）`)
  }
  return validateFunctionEnv(parsed, file)
}

/** `admin:OWNER_SETUP_KEY=abc` → `{ admin: { OWNER_SETUP_KEY: 'abc' } }` (the value may contain `=` and `:`). */
export function parseEnvFlags(flags: readonly string[]): FunctionEnv {
  const env: Record<string, Record<string, string>> = {}
  for (const flag of flags) {
    const m = /^([^:=]+):([^=]+)=(.*)$/s.exec(flag)
    if (!m) throw new FunctionEnvError(`--env ${flag}：格式应为 <函数名>:<变量名>=<值>，例如 admin:OWNER_SETUP_KEY=…`)
    ;(env[m[1]] ??= {})[m[2]] = m[3]
  }
  return validateFunctionEnv(env, '--env')
}

/** `overrides` win per variable (flags over the file). */
export function mergeFunctionEnv(base: FunctionEnv, overrides: FunctionEnv): FunctionEnv {
  const out: FunctionEnv = {}
  for (const fn of new Set([...Object.keys(base), ...Object.keys(overrides)])) out[fn] = { ...base[fn], ...overrides[fn] }
  return validateFunctionEnv(out, '合并后的环境变量')
}
