/**
 * deploy.config.json: the one file a merchant fills before deploying (git-ignored; the committed
 * deploy.config.example.json shows every field). Validated before anything is built or uploaded,
 * every problem listed at once, each in Chinese with the English field path.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { ROOT } from '../build'
import { SUBSCRIBE_TEMPLATES, SUBSCRIBE_TEMPLATE_KEYS, type DeployedConfig, type SubscribeTemplateKey } from '../../cloudfunctions/services/deploy-config'
import { BRAND_MAX_CHARS } from '../../miniprogram/shared/settings-rules'

export const CONFIG_FILE = join(ROOT, 'deploy.config.json')
export const EXAMPLE_FILE = join(ROOT, 'deploy.config.example.json')

/** A mini program AppID: wx + 16 hex digits (微信公众平台 → 开发管理 → 开发设置). */
const APPID = /^wx[0-9a-f]{16}$/
/** A cloud env id as the console shows it: letters, digits, '-' (e.g. prod-3gx2k1a8b0c4d5e6). */
const ENV_ID = /^[a-z][a-z0-9-]{3,39}$/
/** Subscription template ids are 43 characters of [A-Za-z0-9_-] in 微信公众平台; allow some slack. */
const TEMPLATE_ID = /^[A-Za-z0-9_-]{20,64}$/

const templateId = (key: SubscribeTemplateKey) =>
  z
    .string({ required_error: `缺少「${SUBSCRIBE_TEMPLATES[key]}」的模板 ID`, invalid_type_error: `「${SUBSCRIBE_TEMPLATES[key]}」的模板 ID 应为字符串` })
    .regex(TEMPLATE_ID, `「${SUBSCRIBE_TEMPLATES[key]}」的模板 ID 格式不对：应为 微信公众平台 → 功能 → 订阅消息 → 我的模板 中复制的模板 ID`)

export const deployConfigSchema = z
  .object({
    appId: z
      .string({ required_error: '缺少 AppID', invalid_type_error: 'AppID 应为字符串' })
      .regex(APPID, 'AppID 格式不对：应为 wx 开头加 16 位十六进制字符（微信公众平台 → 开发管理 → 开发设置）'),
    cloudEnvId: z
      .string({ required_error: '缺少云开发环境 ID', invalid_type_error: '云开发环境 ID 应为字符串' })
      .regex(ENV_ID, '云开发环境 ID 格式不对：应为 云开发控制台 → 设置 → 环境设置 中的环境 ID（如 prod-3gx2k1a8b0c4d5e6）'),
    brandName: z
      .string({ required_error: '缺少品牌名称（首次启动时显示的名称）', invalid_type_error: '品牌名称应为字符串' })
      .trim()
      .min(1, '品牌名称不能为空')
      .max(BRAND_MAX_CHARS, `品牌名称最多 ${BRAND_MAX_CHARS} 个字`),
    subscribeTemplates: z
      .object(
        Object.fromEntries(SUBSCRIBE_TEMPLATE_KEYS.map((k) => [k, templateId(k)])) as Record<SubscribeTemplateKey, ReturnType<typeof templateId>>,
        { required_error: '缺少订阅消息模板 ID（subscribeTemplates）', invalid_type_error: 'subscribeTemplates 应为对象' },
      )
      .strict(),
    privacyContact: z
      .object(
        {
          email: z.string().email('隐私联系邮箱格式不对').optional(),
          phone: z.string().regex(/^[0-9+\- ]{5,20}$/, '隐私联系电话格式不对').optional(),
        },
        { required_error: '缺少隐私联系方式（privacyContact：email 或 phone，用于用户隐私保护指引）', invalid_type_error: 'privacyContact 应为对象' },
      )
      .strict()
      .refine((c) => Boolean(c.email || c.phone), '隐私联系方式至少填写 email 或 phone 之一'),
  })
  .strict()

export type DeployConfig = z.output<typeof deployConfigSchema>

export type ConfigResult = { ok: true; config: DeployConfig } | { ok: false; problems: string[] }

function describe(issue: z.ZodIssue): string {
  const path = issue.path.join('.')
  if (issue.code === 'unrecognized_keys') return `${path ? path + ': ' : ''}未知字段 ${issue.keys.join(', ')}（拼写错误？）/ unknown field`
  return `${path || '(root)'}: ${issue.message}`
}

/** Validates a parsed configuration; every problem, one line each. */
export function validateConfig(raw: unknown): ConfigResult {
  const r = deployConfigSchema.safeParse(raw)
  if (r.success) return { ok: true, config: r.data }
  return { ok: false, problems: r.error.issues.map(describe) }
}

/** Reads and validates deploy.config.json (or another file). */
export function loadConfig(file: string = CONFIG_FILE): ConfigResult {
  if (!existsSync(file)) {
    return { ok: false, problems: [`找不到 ${file}：复制 deploy.config.example.json 为 deploy.config.json 并填写 / copy the example and fill it in`] }
  }
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    return { ok: false, problems: [`${file} 不是合法的 JSON：${e instanceof Error ? e.message : String(e)}`] }
  }
  return validateConfig(raw)
}

/** What the functions are deployed with (services/deploy-config.ts reads it). */
export function deployedConfigOf(config: DeployConfig): DeployedConfig {
  return { brandName: config.brandName, subscribeTemplates: config.subscribeTemplates, source: 'deploy' }
}
