/**
 * 个人信息 and 注销会员 through real invocations: personal data seeded into every collection the
 * schema declares (the list is read from the schema, so a collection added later is checked
 * too), then deleted; the accounts still add up; the clerk's lookup finds nothing; paying again
 * starts a new membership; friends keep their referral credit.
 */
import { schema } from '../../../database/schema'
import { COLLECTIONS, type CollectionName } from '../../../cloudfunctions/shared/collections'
import { ERASURE_RULES } from '../../../cloudfunctions/services/erasure'
import type { ActionInput, ActionName, ActionOutput, FunctionName } from '../../../cloudfunctions/shared/contract'
import { all, seedCodeSecret, seedOrg, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'
import { memberState } from '../support/app-cloud'
import { post } from '../local-cloud/helpers'

let app: AdminCloud
let org: Org
async function ok<F extends FunctionName, A extends ActionName<F>>(name: F, action: A, input: ActionInput<F, A>, openid: string): Promise<ActionOutput<F, A>> {
  const res = await app.call(name, action, input, openid)
  if (!res.ok) throw new Error(`${name}.${action}: ${res.code} ${res.message}`)
  return res.data
}
async function pay(openid: string, amountFen: number): Promise<string> {
  const order = await ok('member', 'createOrder', { storeId: org.storeA, amountFen }, openid)
  await app.pay(order.outTradeNo)
  return order.outTradeNo
}

const SUBJECT = 'o-del-subject'
const PHONE = '13900001111'
const NICK = '删除测试昵称'
const AVATAR = 'cloud://env-1.bucket/avatars/o-del-subject-1.png'
const TAG = '专属删除标签'

beforeAll(async () => {
  app = await startAdminCloud()
  org = await seedOrg(app)
  await seedCodeSecret(app.db)
})
afterAll(() => app.stop())

async function everyDocumentText(): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const name of Object.keys(schema)) out[name] = JSON.stringify(await all(app.db, name))
  return out
}

describe('members’ data rights', () => {
  let memberNo = ''
  let inviterNo = ''
  let orders: string[] = []

  it('seeds a member with personal data in every collection', async () => {
    await pay('o-del-inviter', 1000)
    inviterNo = (await ok('member', 'card', {}, 'o-del-inviter')).member!.memberNo
    await ok('member', 'bindInviter', { inviter: inviterNo }, SUBJECT)
    orders = [await pay(SUBJECT, 5000), await pay(SUBJECT, 3000)]
    memberNo = (await ok('member', 'card', {}, SUBJECT)).member!.memberNo
    await ok('member', 'bindInviter', { inviter: memberNo }, 'o-del-friend')
    await pay('o-del-friend', 2000)
    await ok('member', 'bindPhone', { code: `local-phone-${PHONE}` }, SUBJECT)
    await ok('member', 'setBirthday', { birthday: '02-29' }, SUBJECT)
    expect(await ok('member', 'setProfile', { nickname: `  ${NICK} `, avatarFileId: AVATAR }, SUBJECT)).toEqual({ nickname: NICK, avatarFileId: AVATAR })
    await app.ok(org.manager, 'members.tag', { memberNo, tag: TAG })
    await post(`${app.lc.url}/service/messages`, { openid: SUBJECT, content: '你好' })
    // Collections whose own features are not on this branch get a line naming the member directly.
    await app.db.collection(COLLECTIONS.audit).add({ data: { _id: 'audit-del-1', action: 'members.tag', actorOpenid: org.manager, actorRole: 'manager', actorName: '店长', storeId: null, target: `member:${memberNo}`, summary: `添加标签 ${TAG}`, createdAt: new Date() } })

    const seen = await everyDocumentText()
    for (const name of [COLLECTIONS.members, COLLECTIONS.orders, COLLECTIONS.pointsLedger, COLLECTIONS.referrals, COLLECTIONS.audit, COLLECTIONS.serviceMessages]) {
      expect([name, seen[name].includes(SUBJECT) || seen[name].includes(memberNo)]).toEqual([name, true])
    }
    const staffView = await app.ok(org.clerk, 'members.lookup', { phone: PHONE })
    expect(staffView.member).toMatchObject({ memberNo, nickname: NICK, avatarFileId: AVATAR })
    expect((await ok('member', 'card', {}, SUBJECT)).member).toMatchObject({ nickname: NICK, avatarFileId: AVATAR })
  })

  it('shows the member everything the merchant holds', async () => {
    const mine = await ok('member', 'myData', {}, SUBJECT)
    expect(mine.profile).toMatchObject({ memberNo, phone: PHONE, birthday: '02-29', nickname: NICK, avatarFileId: AVATAR })
    expect(mine.tags).toContain(TAG)
    expect(mine.orders.total).toBe(2)
    expect(mine.orders.items.map((o) => o.outTradeNo).sort()).toEqual([...orders].sort())
    expect(mine.points.total).toBe(3) // two purchases and the friend's reward
    expect(mine.referral).toEqual({ invited: true, friendsInvited: 1 })
    expect(await app.call('member', 'myData', {}, 'o-never-paid')).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })

  it('refuses a nickname WeChat flags, and bad avatars, changing nothing', async () => {
    expect(await app.call('member', 'setProfile', { nickname: '违禁词大王' }, SUBJECT)).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: '昵称含有不适宜的内容，请修改后重试' })
    expect(await app.send('member', 'setProfile', { avatarFileId: 'https://evil.example/x.png' }, SUBJECT)).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await app.send('member', 'setProfile', { nickname: 'a\u202Eb' }, SUBJECT)).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await app.send('member', 'setProfile', {}, SUBJECT)).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect((await memberState(app.db, SUBJECT)).member).toMatchObject({ nickname: NICK, avatarFileId: AVATAR })
  })

  it('refuses deletion without the confirmation', async () => {
    expect(await app.send('member', 'deleteMembership', {}, SUBJECT)).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await app.send('member', 'deleteMembership', { confirm: 'yes' }, SUBJECT)).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect((await memberState(app.db, SUBJECT)).member).not.toBeNull()
  })

  it('erases the personal data everywhere, even when the request arrives several times at once', async () => {
    const before = await memberState(app.db, SUBJECT)
    const inviterBefore = await memberState(app.db, 'o-del-inviter')
    const results = await Promise.all(Array.from({ length: 4 }, () => app.call('member', 'deleteMembership', { confirm: '确认注销' }, SUBJECT)))
    const done = results.filter((r) => r.ok)
    expect(done.length).toBeGreaterThanOrEqual(1)
    for (const r of results.filter((x) => !x.ok)) expect(r).toMatchObject({ code: 'NOT_FOUND' })
    expect(done.map((r) => r.data.pointsForfeited)).toContain(before.member.points)

    const after = await everyDocumentText()
    for (const name of Object.keys(schema) as CollectionName[]) {
      const text = after[name]
      for (const value of [PHONE, NICK, AVATAR, TAG, memberNo]) expect([name, value, text.includes(value)]).toEqual([name, value, false])
      // Only a rule that says why may keep the bare openid.
      if (!ERASURE_RULES[name].keepsOpenid) expect([name, text.includes(SUBJECT)]).toEqual([name, false])
    }
    const marker = (await app.db.collection(COLLECTIONS.referrals).doc(SUBJECT).get()).data
    expect(marker).toMatchObject({ inviterOpenid: null, status: 'none', erasure: null })

    // The accounts: orders stay (pseudonymised), the ledger of the pseudonym adds up to zero.
    const kept = await all(app.db, COLLECTIONS.orders, { outTradeNo: app.db.command.in(orders) })
    expect(kept).toHaveLength(2)
    const pseudonymId = kept[0].memberId as string
    expect(pseudonymId).toMatch(/^m_erased-/)
    expect(kept.every((o) => o.memberId === pseudonymId && o.openid === pseudonymId.slice(2))).toBe(true)
    const lines = await all(app.db, COLLECTIONS.pointsLedger, { memberId: pseudonymId })
    expect(lines).toHaveLength(before.ledger.length + 1)
    expect(lines.reduce((s, l) => s + l.delta, 0)).toBe(0)
    expect(lines.reduce((s, l) => s + l.debtDelta, 0)).toBe(0)
    // The inviter keeps the reward, and their own ledger still matches their balance.
    const inviter = await memberState(app.db, 'o-del-inviter')
    expect(inviter.member.points).toBe(inviterBefore.member.points)
    expect(inviter.ledgerSum).toBe(inviter.member.points)
    expect(inviter.ledger.some((l: { _id: string }) => l._id.includes(pseudonymId.slice(2)))).toBe(true)
    // The friend they invited keeps the credit (rewarded), under the pseudonym.
    const friendRef = (await app.db.collection(COLLECTIONS.referrals).doc('o-del-friend').get()).data
    expect(friendRef).toMatchObject({ status: 'rewarded', inviterOpenid: pseudonymId.slice(2) })
  })

  it('the clerk’s lookup no longer finds them, by phone or member number', async () => {
    expect(await app.ok(org.clerk, 'members.lookup', { phone: PHONE })).toEqual({ member: null })
    expect(await app.ok(org.clerk, 'members.lookup', { memberNo })).toEqual({ member: null })
    expect(await app.admin(org.clerk, 'members.profile', { memberNo })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect((await ok('member', 'card', {}, SUBJECT)).member).toBeNull()
  })

  it('an order of the deleted membership can still be refunded', async () => {
    const res = await app.admin(org.owner, 'orders.refund', { outTradeNo: orders[0] })
    expect(res).toMatchObject({ ok: true, data: { status: 'refunded', pointsReversed: 0 } })
    // The inviter's reward for that (qualifying) order goes back, as for any refund.
    const inviter = await memberState(app.db, 'o-del-inviter')
    expect(inviter.ledgerSum).toBe(inviter.member.points)
  })

  it('paying again starts a new membership, which no friend can claim as an invitee', async () => {
    await pay(SUBJECT, 1500)
    const card = await ok('member', 'card', {}, SUBJECT)
    expect(card.member).toMatchObject({ points: 15, visitCount: 1 })
    expect(card.member!.memberNo).not.toBe(memberNo)
    expect(card.member!.nickname).toBeUndefined()
    const fresh = await memberState(app.db, SUBJECT)
    expect(fresh.member.phone).toBeNull()
    expect(fresh.ledgerSum).toBe(fresh.member.points)
    expect(await app.call('member', 'bindInviter', { inviter: inviterNo }, SUBJECT)).toMatchObject({ ok: false, code: 'ALREADY_MEMBER' })
    expect((await ok('member', 'myData', {}, SUBJECT)).orders.total).toBe(1)
  })
})
