import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { memberIdOf } from '../../../cloudfunctions/services/documents'
import { newMember } from '../../../cloudfunctions/services/capture'
import { inHoldout, runCampaign } from '../../../cloudfunctions/services/campaigns'
import type { ActionContext } from '../../../cloudfunctions/shared/handler'
import { all, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from './helpers'

/**
 * 定向发券 as a resumable job: a 5,000-member campaign with a fault injected mid-run resumes to
 * exactly one coupon per eligible member (and none to anyone else), also with several runners
 * racing; the frequency cap and consent credits hold with two campaigns at once; a store manager
 * reaches only their store's members; bad inputs are refused with specific codes and change
 * nothing; scheduled campaigns start lazily on read and by the timer; results compare the
 * members who got the coupon with the hold-out.
 */
const DAY = 86_400_000
type Engine = { handle(b: Record<string, unknown>): Promise<Record<string, unknown>> }

let c: AdminCloud
let org: Org
/** The test process's database as the functions configure it (a missing document reads as null). */
let db: any
let memberNos = 60_000_000

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  db = (c.sdk.database as (o: unknown) => any)({ throwOnNotFound: false })
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

/** Members inserted straight into the engine, 500 a request (the population of a big campaign). */
async function insertMembers(prefix: string, n: number, extra: (i: number) => Record<string, unknown>): Promise<string[]> {
  const engine: Engine = c.lc.engine
  const openids: string[] = []
  for (let start = 0; start < n; start += 500) {
    const docs: string[] = []
    for (let i = start; i < Math.min(n, start + 500); i += 1) {
      const openid = `${prefix}-${String(i).padStart(5, '0')}`
      openids.push(openid)
      const base = newMember(openid, String((memberNos += 1)), { storeId: '', touchpoint: 'poster' }, null, new Date())
      docs.push(JSON.stringify({ ...base, createdAt: { $date: new Date(Date.now() - 400 * DAY).toISOString() }, updatedAt: { $date: new Date().toISOString() }, ...extra(i) }))
    }
    const res = await engine.handle({ action: 'database.insertDocument', collectionName: COLLECTIONS.members, data: docs })
    if (res.code) throw new Error(`seed: ${JSON.stringify(res)}`)
  }
  return openids
}

const dateOf = (ms: number) => ({ $date: new Date(ms).toISOString() })

async function activeTemplate(storeId: string | null, title: string, stock: number, perMemberLimit = 1): Promise<string> {
  const made = await c.ok(org.owner, 'couponTemplates.create', { storeId, title, value: { type: 'cash', valueFen: 500 }, validity: { kind: 'relative', days: 30 }, stock, perMemberLimit })
  await c.ok(org.owner, 'couponTemplates.setStatus', { templateId: made.template.id, to: 'active' })
  return made.template.id
}

/** Runs the job through the admin function until it is done (each call one bounded invocation). */
async function runToEnd(openid: string, campaignId: string, parallel = 1): Promise<any> {
  for (let i = 0; i < 400; i += 1) {
    const answers = await Promise.all(Array.from({ length: parallel }, () => c.ok(openid, 'campaigns.run', { campaignId })))
    const done = answers.find((a) => a.campaign.status === 'done')
    if (done) return done
  }
  throw new Error('campaign did not finish')
}

/** A context for running the job in-process on `db` (the fault-injection runs). */
function ctxOn(on: any, now: () => Date = () => new Date()): ActionContext {
  return { caller: { openid: org.owner, appid: 'wx-test', unionid: '', source: 'wx_client' }, db: on, cloud: { openapi: {} } as never, now }
}

/** The database, but the transaction after the first `okCount` ones fails (a crash mid-run). */
function faultAfter(db: any, okCount: number): any {
  let n = 0
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'runTransaction') {
        return async (body: unknown, retries: number) => {
          n += 1
          if (n > okCount) throw new Error('injected: function crashed')
          return target.runTransaction(body, retries)
        }
      }
      const v = Reflect.get(target, prop, receiver)
      return typeof v === 'function' ? v.bind(target) : v
    },
  })
}

async function couponsOf(templateId: string): Promise<Map<string, number>> {
  const $ = c.db.command.aggregate
  const res = await c.db.collection(COLLECTIONS.coupons).aggregate().match({ templateId }).group({ _id: '$openid', n: $.sum(1) }).limit(100_000).end()
  return new Map(res.list.map((r: { _id: string; n: number }) => [r._id, r.n]))
}

describe('a 5,000-member campaign', () => {
  it('resumes after a fault mid-run to exactly one coupon per eligible member, with runners racing', async () => {
    // Every fifth member lapsed (last visit 100 days ago), the rest recent.
    const openids = await insertMembers('o-big', 5000, (i) => ({ lastVisitAt: dateOf(Date.now() - (i % 5 === 0 ? 100 : 5) * DAY), paidOrderCount: 1, visitCount: 1 }))
    const lapsed = openids.filter((_, i) => i % 5 === 0)
    const templateId = await activeTemplate(null, '好久不见券', 10_000)
    const { campaign } = await c.ok(org.owner, 'campaigns.create', { name: '唤回老顾客', root: { op: 'and', items: [{ kind: 'recency', op: 'gte', days: 60 }] }, templateId, holdoutPercent: 10 })
    const holdout = new Set(lapsed.filter((o) => inHoldout(campaign.id, o, 10)))
    expect(holdout.size).toBeGreaterThan(60)
    expect(holdout.size).toBeLessThan(150)

    // The first invocation dies after 250 member transactions (mid-batch).
    await expect(runCampaign(ctxOn(faultAfter(db, 250)), campaign.id, 120_000)).rejects.toThrow(/injected/)
    const mid = await c.ok(org.owner, 'campaigns.get', { campaignId: campaign.id })
    expect(mid.campaign.status).toBe('running')
    expect(mid.progress.processed).toBe(250)
    // A second dies too, a few transactions in (the batch it re-walks is partly done).
    await expect(runCampaign(ctxOn(faultAfter(db, 5)), campaign.id, 60_000)).rejects.toThrow(/injected/)

    // Resumed by three racing runners per round until done.
    const done = await runToEnd(org.owner, campaign.id, 3)
    expect(done.progress).toMatchObject({ processed: lapsed.length, issued: lapsed.length - holdout.size, holdout: holdout.size })
    const got = await couponsOf(templateId)
    const eligible = lapsed.filter((o) => !holdout.has(o))
    expect([...got.values()].every((n) => n === 1)).toBe(true)
    expect([...got.keys()].sort()).toEqual(eligible.sort())
    const tpl = (await c.db.collection(COLLECTIONS.couponTemplates).doc(templateId).get()).data
    expect(tpl.remaining).toBe(10_000 - eligible.length)
    const outcomes = await c.db.collection(COLLECTIONS.campaignMembers).where({ campaignId: campaign.id }).count()
    expect(outcomes.total).toBe(lapsed.length)
    // Running a finished campaign again changes nothing.
    const before = await snapshot(c.db)
    await c.ok(org.owner, 'campaigns.run', { campaignId: campaign.id })
    expect(await snapshot(c.db)).toBe(before)
  }, 600_000)
})

describe('notices: consent credits and the frequency cap', () => {
  it('two campaigns at once send each consenting member one notice, spend one credit, and issue both coupons', async () => {
    const openids = await insertMembers('o-cap', 30, () => ({ manualTags: ['通知测试'], lastVisitAt: dateOf(Date.now() - 3 * DAY) }))
    const consenting = openids.slice(0, 20)
    for (const o of consenting) {
      const res = await c.invoke('member', 'subscribeAccepted', { keys: ['campaign'] }, o)
      if (!res.ok) throw new Error(`consent: ${res.code}`)
    }
    const root = { op: 'and', items: [{ kind: 'tag', source: 'manual', tag: '通知测试', has: true }] }
    const t1 = await activeTemplate(null, '通知券一', 100)
    const t2 = await activeTemplate(null, '通知券二', 100)
    const a = (await c.ok(org.owner, 'campaigns.create', { name: '活动甲', root, templateId: t1, notify: true })).campaign.id
    const b = (await c.ok(org.owner, 'campaigns.create', { name: '活动乙', root, templateId: t2, notify: true })).campaign.id
    const [ra, rb] = await Promise.all([runToEnd(org.owner, a), runToEnd(org.owner, b)])
    expect(ra.progress.issued + rb.progress.issued).toBe(60)
    // One notice per consenting member across both campaigns; the other campaign found the
    // member's window taken (frequency cap) or, once the one credit was spent, no consent left.
    // The ten without consent are skipped by both.
    expect(ra.progress.notified + rb.progress.notified).toBe(20)
    const skips = [ra, rb].map((r) => r.progress.skipped)
    expect(skips.reduce((n, k) => n + k.frequencyCap + k.noConsent, 0)).toBe(40)
    expect(skips.reduce((n, k) => n + k.noConsent, 0)).toBeGreaterThanOrEqual(20)
    expect(skips.every((k) => k.failed === 0 && k.dailyCap === 0)).toBe(true)
    const sends = (await all(c.db, 'reminder_sends')).filter((s) => s.status === 'sent' && openids.includes(s.openid))
    expect(sends.map((s) => s.openid).sort()).toEqual([...consenting].sort())
    const credits = await all(c.db, 'subscribe_credits')
    for (const o of consenting) expect([o, credits.find((x) => x.openid === o && x.key === 'campaign')?.credits]).toEqual([o, 0])
    expect((await couponsOf(t1)).size).toBe(30)
    expect((await couponsOf(t2)).size).toBe(30)
  }, 240_000)

  it('caps a later campaign within the 7-day window (the default) although the members still hold credits', async () => {
    const openids = await insertMembers('o-cap2', 6, () => ({ manualTags: ['窗口测试'], lastVisitAt: dateOf(Date.now() - 3 * DAY) }))
    for (const o of openids) for (let k = 0; k < 3; k += 1) {
      const res = await c.invoke('member', 'subscribeAccepted', { keys: ['campaign'] }, o)
      if (!res.ok) throw new Error(`consent: ${res.code}`)
    }
    const root = { op: 'and', items: [{ kind: 'tag', source: 'manual', tag: '窗口测试', has: true }] }
    const first = (await c.ok(org.owner, 'campaigns.create', { name: '第一波', root, templateId: await activeTemplate(null, '窗口券一', 50), notify: true })).campaign.id
    expect((await runToEnd(org.owner, first)).progress.notified).toBe(6)
    // Three days later (the daily marketing cap no longer applies): still within 7 days.
    const later = (days: number) => () => new Date(Date.now() + days * DAY)
    const second = (await c.ok(org.owner, 'campaigns.create', { name: '第二波', root, templateId: await activeTemplate(null, '窗口券二', 50), notify: true })).campaign.id
    await runCampaign(ctxOn(db, later(3)), second, 60_000)
    const s2 = await c.ok(org.owner, 'campaigns.get', { campaignId: second })
    expect(s2.progress).toMatchObject({ issued: 6, notified: 0 })
    expect(s2.progress.skipped.frequencyCap).toBe(6)
  }, 240_000)
})

describe('scope and refusals', () => {
  it("a store manager's campaign reaches only their store's members, and cannot name another store", async () => {
    await insertMembers('o-scope', 12, (i) => ({ manualTags: ['门店测试'], firstStoreId: i < 4 ? org.storeA : i < 8 ? org.storeB : '', storeVisits: i >= 8 ? { [i % 2 ? org.storeA : org.storeB]: 3 } : {} }))
    const mineA = ['o-scope-00000', 'o-scope-00001', 'o-scope-00002', 'o-scope-00003', 'o-scope-00009', 'o-scope-00011']
    const templateA = await activeTemplate(org.storeA, '徐汇店专享券', 100)
    const templateB = await activeTemplate(org.storeB, '静安店专享券', 100)
    const templateHq = await activeTemplate(null, '全店通用券', 100)
    const root = { op: 'and', items: [{ kind: 'tag', source: 'manual', tag: '门店测试', has: true }] }
    const before = await snapshot(c.db)
    expect(await c.admin(org.manager, 'campaigns.create', { name: '越界', root: { op: 'and', items: [{ kind: 'store', which: 'favourite', storeIds: [org.storeB] }] }, templateId: templateA })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.manager, 'campaigns.create', { name: '别店券', root, templateId: templateB })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.manager, 'campaigns.create', { name: '总部券', root, templateId: templateHq })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await c.admin(org.manager, 'campaigns.dryRun', { root, templateId: templateB })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await snapshot(c.db)).toBe(before)
    const dry = await c.ok(org.manager, 'campaigns.dryRun', { root, templateId: templateA })
    expect(dry).toMatchObject({ audience: mineA.length, wouldIssue: mineA.length, holdout: 0 })
    const { campaign } = await c.ok(org.manager, 'campaigns.create', { name: '本店回馈', root, templateId: templateA })
    await runToEnd(org.manager, campaign.id)
    expect([...(await couponsOf(templateA)).keys()].sort()).toEqual(mineA)
    // HQ's campaigns are not the manager's to see or run.
    const hqCampaign = (await c.ok(org.hq, 'campaigns.create', { name: '总部活动', root, templateId: templateHq, startAt: new Date(Date.now() + DAY).toISOString() })).campaign.id
    for (const action of ['campaigns.get', 'campaigns.run', 'campaigns.cancel', 'campaigns.results']) {
      expect([action, await c.admin(org.manager, action, { campaignId: hqCampaign })]).toEqual([action, expect.objectContaining({ ok: false, code: 'FORBIDDEN' })])
    }
    expect((await c.ok(org.manager, 'campaigns.list', {})).campaigns.map((x: { id: string }) => x.id)).not.toContain(hqCampaign)
  }, 240_000)

  it('refuses bad inputs with specific codes and changes nothing', async () => {
    const root = { op: 'and', items: [{ kind: 'tier', levels: [1] }] }
    const live = await activeTemplate(null, '校验券', 5)
    const paused = (await c.ok(org.owner, 'couponTemplates.create', { storeId: null, title: '未开放券', value: { type: 'cash', valueFen: 500 }, validity: { kind: 'relative', days: 30 }, stock: 5 })).template.id
    const soldOut = await activeTemplate(null, '售罄券', 1)
    const claim = await c.invoke('member', 'claimCoupon', { templateId: soldOut }, 'o-claims-last')
    expect(claim.ok).toBe(true)
    const segment = (await c.ok(org.owner, 'segments.save', { name: '使用中', root })).segment.id
    const pending = (await c.ok(org.owner, 'campaigns.create', { name: '待开始', segmentId: segment, templateId: live, startAt: new Date(Date.now() + DAY).toISOString() })).campaign.id
    const before = await snapshot(c.db)
    const cases: Array<[string, unknown, string]> = [
      ['campaigns.create', { name: '无人群', templateId: live }, 'INVALID_INPUT'],
      ['campaigns.create', { name: '两个人群', root, preset: 'sleeping', templateId: live }, 'INVALID_INPUT'],
      ['campaigns.create', { name: '', root, templateId: live }, 'INVALID_INPUT'],
      ['campaigns.create', { name: '对照过大', root, templateId: live, holdoutPercent: 51 }, 'INVALID_INPUT'],
      ['campaigns.create', { name: '时间格式', root, templateId: live, startAt: '明天' }, 'INVALID_INPUT'],
      ['campaigns.create', { name: '过去', root, templateId: live, startAt: new Date(Date.now() - DAY).toISOString() }, 'SCHEDULE_INVALID'],
      ['campaigns.create', { name: '太远', root, templateId: live, startAt: new Date(Date.now() + 61 * DAY).toISOString() }, 'SCHEDULE_INVALID'],
      ['campaigns.create', { name: '未开放', root, templateId: paused }, 'TEMPLATE_NOT_ACTIVE'],
      ['campaigns.create', { name: '售罄', root, templateId: soldOut }, 'SOLD_OUT'],
      ['campaigns.create', { name: '无此券', root, templateId: 'tpl-missing' }, 'NOT_FOUND'],
      ['campaigns.create', { name: '无此人群', segmentId: 'seg_missing', templateId: live }, 'NOT_FOUND'],
      ['campaigns.get', { campaignId: 'cmp_missing' }, 'NOT_FOUND'],
      ['campaigns.run', { campaignId: 'bad id!' }, 'INVALID_INPUT'],
      ['segments.remove', { segmentId: segment }, 'SEGMENT_IN_USE'],
    ]
    for (const [action, input, code] of cases) expect([action, input, await c.admin(org.owner, action, input)]).toEqual([action, input, expect.objectContaining({ ok: false, code })])
    expect(await snapshot(c.db)).toBe(before)
    await c.ok(org.owner, 'campaigns.cancel', { campaignId: pending })
    expect(await c.admin(org.owner, 'campaigns.cancel', { campaignId: pending })).toMatchObject({ ok: false, code: 'CAMPAIGN_DONE' })
    // A cancelled campaign issues nothing when run.
    const ran = await c.ok(org.owner, 'campaigns.run', { campaignId: pending })
    expect(ran.progress.processed).toBe(0)
  }, 120_000)
})

describe('scheduling and results', () => {
  it('starts a scheduled campaign lazily when read, and by the timer', async () => {
    await insertMembers('o-sched', 3, () => ({ manualTags: ['定时测试'] }))
    const root = { op: 'and', items: [{ kind: 'tag', source: 'manual', tag: '定时测试', has: true }] }
    // Two campaigns of one template: each member may hold two.
    const templateId = await activeTemplate(null, '定时券', 20, 2)
    const startAt = new Date(Date.now() + 1500).toISOString()
    const lazy = (await c.ok(org.owner, 'campaigns.create', { name: '定时甲', root, templateId, startAt })).campaign.id
    const timed = (await c.ok(org.owner, 'campaigns.create', { name: '定时乙', root, templateId, startAt })).campaign.id
    expect((await c.ok(org.owner, 'campaigns.get', { campaignId: lazy })).campaign.status).toBe('scheduled')
    await new Promise((r) => setTimeout(r, 1800))
    expect((await c.ok(org.owner, 'campaigns.get', { campaignId: lazy })).campaign.status).toBe('running')
    const res = await fetch(`${c.lc.url}/timers/admin/runCampaigns`, { method: 'POST' })
    expect(res.status).toBe(200)
    for (const id of [lazy, timed]) {
      const got = await c.ok(org.owner, 'campaigns.get', { campaignId: id })
      expect([id, got.campaign.status, got.progress.issued]).toEqual([id, 'done', 3])
    }
  }, 120_000)

  it('reports issued, used rate and 14-day sales against the hold-out', async () => {
    const openids = await insertMembers('o-res', 200, () => ({ manualTags: ['结果测试'] }))
    const root = { op: 'and', items: [{ kind: 'tag', source: 'manual', tag: '结果测试', has: true }] }
    const templateId = await activeTemplate(null, '结果券', 500)
    const { campaign } = await c.ok(org.owner, 'campaigns.create', { name: '结果活动', root, templateId, holdoutPercent: 20 })
    await runToEnd(org.owner, campaign.id)
    const out = new Set(openids.filter((o) => inHoldout(campaign.id, o, 20)))
    const treated = openids.filter((o) => !out.has(o))
    // Sales after the start: every 4th treated member ¥30, every 5th hold-out member ¥20; one order before the start and one refunded do not count.
    const started = Date.now()
    let k = 0
    const order = async (openid: string, fen: number, status: string, at: number) => {
      k += 1
      await c.db.collection(COLLECTIONS.orders).add({ data: { _id: `res-${k}`, outTradeNo: `RES${k}`, openid, memberId: memberIdOf(openid), storeId: org.storeA, amountFen: fen, status, channel: 'cashier', clerkOpenid: null, touchpoint: '', pointsEarned: 0, joined: false, transactionId: null, createdAt: new Date(at), paidAt: new Date(at), refundedAt: null } })
    }
    const buyersT = treated.filter((_, i) => i % 4 === 0)
    const buyersH = [...out].filter((_, i) => i % 5 === 0)
    for (const o of buyersT) await order(o, 3000, 'paid', started + 1000)
    for (const o of buyersH) await order(o, 2000, 'paid', started + 1000)
    await order(treated[1], 9900, 'paid', started - 10 * DAY)
    await order(treated[2], 9900, 'refunded', started + 1000)
    // Ten of the issued coupons used.
    const issued = await all(c.db, COLLECTIONS.coupons, { templateId })
    for (const x of issued.slice(0, 10)) await c.db.collection(COLLECTIONS.coupons).doc(x._id).update({ data: { status: 'used', usedAt: new Date() } })
    await new Promise((r) => setTimeout(r, 1100))
    const { results } = await c.ok(org.owner, 'campaigns.results', { campaignId: campaign.id })
    expect(results).toMatchObject({
      issued: treated.length,
      used: 10,
      usedRatePercent: Math.round((10 / treated.length) * 1000) / 10,
      treated: { members: treated.length, buyers: buyersT.length, salesFen: buyersT.length * 3000, perMemberFen: Math.round((buyersT.length * 3000) / treated.length) },
      holdout: { members: out.size, buyers: buyersH.length, salesFen: buyersH.length * 2000, perMemberFen: Math.round((buyersH.length * 2000) / out.size) },
    })
    expect(results.liftPerMemberFen).toBe(results.treated.perMemberFen - results.holdout.perMemberFen)
  }, 240_000)
})
