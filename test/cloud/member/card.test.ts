/** The card's own actions through real invocations: code, points history, birthday once, phone. */
import { addStore, memberState, startAppCloud, type AppCloud } from '../support/app-cloud'

let app: AppCloud
beforeAll(async () => {
  app = await startAppCloud()
  await addStore(app.db, 'store-1')
  for (const fen of [1000, 2000, 3000]) {
    const res = await app.call('member', 'createOrder', { storeId: 'store-1', amountFen: fen }, 'o-card')
    await app.pay(res.data.outTradeNo)
  }
})
afterAll(() => app.stop())

describe('member card actions', () => {
  it('issues a 19-digit code for members only', async () => {
    const res = await app.call('member', 'code', {}, 'o-card')
    expect(res.data.code).toMatch(/^\d{19}$/)
    expect(res.data.expiresAt).toBeGreaterThan(Date.now())
    expect(await app.call('member', 'code', {}, 'o-stranger')).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })

  it('pages the points history newest first', async () => {
    const first = await app.call('member', 'pointsHistory', { page: 1, pageSize: 2 }, 'o-card')
    expect(first.data.items.map((i: { delta: number }) => i.delta)).toEqual([30, 20])
    expect(first.data.hasMore).toBe(true)
    const second = await app.call('member', 'pointsHistory', { page: 2, pageSize: 2 }, 'o-card')
    expect(second.data.items.map((i: { delta: number }) => i.delta)).toEqual([10])
    expect(second.data.hasMore).toBe(false)
    expect(second.data.items[0].title).toBe('消费得积分')
    expect(await app.call('member', 'pointsHistory', { page: 0, pageSize: 500 }, 'o-card')).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
  })

  it('sets the birthday once, even when two requests race', async () => {
    expect(await app.call('member', 'setBirthday', { birthday: '02-30' }, 'o-card')).toMatchObject({ ok: false, message: '日期不存在' })
    expect(await app.call('member', 'setBirthday', { birthday: '2-3' }, 'o-card')).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    const results = await Promise.all([
      app.call('member', 'setBirthday', { birthday: '03-15' }, 'o-card'),
      app.call('member', 'setBirthday', { birthday: '04-20' }, 'o-card'),
    ])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.find((r) => !r.ok)).toMatchObject({ code: 'CONFLICT', message: '生日设置后不可修改' })
    const { member } = await memberState(app.db, 'o-card')
    expect(['03-15', '04-20']).toContain(member.birthday)
  })

  it('binds the phone from a getPhoneNumber code exchanged by the server', async () => {
    const res = await app.call('member', 'bindPhone', { code: 'local-phone-13912345678' }, 'o-card')
    expect(res).toEqual({ ok: true, data: { phoneMasked: '139****5678' } })
    expect((await memberState(app.db, 'o-card')).member.phone).toBe('13912345678')
    expect((await app.call('member', 'card', {}, 'o-card')).data.member!.phoneMasked).toBe('139****5678')
    expect(await app.call('member', 'bindPhone', { code: '' }, 'o-card')).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
  })
})
