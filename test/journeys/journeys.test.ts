/**
 * The product's journeys, clicked through the browser preview (`npm start`'s page) in headless
 * Chromium against the local cloud with the demo merchant: who holds the phone is picked in the
 * shell, everything else is a tap on what is visible or text typed into a field. Expected points
 * come from the merchant's settings (read the way the admin page does) and the domain's rule.
 * Each new feature's journey goes here.
 */
import { pointsForSpend } from '../../cloudfunctions/domain/loyalty'
import type { MerchantSettings } from '../../cloudfunctions/domain/merchant-settings'
import { PreviewUi, startWorld, type Phone, type World } from './harness'

let world: World
let ui: PreviewUi | null = null

beforeAll(async () => {
  world = await startWorld()
}, 120_000)

afterAll(async () => {
  await world?.close()
})

beforeEach(async () => {
  ui = await PreviewUi.open(world)
})

afterEach(async () => {
  const errors = ui?.errors ?? []
  await ui?.close()
  ui = null
  expect(errors).toEqual([])
})

const OWNER = 'demo-owner-openid'

async function settings(): Promise<MerchantSettings> {
  const res = (await world.cloud.invoke('admin', { action: 'settings.get', input: {} }, { openid: OWNER })) as { ok: boolean; data: { settings: MerchantSettings } }
  if (!res.ok) throw new Error('settings.get failed')
  return res.data.settings
}

/** What a first payment earns: the lowest tier's multiplier (before the spend, as the callback uses). */
function firstPaymentPoints(s: MerchantSettings, fen: number): number {
  const entry = [...s.tiers].sort((a, b) => a.minGrowth - b.minGrowth)[0]
  return pointsForSpend(s, entry, fen)
}

/** On the pay page: type the amount, confirm, confirm WeChat Pay's sheet; answers the points earned. */
async function pay(phone: Phone, yuan: number): Promise<number> {
  await phone.see('支付金额（元）')
  await phone.fill(phone.field('支付金额（元）'), String(yuan))
  await phone.tap('确认支付')
  await phone.seeOverlay(`¥${yuan.toFixed(2)}`)
  await phone.confirm('确认支付')
  await phone.see('支付成功')
  return phone.number(/本次获得 (\d+) 积分/)
}

test('1 · a new visitor pays from a store QR, becomes a member, and the card shows tier and points', async () => {
  const p = ui as PreviewUi
  const who = await p.newVisitor()
  const phone = p.phone(who)
  await phone.see('欢迎光临', false)
  // the table tent's QR code opens the pay page for its store
  await p.launch('pages/pay/index', 'storeId=store-jingan&touchpoint=table-tent', 1011)
  await phone.see('静安南京西路店')
  const fen = 3600
  const earned = await pay(phone, fen / 100)
  await phone.see('欢迎成为会员')
  expect(earned).toBe(firstPaymentPoints(await settings(), fen))
  expect(earned).toBeGreaterThan(0)
  const tier = (await (await phone.see(/^当前等级：/)).innerText()).replace('当前等级：', '')
  await phone.tap('查看会员卡')
  await phone.see('会员码')
  expect(await phone.title()).toBe('会员卡')
  await phone.see(tier)
  await phone.see(String(earned))
})
