/**
 * Every environment variable a product function reads, declared once, with what to put in it
 * and where the merchant finds the value. A function needs the ones its built code mentions
 * (envVarsOf), so the per-function list follows the code. A feature that reads a new variable
 * adds its line here; the doctor then lists it for every function whose code names it.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { WECHAT_PAY_ENV_VARS } from '../../cloudfunctions/services/wechat-pay'
import { SETUP_KEY_ENV } from '../../cloudfunctions/admin/bootstrap'

export interface FunctionEnvVar {
  name: string
  description: string
  /** Where the value comes from, for the doctor's checklist. */
  source: string
}

export const FUNCTION_ENV_VARS: readonly FunctionEnvVar[] = [
  ...WECHAT_PAY_ENV_VARS.map((v) => ({ ...v, source: '微信支付商户平台 → 服务商功能 → 特约商户管理（子商户号）；并在 云开发控制台 → 设置 → 其他设置 → 微信支付配置 绑定该商户号' })),
  { name: SETUP_KEY_ENV, description: '店主初始化口令（16 位以上随机字符，绑定首位店主时使用）', source: '自行生成，例如 openssl rand -hex 16' },
]

/** The declared variables a built function's code reads. */
export function envVarsOf(functionDir: string): FunctionEnvVar[] {
  const file = join(functionDir, 'index.js')
  const code = existsSync(file) ? readFileSync(file, 'utf8') : ''
  return FUNCTION_ENV_VARS.filter((v) => new RegExp(`\\b${v.name}\\b`).test(code))
}
