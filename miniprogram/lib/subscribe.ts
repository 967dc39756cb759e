import { callCloud } from './call-cloud'

/** Subscription-message template keys (services/deploy-config.ts SUBSCRIBE_TEMPLATES). */
export type ReminderKey = 'couponExpiring' | 'birthday' | 'prizeShipped' | 'checkIn' | 'campaign'

/**
 * Asks for consent to up to 3 reminders (wx.requestSubscribeMessage must run in a tap's handler)
 * and records each template the person accepted as one credit (member.subscribeAccepted). No
 * reward is ever tied to accepting (WeChat's rule). Answers how many were accepted.
 */
export async function askReminders(keys: ReminderKey[]): Promise<number> {
  const { templates } = await callCloud('member', 'subscribeTemplates', {})
  const wanted = keys.map((k) => [k, templates[k]] as const).filter(([, id]) => typeof id === 'string' && id !== '')
  if (wanted.length === 0) return 0
  const answer = await new Promise<Record<string, unknown>>((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: wanted.map(([, id]) => id),
      success: (res: Record<string, unknown>) => resolve(res),
      fail: () => resolve({}),
    })
  })
  const accepted = wanted.filter(([, id]) => answer[id] === 'accept').map(([k]) => k)
  if (accepted.length) await callCloud('member', 'subscribeAccepted', { keys: accepted })
  return accepted.length
}
