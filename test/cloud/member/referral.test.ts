/**
 * Referral through real invocations: a friend opens the inviter's shared card (bindInviter) and
 * pays; the inviter is credited once, whatever the replays. Sharing itself is never rewarded.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { addStore, memberState, startAppCloud, type AppCloud } from '../support/app-cloud'

let app: AppCloud
beforeAll(async () => {
  app = await startAppCloud()
  await addStore(app.db, 'store-1')
})
afterAll(() => app.stop())

async function payAs(openid: string, amountFen: number, opts?: { times?: number; concurrent?: boolean }): Promise<void> {
  const res = await app.call('member', 'createOrder', { storeId: 'store-1', amountFen }, openid)
  expect(res.ok).toBe(true)
  await app.pay(res.data.outTradeNo, opts)
}

async function memberNoOf(openid: string): Promise<string> {
  return (await app.call('member', 'card', {}, openid)).data.member!.memberNo
}

describe('referral', () => {
  let inviterNo: string
  beforeAll(async () => {
    await payAs('o-inviter', 1000)
    inviterNo = await memberNoOf('o-inviter')
  })

  it('credits the inviter once when the friend first pays, even with 20 concurrent callback replays', async () => {
    const bind = await app.call('member', 'bindInviter', { inviter: inviterNo }, 'o-friend')
    expect(bind).toMatchObject({ ok: true, data: { bound: true } })
    const before = (await memberState(app.db, 'o-inviter')).member.points
    // Binding alone (the share) earns nothing.
    expect(before).toBe(10)

    await payAs('o-friend', 5000, { times: 20, concurrent: true })
    const inviter = await memberState(app.db, 'o-inviter')
    expect(inviter.member.points).toBe(before + 200)
    expect(inviter.ledger.filter((l: { kind: string }) => l.kind === 'referral')).toHaveLength(1)
    expect(inviter.ledgerSum).toBe(inviter.member.points)

    // A second payment by the friend is not a qualifying action again.
    await payAs('o-friend', 5000)
    expect((await memberState(app.db, 'o-inviter')).member.points).toBe(before + 200)

    const friend = await memberState(app.db, 'o-friend')
    expect(friend.member.referrerOpenid).toBe('o-inviter')
    expect(friend.member.autoTags).toContain('好友推荐')

    const summary = await app.call('member', 'inviteSummary', {}, 'o-inviter')
    expect(summary.data).toMatchObject({ inviter: inviterNo, invitedCount: 1, rewardedCount: 1, pointsEarned: 200 })
  })

  it('refuses self-invite, an existing member, a second inviter, and an unknown inviter — changing nothing', async () => {
    const count = async () => (await app.db.collection(COLLECTIONS.referrals).count()).total
    const before = await count()
    expect(await app.call('member', 'bindInviter', { inviter: inviterNo }, 'o-inviter')).toMatchObject({ ok: false, message: '不能邀请自己' })
    expect(await app.call('member', 'bindInviter', { inviter: inviterNo }, 'o-friend')).toMatchObject({ ok: false, message: '您已是会员，无需绑定邀请' })
    expect(await app.call('member', 'bindInviter', { inviter: '00000000' }, 'o-nobody')).toMatchObject({ ok: false, message: '邀请链接无效' })
    expect(await app.call('member', 'bindInviter', { inviter: 'x'.repeat(5000) }, 'o-nobody')).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await count()).toBe(before)

    await payAs('o-inviter-2', 1000)
    const secondNo = await memberNoOf('o-inviter-2')
    expect((await app.call('member', 'bindInviter', { inviter: inviterNo }, 'o-torn')).ok).toBe(true)
    expect(await app.call('member', 'bindInviter', { inviter: secondNo }, 'o-torn')).toMatchObject({ ok: false, message: '您已接受过其他好友的邀请' })
    const ref = (await app.db.collection(COLLECTIONS.referrals).doc('o-torn').get()).data
    expect(ref.inviterOpenid).toBe('o-inviter')
  })

  it('first touch wins when two shared cards are opened at once', async () => {
    await payAs('o-inviter-3', 1000)
    const third = await memberNoOf('o-inviter-3')
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => app.call('member', 'bindInviter', { inviter: i % 2 ? inviterNo : third }, 'o-race')),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect((await app.db.collection(COLLECTIONS.referrals).where({ inviteeOpenid: 'o-race' }).count()).total).toBe(1)
  })
})

describe('referral edge cases', () => {
  it('a friend who pays while the shared card is being opened is never left bound-but-unpaid', async () => {
    await payAs('o-inviter-4', 1000)
    const inviterNo = await memberNoOf('o-inviter-4')
    for (let i = 0; i < 6; i += 1) {
      const friend = `o-racer-${i}`
      const res = await app.call('member', 'createOrder', { storeId: 'store-1', amountFen: 5000 }, friend)
      const [bind] = await Promise.all([
        app.call('member', 'bindInviter', { inviter: inviterNo }, friend),
        new Promise((r) => setTimeout(r, i * 3)).then(() => app.pay(res.data.outTradeNo)),
      ])
      const ref = (await app.db.collection(COLLECTIONS.referrals).doc(friend).get()).data
      const { member } = await memberState(app.db, friend)
      // Either the bind won (and the payment rewarded the inviter) or the payment won (and the bind was refused).
      if (bind.ok) expect([ref.status, member.referrerOpenid]).toEqual(['rewarded', 'o-inviter-4'])
      else expect([ref.status, member.referrerOpenid, bind.message]).toEqual(['none', null, '您已是会员，无需绑定邀请'])
    }
    const inviter = await memberState(app.db, 'o-inviter-4')
    expect(inviter.member.points).toBe(inviter.ledgerSum)
  })

  it('counts every friend in the summary, not just the listed ones', async () => {
    const summary = await app.call('member', 'inviteSummary', {}, 'o-inviter-4')
    const refs = (await app.db.collection(COLLECTIONS.referrals).where({ inviterOpenid: 'o-inviter-4' }).get()).data
    expect(summary.data.invitedCount).toBe(refs.length)
    expect(summary.data.rewardedCount).toBe(refs.filter((r: { status: string }) => r.status === 'rewarded').length)
    expect(summary.data.pointsEarned).toBe(200 * summary.data.rewardedCount)
  })
})
