import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * What a function was deployed with: the build writes DEPLOYED_CONFIG_FILE next to each bundle
 * (index.js) — from deploy.config.json on `npm run deploy`, from local placeholders on
 * `npm run build` — and uploads it with the function. A file bundled with the function rather
 * than environment variables because miniprogram-ci cannot set environment variables (the
 * merchant would type every template id per function in the console), these values are not
 * secrets, and a bundle and its configuration are then one uploaded unit that cannot drift apart.
 */
export const DEPLOYED_CONFIG_FILE = 'deploy-config.json'

/** The subscription-message templates the features send, with the name a merchant picks in 微信公众平台. */
export const SUBSCRIBE_TEMPLATES = {
  couponExpiring: '优惠券到期提醒',
  birthday: '生日礼遇提醒',
  prizeShipped: '奖品发货通知',
  checkIn: '签到提醒',
  campaign: '活动上新提醒',
} as const

export type SubscribeTemplateKey = keyof typeof SUBSCRIBE_TEMPLATES
export const SUBSCRIBE_TEMPLATE_KEYS = Object.keys(SUBSCRIBE_TEMPLATES) as SubscribeTemplateKey[]

export interface DeployedConfig {
  brandName: string
  subscribeTemplates: Record<SubscribeTemplateKey, string>
  /** local: written by `npm run build` (placeholders); deploy: from deploy.config.json. */
  source: 'local' | 'deploy'
}

let cached: DeployedConfig | null = null

/** The deployed configuration; `dir` for tests (default: the bundle's own folder). */
export function deployedConfig(dir: string = __dirname): DeployedConfig {
  if (cached && dir === __dirname) return cached
  const file = join(dir, DEPLOYED_CONFIG_FILE)
  if (!existsSync(file)) throw new Error(`${DEPLOYED_CONFIG_FILE} missing next to the function: deploy with npm run deploy`)
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as DeployedConfig
  if (dir === __dirname) cached = parsed
  return parsed
}
