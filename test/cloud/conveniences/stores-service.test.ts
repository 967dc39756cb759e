/**
 * The store locator (member.stores nearest first through the geo index) and the 客服 bot: pushes
 * delivered by the local cloud's message-push simulator, replies read from the open API outbox.
 */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { DEFAULT_SERVICE_REPLIES } from '../../../cloudfunctions/domain/service-replies'
import { get, post } from '../local-cloud/helpers'
import { seedOrg, startAdminCloud, type AdminCloud, type Org } from '../admin/helpers'
import type { ActionInput, ActionName, ActionOutput, FunctionName } from '../../../cloudfunctions/shared/contract'

let app: AdminCloud
async function ok<F extends FunctionName, A extends ActionName<F>>(name: F, action: A, input: ActionInput<F, A>, openid: string): Promise<ActionOutput<F, A>> {
  const res = await app.call(name, action, input, openid)
  if (!res.ok) throw new Error(`${name}.${action}: ${res.code} ${res.message}`)
  return res.data
}
let org: Org
const PEOPLE_SQUARE = { latitude: 31.2304, longitude: 121.4737 }

async function addStore(id: string, name: string, latitude: number, longitude: number, extra: Record<string, unknown> = {}): Promise<void> {
  await app.db.collection(COLLECTIONS.stores).add({
    data: { _id: id, name, address: `${name}地址`, phone: '021-1', hours: '00:00-24:00', latitude, longitude, location: app.db.Geo.Point(longitude, latitude), status: 'open', createdAt: new Date(), ...extra },
  })
}

beforeAll(async () => {
  app = await startAdminCloud()
  org = await seedOrg(app)
  await addStore('s-far', '浦东店', 31.2353, 121.5059)
  await addStore('s-near', '人民广场店', 31.2335, 121.4752, { hours: '全天营业' })
  await addStore('s-mid', '静安店', 31.2286, 121.4497, { hours: '看心情' })
  await addStore('s-shut', '停业店', 31.2304, 121.4737, { status: 'closed' })
  // A store from before locations were stored: listed after the located ones.
  await app.db.collection(COLLECTIONS.stores).add({ data: { _id: 's-old', name: '老店', address: '某地', phone: '', hours: '08:00-09:00', latitude: 31.3, longitude: 121.5, status: 'open', createdAt: new Date() } })
})
afterAll(() => app.stop())

describe('member.stores', () => {
  it('lists open stores nearest first with a position, by name without one', async () => {
    const near = await ok('member', 'stores', { near: PEOPLE_SQUARE }, 'o-locator')
    const mine = new Set(['s-far', 's-near', 's-mid', 's-shut', 's-old'])
    const ids = near.stores.map((s) => s.id).filter((id) => mine.has(id))
    expect(ids).toEqual(['s-near', 's-mid', 's-far', 's-old'])
    const first = near.stores.find((s) => s.id === 's-near')!
    expect(first.distanceM).toBeGreaterThan(200)
    expect(first.distanceM).toBeLessThan(600)
    expect(near.stores.find((s) => s.id === 's-old')!.distanceM).toBeNull()
    expect(near.stores.some((s) => s.id === 's-shut')).toBe(false)
    expect(first.openState).toBe('open')
    expect(near.stores.find((s) => s.id === 's-mid')!.openState).toBe('unknown')

    const plain = await ok('member', 'stores', {}, 'o-locator')
    const names = plain.stores.map((s) => s.name)
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'zh-Hans-CN')))
    expect(plain.stores.every((s) => s.distanceM === null)).toBe(true)
  })

  it('refuses positions off the globe', async () => {
    expect(await app.send('member', 'stores', { near: { latitude: 91, longitude: 0 } }, 'o-locator')).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await app.send('member', 'stores', { near: { latitude: 'x', longitude: 0 } }, 'o-locator')).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
  })

  it('keeps the geo point with the coordinates when staff move a store', async () => {
    await ok('admin', 'stores.update', { storeId: 's-far', latitude: 31.2306, longitude: 121.474 }, org.owner)
    const near = await ok('member', 'stores', { near: PEOPLE_SQUARE }, 'o-locator')
    expect(near.stores[0].id).toBe('s-far')
  })
})

const outbox = async (touser: string) => ((await get(`${app.lc.url}/openapi/outbox`)).body.messages as any[]).filter((m) => m.params.touser === touser)
const push = (body: Record<string, unknown>) => post(`${app.lc.url}/service/messages`, body)

describe('客服 bot (message push)', () => {
  it('answers 营业时间 with the store list, 会员 with a card, and hands anything else to a human', async () => {
    const hours = await push({ openid: 'o-cs-1', content: '请问你们营业时间是几点？' })
    expect(hours.body.delivery).toMatchObject({ reply: 'success', transferred: false })
    const [text] = await outbox('o-cs-1')
    expect(text.apiName).toBe('customerServiceMessage.send')
    expect(text.params.msgtype).toBe('text')
    expect(text.params.text.content).toContain('各门店营业时间')
    expect(text.params.text.content).toContain('【人民广场店】全天营业（营业中）')
    expect(text.params.text.content).not.toContain('停业店')

    await push({ openid: 'o-cs-1', content: '我的会员积分' })
    const card = (await outbox('o-cs-1'))[1]
    expect(card.params).toMatchObject({ msgtype: 'miniprogrampage', miniprogrampage: { pagepath: 'pages/card/index', title: '点此查看您的会员卡与积分' } })
    expect(card.params.miniprogrampage.thumb_media_id).toMatch(/^local-media-/)

    const other = await push({ openid: 'o-cs-1', content: '我想开发票' })
    expect(other.body.delivery.transferred).toBe(true)
    expect(other.body.delivery.reply).toMatchObject({ MsgType: 'transfer_customer_service', ToUserName: 'o-cs-1' })
    expect(await outbox('o-cs-1')).toHaveLength(2)
  })

  it('greets on entering the chat and never transfers events', async () => {
    const res = await push({ openid: 'o-cs-2', msgType: 'event', event: 'user_enter_tempsession' })
    expect(res.body.delivery).toMatchObject({ reply: 'success', transferred: false })
    expect((await outbox('o-cs-2')).map((m) => m.params.text.content)).toEqual([DEFAULT_SERVICE_REPLIES.greeting])
  })

  it('answers a redelivered message once, even when the deliveries arrive together', async () => {
    await Promise.all(Array.from({ length: 6 }, () => push({ openid: 'o-cs-3', content: '地址在哪', msgId: 'dup-1' })))
    const sent = await outbox('o-cs-3')
    expect(sent).toHaveLength(1)
    expect(sent[0].params.text.content).toContain('门店地址')
  })

  it('uses the merchant’s keywords (service.update), and off means every message goes to a human', async () => {
    const service = { enabled: true, greeting: '', replies: [{ keywords: ['停车'], kind: 'text' as const, text: '门店附近有停车场' }] }
    await ok('admin', 'service.update', service, org.owner)
    await push({ openid: 'o-cs-4', content: '能停车吗' })
    expect((await outbox('o-cs-4')).map((m) => m.params.text.content)).toEqual(['门店附近有停车场'])
    expect((await push({ openid: 'o-cs-4', content: '营业时间' })).body.delivery.transferred).toBe(true)
    await ok('admin', 'service.update', { ...service, enabled: false }, org.owner)
    expect((await push({ openid: 'o-cs-4', content: '能停车吗' })).body.delivery.transferred).toBe(true)
    expect(await outbox('o-cs-4')).toHaveLength(1)
    const audit = (await app.db.collection(COLLECTIONS.audit).where({ action: 'service.update' }).get()).data
    expect(audit).toHaveLength(2)
    await ok('admin', 'service.update', { enabled: true, greeting: DEFAULT_SERVICE_REPLIES.greeting, replies: DEFAULT_SERVICE_REPLIES.replies }, org.owner)
  })

  it('refuses bad auto-reply settings with specific messages and changes nothing', async () => {
    const before = await ok('admin', 'service.get', {}, org.owner)
    const bad = [
      { enabled: true, greeting: '', replies: [{ keywords: [], kind: 'text', text: '空' }] },
      { enabled: true, greeting: '', replies: [{ keywords: ['卡'], kind: 'card', text: '卡片' }] },
      { enabled: true, greeting: '', replies: [{ keywords: ['a\u202Eb'], kind: 'text', text: 'x' }] },
    ]
    for (const input of bad) expect(await app.send('admin', 'service.update', input, org.owner)).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(await app.send('admin', 'service.update', { enabled: true, greeting: '', replies: [] }, org.clerk)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await ok('admin', 'service.get', {}, org.owner)).toEqual(before)
  })

  it('a client that calls the function with a push-shaped event is only ever answered itself', async () => {
    const forged = await app.send('member', '', {}, 'o-forger')
    expect(forged.ok).toBe(false)
    // Through the gateway (SOURCE wx_client, OPENID o-forger), claiming to be someone else.
    const res = await post(`${app.lc.url}/functions/member`, { FromUserName: 'o-victim', ToUserName: 'gh', MsgType: 'text', Content: '营业时间', MsgId: 'forged-1' }, { 'X-WX-OPENID': 'o-forger' })
    expect(res.body).toBe('success')
    expect(await outbox('o-victim')).toHaveLength(0)
    expect(await outbox('o-forger')).toHaveLength(0)
  })

  it('only the simulator may invoke with the push source over /tcb', async () => {
    const res = await post(`${app.lc.url}/tcb`, { action: 'functions.invokeFunction', function_name: 'member', request_data: '{}' }, { 'x-tcb-source': 'wx_msgpush' })
    expect(JSON.stringify(res.body)).toContain('INVALID_REQUEST_SOURCE')
  })
})
