import { nextFire, parseCron } from '../../../local-cloud/src/cron'
import { post, get, sdkFor, startTestCloud, type TestCloud } from './helpers'

let t: TestCloud

beforeAll(async () => {
  t = await startTestCloud()
})
afterAll(async () => {
  await t.stop()
})

describe('timer triggers', () => {
  it('runs a trigger on demand over HTTP with the timer event and SOURCE wx_trigger', async () => {
    const a = await post(`${t.cloud.url}/timers/ticker/daily`)
    expect(a.status).toBe(200)
    expect(a.body.event).toMatchObject({ Type: 'Timer', TriggerName: 'daily', Message: '' })
    expect(a.body.event.Time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(a.body.wx).toMatchObject({ SOURCE: 'wx_trigger', ENV: 'local' })
    expect(a.body.wx.OPENID).toBeUndefined()
  })

  it('runs a trigger through LocalCloud.runTimer and lists timers', async () => {
    const res = (await t.cloud.runTimer('ticker', 'daily')) as { event: { TriggerName: string } }
    expect(res.event.TriggerName).toBe('daily')
    await expect(t.cloud.runTimer('ticker', 'nope')).rejects.toThrow(/no timer trigger/)
    const list = await get(`${t.cloud.url}/timers`)
    expect(list.body.timers).toEqual(
      expect.arrayContaining([expect.objectContaining({ functionName: 'ticker', triggerName: 'daily', cron: '0 0 2 * * * *', next: expect.stringMatching(/T18:00:00.000Z$/) })]),
    )
  })

  it('answers 404 for an unknown trigger', async () => {
    const a = await post(`${t.cloud.url}/timers/ticker/weekly`)
    expect(a.status).toBe(404)
    expect(a.body.code).toBe('TRIGGER_NOT_FOUND')
  })
})

describe('scheduled timers', () => {
  it('runs triggers on their schedule when enabled', async () => {
    const scheduled = await startTestCloud({ timers: true })
    try {
      const db = sdkFor(scheduled.cloud).database()
      let ticks: any[] = []
      for (let i = 0; i < 40 && ticks.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 200))
        ticks = (await db.collection('ticks').get()).data
      }
      expect(ticks.length).toBeGreaterThanOrEqual(2)
      expect(ticks[0].event).toMatchObject({ Type: 'Timer', TriggerName: 'everySecond' })
      expect(ticks[0].wx.SOURCE).toBe('wx_trigger')
    } finally {
      await scheduled.stop()
    }
  })
})

describe('7-field cron', () => {
  // Times are China Standard Time (UTC+8), as in the cloud.
  const cst = (iso: string): number => Date.parse(`${iso}+08:00`)
  const next = (cron: string, fromIso: string): string | null => {
    const at = nextFire(parseCron(cron), cst(fromIso))
    return at === null ? null : new Date(at + 8 * 3600_000).toISOString().slice(0, 19)
  }

  it('computes the next fire time', () => {
    expect(next('0 0 2 * * * *', '2024-05-01T01:59:59')).toBe('2024-05-01T02:00:00')
    expect(next('0 0 2 * * * *', '2024-05-01T02:00:00')).toBe('2024-05-02T02:00:00')
    expect(next('*/5 * * * * * *', '2024-05-01T10:00:01')).toBe('2024-05-01T10:00:05')
    expect(next('0 30 9 1 * * *', '2024-12-15T00:00:00')).toBe('2025-01-01T09:30:00')
    expect(next('0 0 8 * * MON-FRI *', '2024-05-04T09:00:00')).toBe('2024-05-06T08:00:00') // Sat → Mon
    expect(next('0 0 0 29 FEB * *', '2025-01-01T00:00:00')).toBe('2028-02-29T00:00:00')
    expect(next('0 0 12 * * * 2020', '2024-01-01T00:00:00')).toBeNull()
    expect(next('0 15,45 10-11 * * * *', '2024-05-01T10:20:00')).toBe('2024-05-01T10:45:00')
  })

  it('rejects malformed expressions', () => {
    expect(() => parseCron('0 0 2 * * *')).toThrow(/7 fields/)
    expect(() => parseCron('61 0 2 * * * *')).toThrow(/second/)
    expect(() => parseCron('0 0 2 * FOO * *')).toThrow(/month/)
  })
})
