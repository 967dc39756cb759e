import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import type { ActionContext } from '../../../cloudfunctions/shared/handler'
import { creditsOf, messageProblems, recordConsents, reminderSend, sendReminder, type ReminderRequest } from '../../../cloudfunctions/services/reminders'
import { startAdminCloud, type AdminCloud } from '../admin/helpers'

// The template ids come from the deployed configuration next to a built function; in-process
// there is none, so the lookup answers a fixed id (the sending logic under test is unchanged).
jest.mock('../../../cloudfunctions/services/subscribe-templates', () => {
  const actual = jest.requireActual('../../../cloudfunctions/services/subscribe-templates')
  return { ...actual, subscribeTemplateId: (key: string) => `tpl-${key}` }
})

/**
 * Credits and sends against the local database, with WeChat's send at the API boundary: a fake
 * that answers like the SDK (43101 thrown for a member who refused), recording what it sent.
 */
let c: AdminCloud
const sent: { touser: string; templateId: string; data: unknown }[] = []
const refused = new Set<string>()
let failNext = 0

const ctx = (): ActionContext =>
  ({
    caller: { openid: '' },
    db: c.db,
    now: () => new Date(),
    cloud: {
      openapi: {
        subscribeMessage: {
          send: async (p: { touser: string; templateId: string; data: unknown }) => {
            await new Promise((r) => setTimeout(r, 5))
            if (refused.has(p.touser)) throw Object.assign(new Error('errCode: 43101 user refuse to accept the msg'), { errCode: 43101 })
            if (failNext > 0) {
              failNext -= 1
              throw Object.assign(new Error('errCode: 45009 reach max api daily quota limit'), { errCode: 45009 })
            }
            sent.push(p)
            return { errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok', msgid: sent.length }
          },
        },
      },
    },
  }) as unknown as ActionContext

const expiring = (openid: string, cause: string, marketing = false): ReminderRequest => ({
  openid,
  key: 'couponExpiring',
  cause,
  page: 'pages/coupons/index',
  data: { thing1: '满50减10', time2: '2026-12-05 23:59', thing3: '3 天后到期，别忘了使用' },
  marketing,
})

beforeAll(async () => {
  c = await startAdminCloud()
}, 120_000)
afterAll(async () => {
  await c?.stop()
})
beforeEach(() => {
  sent.length = 0
  refused.clear()
  failNext = 0
})

describe('subscription credits', () => {
  it('3 consents allow exactly 3 of 8 concurrent sends; the rest are told no-credit', async () => {
    await recordConsents(c.db, 'o-r1', ['couponExpiring', 'couponExpiring', 'couponExpiring'], new Date())
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => sendReminder(ctx(), expiring('o-r1', `expiring:cp${i}`))))
    expect(outcomes.filter((o) => o === 'sent').length).toBe(3)
    expect(outcomes.filter((o) => o === 'no-credit').length).toBe(5)
    expect(sent.length).toBe(3)
    expect((await creditsOf(c.db, 'o-r1')).couponExpiring).toBe(0)
  })

  it('one cause is sent once, however many sends race for it', async () => {
    await recordConsents(c.db, 'o-r2', ['couponExpiring', 'couponExpiring', 'couponExpiring'], new Date())
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => sendReminder(ctx(), expiring('o-r2', 'expiring:same'))))
    expect(outcomes.filter((o) => o === 'sent').length).toBe(1)
    expect(outcomes.filter((o) => o === 'already').length).toBe(5)
    expect((await creditsOf(c.db, 'o-r2')).couponExpiring).toBe(2)
  })

  it('43101 zeroes the credits of that template', async () => {
    await recordConsents(c.db, 'o-r3', ['couponExpiring', 'couponExpiring', 'birthday'], new Date())
    refused.add('o-r3')
    expect(await sendReminder(ctx(), expiring('o-r3', 'expiring:r3'))).toBe('refused')
    expect(await creditsOf(c.db, 'o-r3')).toMatchObject({ couponExpiring: 0, birthday: 1 })
    expect((await reminderSend(c.db, 'expiring:r3'))?.status).toBe('refused')
  })

  it('a failed send gives its credit back and may be tried again for the same cause', async () => {
    await recordConsents(c.db, 'o-r4', ['couponExpiring'], new Date())
    failNext = 1
    expect(await sendReminder(ctx(), expiring('o-r4', 'expiring:r4'))).toBe('failed')
    expect((await creditsOf(c.db, 'o-r4')).couponExpiring).toBe(1)
    expect(await sendReminder(ctx(), expiring('o-r4', 'expiring:r4'))).toBe('sent')
    expect((await creditsOf(c.db, 'o-r4')).couponExpiring).toBe(0)
  })

  it('a member receives at most the daily cap of marketing reminders, whatever the credits', async () => {
    await recordConsents(c.db, 'o-r5', ['couponExpiring', 'couponExpiring', 'couponExpiring'], new Date())
    const outcomes = await Promise.all([1, 2, 3].map((i) => sendReminder(ctx(), expiring('o-r5', `expiring:m${i}`, true))))
    expect(outcomes.sort()).toEqual(['daily-cap', 'daily-cap', 'sent'])
    expect((await creditsOf(c.db, 'o-r5')).couponExpiring).toBe(2)
    // A service reminder (not marketing) is not capped.
    expect(await sendReminder(ctx(), expiring('o-r5', 'expiring:service'))).toBe('sent')
  })

  it('a message breaking the template field rules is refused before anything is spent', async () => {
    await recordConsents(c.db, 'o-r6', ['couponExpiring'], new Date())
    const bad = { ...expiring('o-r6', 'expiring:bad'), data: { thing1: '一二三四五六七八九十一二三四五六七八九十超', time2: 'tomorrow', extra: 'x' } }
    await expect(sendReminder(ctx(), bad)).rejects.toThrow(/thing1.*20/)
    expect((await creditsOf(c.db, 'o-r6')).couponExpiring).toBe(1)
    expect(await c.db.collection(COLLECTIONS.reminderSends).where({ openid: 'o-r6' }).count()).toMatchObject({ total: 0 })
    expect(messageProblems('couponExpiring', { thing1: 'a', time2: '2026-12-02 10:00', thing3: 'b' })).toEqual([])
  })
})

describe('member.subscribeAccepted', () => {
  it('records one credit per accepted template and refuses unknown keys with nothing changed', async () => {
    const ok = await c.invoke('member', 'subscribeAccepted', { keys: ['checkIn', 'birthday'] }, 'o-acc')
    expect(ok).toMatchObject({ ok: true, data: { credits: { checkIn: 1, birthday: 1, couponExpiring: 0 } } })
    const bad = await c.invoke('member', 'subscribeAccepted', { keys: ['spam'] }, 'o-acc')
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    const none = await c.invoke('member', 'subscribeAccepted', { keys: [] }, 'o-acc')
    expect(none).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect((await creditsOf(c.db, 'o-acc')).checkIn).toBe(1)
    const ids = await c.invoke('member', 'subscribeTemplates', {}, 'o-acc')
    expect(ids).toMatchObject({ ok: true, data: { templates: { checkIn: 'local-template-checkIn' } } })
  })
})
