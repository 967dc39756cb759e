import { callCloud } from './call-cloud'
import { instanceStore, toast, toastError } from './ui'

const tried = instanceStore(() => ({ done: false }))

/**
 * Opened from a friend's share (card page or Moments on the invite page): bind the inviter once
 * per page (the server keeps the first anyway). Answers the hint to show after a binding, or ''.
 * A refusal (already bound to someone else, one's own code) is said, and the page goes on.
 */
export async function bindInviterOnce(page: object, inviter: string, boundHint: string): Promise<string> {
  const t = tried(page)
  if (!inviter || t.done) return ''
  t.done = true
  try {
    // A token (new links) or a member number (links shared before tokens).
    const res = await callCloud('member', 'bindInviter', /^\d{8}$/.test(inviter) ? { inviter } : { invite: inviter })
    if (!res.bound) return ''
    toast(res.message || '已接受好友邀请')
    return res.message || boundHint
  } catch (e) {
    toastError(e)
    return ''
  }
}
