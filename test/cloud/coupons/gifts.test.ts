import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { all, insertMember, seedCodeSecret, seedOrg, snapshot, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'
import { activeTemplate, codesOf, count, couponDoc, member, memberOk, setFields } from './helpers'

let c: AdminCloud
let org: Org
const SENDER = 'o-sender'

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
  await seedCodeSecret(c.db)
  await insertMember(c.db, SENDER, '60000001')
}, 120_000)
afterAll(async () => {
  await c?.stop()
})

async function forwardable(title: string, terms: Record<string, unknown> = {}): Promise<{ templateId: string; couponId: string }> {
  const t = await activeTemplate(c, org, { title, forwardable: true, ...terms })
  const claimed = await memberOk(c, SENDER, 'claimCoupon', { templateId: t.id })
  return { templateId: t.id, couponId: claimed.coupon.id }
}

describe('forwarding a coupon (转赠)', () => {
  it('50 friends open and accept at once: exactly one owns it, the rest are told it was taken, the sender’s old code is refused at the counter', async () => {
    const { couponId } = await forwardable('群里抢券')
    const oldCodes = await codesOf(c, couponId)
    const gift = await memberOk(c, SENDER, 'giftCoupon', { couponId })
    expect(gift.path).toBe(`coupons/pages/gift/index?token=${gift.token}`)
    expect(await couponDoc(c, couponId)).toMatchObject({ status: 'gifting', giftId: gift.token })
    const friends = Array.from({ length: 50 }, (_, i) => `o-friend-${i}`)
    const results = await Promise.all(friends.map((f) => member(c, f, 'acceptGift', { token: gift.token })))
    const winners = results.filter((r) => r.ok)
    expect(winners).toHaveLength(1)
    expect(new Set(results.filter((r) => !r.ok).map((r) => (r as { code: string }).code))).toEqual(new Set(['GIFT_TAKEN']))
    const won = (winners[0]).data.coupon
    const newDoc = await couponDoc(c, won.id)
    const owner = newDoc.openid
    expect(friends).toContain(owner)
    // One new coupon, with a new number; the sender's is given away.
    expect(await count(c, COLLECTIONS.coupons, { fromGiftId: gift.token })).toBe(1)
    const oldDoc = await couponDoc(c, couponId)
    expect(oldDoc).toMatchObject({ status: 'given', openid: SENDER })
    expect(newDoc.couponNo).not.toBe(oldDoc.couponNo)
    expect([newDoc.validFrom, newDoc.validUntil, newDoc.terms]).toEqual([oldDoc.validFrom, oldDoc.validUntil, oldDoc.terms])
    // The sender's old codes are dead at the counter; the new owner's work.
    for (const code of [oldCodes.code, oldCodes.shortCode]) {
      expect(await c.admin(org.clerk, 'coupons.lookup', { storeId: org.storeA, code })).toMatchObject({ ok: false, code: 'COUPON_GIVEN' })
    }
    const fresh = await codesOf(c, won.id)
    const found = await c.ok(org.clerk, 'coupons.lookup', { storeId: org.storeA, code: fresh.code })
    expect(found.coupons[0]).toMatchObject({ id: won.id, refusal: null, ticket: expect.any(String) })
    // Both sides see the gift; a loser sees it taken; the sender's code action refuses.
    const sent = await memberOk(c, SENDER, 'myGifts')
    expect(sent.sent[0]).toMatchObject({ token: gift.token, status: 'accepted' })
    const received = await memberOk(c, owner, 'myGifts')
    expect(received.received[0]).toMatchObject({ token: gift.token, status: 'accepted', couponId: won.id })
    const loser = friends.find((f) => f !== owner) as string
    expect((await memberOk(c, loser, 'openGift', { token: gift.token })).gift).toMatchObject({ status: 'taken' })
    expect((await memberOk(c, owner, 'openGift', { token: gift.token })).gift).toMatchObject({ status: 'acceptedByYou', couponId: won.id })
    expect(await member(c, SENDER, 'couponCode', { couponId })).toMatchObject({ ok: false, code: 'COUPON_GIVEN' })
    const senderUsed = await memberOk(c, SENDER, 'myCoupons', { tab: 'used' })
    expect(senderUsed.coupons.find((x: any) => x.id === couponId)).toMatchObject({ state: 'given', stateName: '已转赠' })
    const ownerMine = await memberOk(c, owner, 'myCoupons', { tab: 'available' })
    expect(ownerMine.coupons.map((x: any) => [x.id, x.fromFriend])).toEqual([[won.id, true]])
  }, 180_000)

  it('while in transit the sender cannot use it, and a forwarded coupon counts against nobody’s claim limit twice', async () => {
    const { templateId, couponId } = await forwardable('转赠中')
    const codes = await codesOf(c, couponId)
    const gift = await memberOk(c, SENDER, 'giftCoupon', { couponId })
    expect(await member(c, SENDER, 'createOrder', { storeId: org.storeA, amountFen: 3000, couponId })).toMatchObject({ ok: false, code: 'COUPON_IN_TRANSIT' })
    expect(await c.admin(org.clerk, 'coupons.lookup', { storeId: org.storeA, code: codes.code })).toMatchObject({ ok: false, code: 'COUPON_IN_TRANSIT' })
    expect(await member(c, SENDER, 'giftCoupon', { couponId })).toMatchObject({ ok: false, code: 'COUPON_IN_TRANSIT' })
    const mine = await memberOk(c, SENDER, 'myCoupons', { tab: 'available' })
    expect(mine.coupons.find((x: any) => x.id === couponId)).toMatchObject({ state: 'gifting', giftToken: gift.token })
    // The friend accepts and may still claim their own from the template (limit 1 each).
    await memberOk(c, 'o-limit-friend', 'acceptGift', { token: gift.token })
    expect(await member(c, 'o-limit-friend', 'claimCoupon', { templateId })).toMatchObject({ ok: true })
    // The sender's own claim still counts against the sender only.
    expect(await member(c, SENDER, 'claimCoupon', { templateId })).toMatchObject({ ok: false, code: 'LIMIT_REACHED' })
    expect(await member(c, SENDER, 'acceptGift', { token: gift.token })).toMatchObject({ ok: false, code: 'GIFT_TAKEN' })
  })

  it('refuses: not forwardable, accepting one’s own gift, an unknown or malformed token — changing nothing', async () => {
    const t = await activeTemplate(c, org, { title: '不可转赠', forwardable: false })
    const plain = (await memberOk(c, SENDER, 'claimCoupon', { templateId: t.id })).coupon.id
    const { couponId } = await forwardable('自己领')
    const gift = await memberOk(c, SENDER, 'giftCoupon', { couponId })
    const snap = await snapshot(c.db)
    expect(await member(c, SENDER, 'giftCoupon', { couponId: plain })).toMatchObject({ ok: false, code: 'COUPON_NOT_FORWARDABLE' })
    expect(await member(c, SENDER, 'acceptGift', { token: gift.token })).toMatchObject({ ok: false, code: 'GIFT_OWN' })
    expect(await member(c, 'o-someone', 'acceptGift', { token: 'AAAAAAAAAAAAAAAAAAAAAAAA' })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await member(c, 'o-someone', 'acceptGift', { token: 'x' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await member(c, 'o-someone', 'giftCoupon', { couponId })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await member(c, 'o-someone', 'takeBackGift', { couponId })).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect((await memberOk(c, SENDER, 'openGift', { token: gift.token })).gift).toMatchObject({ status: 'mine' })
    expect(await snapshot(c.db)).toBe(snap)
  })

  it('take back vs accept racing: exactly one wins, and the state is whole either way', async () => {
    const outcomes: string[] = []
    for (let round = 0; round < 6; round += 1) {
      const { couponId } = await forwardable(`收回还是被领${round}`)
      const gift = await memberOk(c, SENDER, 'giftCoupon', { couponId })
      const friend = `o-racer-${round}`
      const [back, accept] = await Promise.all([member(c, SENDER, 'takeBackGift', { couponId }), member(c, friend, 'acceptGift', { token: gift.token })])
      expect([back.ok, accept.ok].filter(Boolean)).toHaveLength(1)
      const g = (await c.db.collection(COLLECTIONS.couponGifts).doc(gift.token).get()).data
      const old = await couponDoc(c, couponId)
      const received = await all(c.db, COLLECTIONS.coupons, { fromGiftId: gift.token })
      if (back.ok) {
        expect(accept).toMatchObject({ ok: false, code: 'GIFT_CLOSED' })
        expect([g.status, old.status, received.length]).toEqual(['takenBack', 'available', 0])
        outcomes.push('back')
      } else {
        expect(back).toMatchObject({ ok: false, code: 'GIFT_TAKEN' })
        expect([g.status, old.status, received.length, received[0].openid]).toEqual(['accepted', 'given', 1, friend])
        outcomes.push('accept')
      }
    }
    expect(outcomes).toHaveLength(6)
  }, 180_000)

  it('an unaccepted gift returns to the sender after 24 hours, on read (no timer), and can no longer be accepted', async () => {
    const { couponId } = await forwardable('一天后退回')
    const gift = await memberOk(c, SENDER, 'giftCoupon', { couponId })
    // 24 hours pass.
    const past = new Date(Date.now() - 1000)
    await setFields(c, COLLECTIONS.couponGifts, gift.token, { expiresAt: past })
    await setFields(c, COLLECTIONS.coupons, couponId, { giftExpiresAt: past })
    expect((await memberOk(c, 'o-late-friend', 'openGift', { token: gift.token })).gift).toMatchObject({ status: 'closed' })
    expect(await member(c, 'o-late-friend', 'acceptGift', { token: gift.token })).toMatchObject({ ok: false, code: 'GIFT_CLOSED' })
    const mine = await memberOk(c, SENDER, 'myCoupons', { tab: 'available' })
    expect(mine.coupons.find((x: any) => x.id === couponId)).toMatchObject({ state: 'available', giftToken: null })
    expect((await memberOk(c, SENDER, 'myGifts')).sent.find((g: any) => g.token === gift.token)).toMatchObject({ status: 'returned', statusName: '已退回' })

    // The lazy return also happens when only the sender reads (another gift, nobody opens it).
    const second = await forwardable('发出后没人点')
    const g2 = await memberOk(c, SENDER, 'giftCoupon', { couponId: second.couponId })
    await setFields(c, COLLECTIONS.couponGifts, g2.token, { expiresAt: past })
    await setFields(c, COLLECTIONS.coupons, second.couponId, { giftExpiresAt: past })
    const detail = await memberOk(c, SENDER, 'couponDetail', { couponId: second.couponId })
    expect(detail.coupon.state).toBe('available')
    expect((await c.db.collection(COLLECTIONS.couponGifts).doc(g2.token).get()).data.status).toBe('returned')
  })
})
