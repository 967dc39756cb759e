import { AppError } from '../shared/errors'
import { deployedConfig, SUBSCRIBE_TEMPLATE_KEYS, type SubscribeTemplateKey } from './deploy-config'

export { SUBSCRIBE_TEMPLATES, SUBSCRIBE_TEMPLATE_KEYS, type SubscribeTemplateKey } from './deploy-config'

/**
 * The subscription-message template id a feature sends with (subscribeMessage.send) or asks the
 * member to accept (wx.requestSubscribeMessage, through an action that answers these ids): from
 * the configuration the function was deployed with, never from code.
 */
export function subscribeTemplateId(key: SubscribeTemplateKey): string {
  const id = deployedConfig().subscribeTemplates[key]
  if (!id) throw new AppError('INTERNAL', `订阅消息模板 ${key} 未配置：请在 deploy.config.json 填写后重新部署`)
  return id
}

/** Every template id by key, for an action that lets the mini program request subscriptions. */
export function subscribeTemplateIds(): Record<SubscribeTemplateKey, string> {
  const all = deployedConfig().subscribeTemplates
  return Object.fromEntries(SUBSCRIBE_TEMPLATE_KEYS.map((k) => [k, all[k]])) as Record<SubscribeTemplateKey, string>
}
