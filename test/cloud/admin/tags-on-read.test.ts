import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { chinaDay } from '../../../cloudfunctions/domain/tags'
import { getMember, insertMember, seedOrg, startAdminCloud, type AdminCloud, type Org } from './helpers'

/**
 * Time-based tags without a timer: this cloud runs with timers off (startAdminCloud passes
 * timers: false), like a runtime without timer triggers. A read that finds a member's tags
 * computed on an earlier day recomputes them and writes them back.
 */
let c: AdminCloud
let org: Org
const DAY = 86_400_000

beforeAll(async () => {
  c = await startAdminCloud()
  org = await seedOrg(c)
})
afterAll(async () => {
  await c?.stop()
})

/** A member whose tags were computed long ago, when they had just visited: 活跃 then, 沉睡 by now. */
async function staleMember(openid: string, memberNo: string) {
  const longAgo = new Date(Date.now() - 120 * DAY)
  return insertMember(c.db, openid, memberNo, { createdAt: longAgo, updatedAt: longAgo, lastVisitAt: longAgo, visitCount: 1, autoTags: ['新会员', '活跃'], autoTagsStamp: '2020-01-01|60|100000' })
}

describe('time-based tags are recomputed when read stale', () => {
  it('members.lookup and members.profile show 沉睡 and store it, with today’s stamp', async () => {
    await staleMember('o-dozy', '50500001')
    const looked = await c.ok(org.clerk, 'members.lookup', { memberNo: '50500001' })
    expect(looked.member.tags).toContain('沉睡')
    expect(looked.member.tags).not.toContain('活跃')
    expect(looked.member.tags).not.toContain('新会员')
    const stored = await getMember(c.db, 'o-dozy')
    expect(stored.autoTags).toEqual(['沉睡'])
    expect(stored.autoTagsStamp).toBe(`${chinaDay(new Date())}|60|100000`)

    await staleMember('o-dozy-2', '50500002')
    const profile = await c.ok(org.manager, 'members.profile', { memberNo: '50500002', page: 1 })
    expect(profile.member.tags).toEqual(['沉睡'])
    expect((await getMember(c.db, 'o-dozy-2')).autoTags).toEqual(['沉睡'])
  })

  it('the member’s own card read refreshes them too', async () => {
    await staleMember('o-dozy-3', '50500003')
    const card = await c.call('member', 'card', {}, 'o-dozy-3')
    expect(card.data.member?.memberNo).toBe('50500003')
    // The typed client checks inputs against the contract (never run: it only has to compile).
    // @ts-expect-error a member number is a string
    void (() => c.call('admin', 'members.lookup', { memberNo: 50500003 }, org.clerk))
    expect((await getMember(c.db, 'o-dozy-3')).autoTags).toEqual(['沉睡'])
  })

  it('a birthday set in the current month shows 本月生日 on the next read, the same day', async () => {
    const today = `${chinaDay(new Date())}|60|100000`
    await staleMember('o-bday', '50500009')
    await c.db.collection(COLLECTIONS.members).doc('m_o-bday').update({ data: { autoTagsStamp: today, birthday: null } })
    // The month of today in UTC+8, as the tag rule counts it.
    const month = chinaDay(new Date()).slice(5, 7)
    const set = await c.call('member', 'setBirthday', { birthday: `${month}-01` }, 'o-bday')
    expect(set.ok).toBe(true)
    const looked = await c.ok(org.clerk, 'members.lookup', { memberNo: '50500009' })
    expect(looked.member.tags).toContain('本月生日')
  })

  it('tags stamped today are not recomputed (one write per member per day at most)', async () => {
    const today = `${chinaDay(new Date())}|60|100000`
    await staleMember('o-fresh', '50500004')
    await c.db.collection(COLLECTIONS.members).doc('m_o-fresh').update({ data: { autoTagsStamp: today } })
    const looked = await c.ok(org.clerk, 'members.lookup', { memberNo: '50500004' })
    expect(looked.member.tags).toEqual(['新会员', '活跃'])
  })

  it('a change of the 沉睡 threshold makes every stamp stale', async () => {
    await staleMember('o-dozy-5', '50500005')
    await c.ok(org.clerk, 'members.lookup', { memberNo: '50500005' })
    expect((await getMember(c.db, 'o-dozy-5')).autoTags).toEqual(['沉睡'])
    await c.ok(org.owner, 'settings.update', { lapseDays: 365 })
    const looked = await c.ok(org.clerk, 'members.lookup', { memberNo: '50500005' })
    expect(looked.member.tags).toEqual([])
    expect((await getMember(c.db, 'o-dozy-5')).autoTagsStamp).toBe(`${chinaDay(new Date())}|365|100000`)
  })
})
