/**
 * Referral farming (issue 12): fake accounts joining with 1-fen payments earn the inviter
 * nothing, and even real-sized payments are rewarded only up to the inviter's daily cap — with
 * 20 fake accounts paying at once. Rejections are visible to the inviter with the reason.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { addStore, memberState, startAppCloud, type AppCloud } from '../support/app-cloud'

let app: AppCloud
beforeAll(async () => {
  app = await startAppCloud({ maxWorkersPerFunction: 10 })
  await addStore(app.db, 'store-1')
})
afterAll(() => app.stop())

async function order(openid: string, amountFen: number): Promise<string> {
  const res = await app.call('member', 'createOrder', { storeId: 'store-1', amountFen }, openid)
  expect(res.ok).toBe(true)
  return res.data.outTradeNo
}

async function allPaid(orders: string[]): Promise<void> {
  for (let i = 0; i < 240; i += 1) {
    const rows = (await app.db.collection(COLLECTIONS.orders).where({ _id: app.db.command.in(orders) }).limit(100).get()).data
    if (rows.filter((o: any) => o.status === 'paid').length === orders.length) return
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error('orders not all paid')
}

describe('referral farming', () => {
  let token: string
  beforeAll(async () => {
    await app.pay(await order('o-farmer', 5000))
    const summary = await app.call('member', 'inviteSummary', {}, 'o-farmer')
    token = summary.data.inviteToken
  })

  it('links carry a token, not the member number', async () => {
    const summary = (await app.call('member', 'inviteSummary', {}, 'o-farmer')).data
    expect(token).toMatch(/^i[a-z2-9]{11}$/)
    expect(token).not.toContain(summary.inviter)
    const card = (await app.call('member', 'card', {}, 'o-farmer')).data
    expect((card as { inviteToken?: string }).inviteToken).toBe(token)
  })

  it('rewards nothing for 20 fake accounts paying 1 fen each, and tells the inviter why', async () => {
    const before = await memberState(app.db, 'o-farmer')
    const fakes = Array.from({ length: 20 }, (_, i) => `o-fake-${i}`)
    for (const f of fakes) expect(await app.call('member', 'bindInviter', { invite: token }, f)).toMatchObject({ ok: true })
    const orders = await Promise.all(fakes.map((f) => order(f, 1)))
    await Promise.all(orders.map((o) => app.pay(o)))
    await allPaid(orders)
    const after = await memberState(app.db, 'o-farmer')
    expect(after.member.points).toBe(before.member.points)
    expect(after.ledger.filter((l: { kind: string }) => l.kind === 'referral')).toHaveLength(0)
    const refs = (await app.db.collection(COLLECTIONS.referrals).where({ inviterOpenid: 'o-farmer' }).limit(100).get()).data
    expect(refs.map((r: any) => r.status)).toEqual(Array(20).fill('rejected'))
    expect(refs[0]).toMatchObject({ rejectCode: 'BELOW_MINIMUM', rejectReason: '好友首次消费未满 10 元', riskRank: null, riskNote: '本地云环境不提供 riskControl.getUserRiskRank，已跳过风险检查' })
    const summary = (await app.call('member', 'inviteSummary', {}, 'o-farmer')).data
    expect(summary.rewardedCount).toBe(0)
    expect(summary.friends.every((f: any) => f.status === 'rejected' && f.reason === '好友首次消费未满 10 元')).toBe(true)
  }, 180_000)

  it('rewards at most the daily cap (10) when 12 more fake accounts pay ¥10 at once', async () => {
    const before = await memberState(app.db, 'o-farmer')
    const fakes = Array.from({ length: 12 }, (_, i) => `o-fake-b-${i}`)
    for (const f of fakes) await app.call('member', 'bindInviter', { invite: token }, f)
    const orders = await Promise.all(fakes.map((f) => order(f, 1000)))
    await Promise.all(orders.map((o) => app.pay(o)))
    // Concurrent callbacks for one inviter conflict on the inviter's documents; the losers are redelivered by WeChat Pay.
    await allPaid(orders)
    const after = await memberState(app.db, 'o-farmer')
    const refs = (await app.db.collection(COLLECTIONS.referrals).where({ inviterOpenid: 'o-farmer', inviteeOpenid: app.db.command.in(fakes) }).limit(100).get()).data
    const rewarded = refs.filter((r: any) => r.status === 'rewarded')
    expect(rewarded).toHaveLength(10)
    expect(refs.filter((r: any) => r.status === 'rejected').every((r: any) => r.rejectReason === '您今日获得的邀请奖励已达上限')).toBe(true)
    expect(after.member.points - before.member.points).toBe(10 * 200)
    expect(after.ledgerSum).toBe(after.member.points)
  }, 180_000)

  it('still binds from an old ?inviter=<memberNo> link', async () => {
    const memberNo = (await app.call('member', 'card', {}, 'o-farmer')).data.member!.memberNo
    expect(await app.call('member', 'bindInviter', { inviter: memberNo }, 'o-old-link')).toMatchObject({ ok: true })
    expect(await app.send('member', 'bindInviter', { invite: 'iaaaaaaaaaaa' }, 'o-unknown-token')).toMatchObject({ ok: false, message: '邀请链接无效' })
  }, 120_000)
})
