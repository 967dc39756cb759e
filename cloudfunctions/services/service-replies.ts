import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { DEFAULT_SERVICE_REPLIES, type ServiceReplies } from '../domain/service-replies'
import { getDoc } from './db-util'

/** The 客服 auto-replies live in their own merchant document, next to the settings ('default'). */
export const SERVICE_REPLIES_DOC_ID = 'serviceReplies'

export function serviceRepliesFrom(doc: Partial<ServiceReplies> | null): ServiceReplies {
  return {
    enabled: typeof doc?.enabled === 'boolean' ? doc.enabled : DEFAULT_SERVICE_REPLIES.enabled,
    greeting: typeof doc?.greeting === 'string' ? doc.greeting : DEFAULT_SERVICE_REPLIES.greeting,
    replies: Array.isArray(doc?.replies) ? doc.replies : DEFAULT_SERVICE_REPLIES.replies,
  }
}

export async function loadServiceReplies(db: Database): Promise<ServiceReplies> {
  return serviceRepliesFrom(await getDoc<Partial<ServiceReplies>>(db, COLLECTIONS.merchant, SERVICE_REPLIES_DOC_ID))
}
