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

/** A brand-new visitor scans a store's pay QR (scene 1011): who they are, and their phone on that store's pay page. */
async function newVisitorAtStore(p: PreviewUi, query: string, storeName: string): Promise<{ who: string; phone: Phone }> {
  const who = await p.newVisitor()
  const phone = p.phone(who)
  await phone.see('欢迎光临', false)
  await p.launch('pages/pay/index', query, 1011)
  await phone.see(storeName)
  return { who, phone }
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
  // the table tent's QR code opens the pay page for its store
  const { phone } = await newVisitorAtStore(p, 'storeId=store-jingan&touchpoint=table-tent', '静安南京西路店')
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

/** Lines of the points history (积分明细) on screen: title and signed delta. */
async function historyLines(phone: Phone): Promise<{ title: string; delta: string }[]> {
  await phone.screen.locator('wx-text.row__title').first().waitFor({ timeout: 15_000 })
  const titles = await phone.texts('wx-text.row__title')
  const deltas = await phone.texts('wx-text.row__delta')
  return titles.map((title, i) => ({ title, delta: deltas[i] ?? '' }))
}

/** The member card's points figure: the number written just before 「积分」. */
async function cardPoints(phone: Phone): Promise<number> {
  await phone.see('会员码')
  const text = await phone.screen.innerText()
  const m = /(\d+)\s*积分/.exec(text)
  if (!m) throw new Error('no points on the card')
  return Number(m[1])
}

test('2 · a member shares the invite; a new identity opens it and pays; the inviter is rewarded once', async () => {
  const p = ui as PreviewUi
  const inviter = p.phone('consumer')
  await inviter.see('拾光咖啡')
  await inviter.tapTab('会员卡')
  const before = await cardPoints(inviter)
  await inviter.tap('积分明细')
  const rewardsBefore = (await historyLines(inviter)).filter((l) => l.title === '邀请好友奖励').length
  await inviter.frame.locator('.screens-nav__back').click()
  await inviter.tap('邀请好友')
  await inviter.tap('邀请微信好友')
  await inviter.seeOverlay('已发送到聊天')

  // the friend opens the chat card: a brand-new identity, on the card page with the inviter
  const friendKey = await p.openLatestCard('__new')
  const friend = p.phone(friendKey)
  await friend.tap('去支付，成为会员')
  await pay(friend, 58)

  const reward = (await settings()).referral.inviterPoints
  expect(reward).toBeGreaterThan(0)
  await p.as('consumer')
  await p.launch('pages/points/index')
  let lines = await historyLines(inviter)
  expect(lines[0]).toEqual({ title: '邀请好友奖励', delta: `+${reward}` })
  expect(lines.filter((l) => l.title === '邀请好友奖励').length).toBe(rewardsBefore + 1)

  // the friend pays again: no second reward
  await p.as(friendKey)
  await friend.tap('继续支付')
  await pay(friend, 12)
  await p.as('consumer')
  await p.launch('pages/card/index')
  expect(await cardPoints(inviter)).toBe(before + reward)
  await inviter.tap('积分明细')
  lines = await historyLines(inviter)
  expect(lines.filter((l) => l.title === '邀请好友奖励').length).toBe(rewardsBefore + 1)
})

test('3 · the clerk scans the member code shown on the member\'s phone, records a sale; the member sees the line', async () => {
  const p = ui as PreviewUi
  const member = p.phone('consumer')
  await member.see('拾光咖啡')
  await member.tapTab('会员卡')
  await member.see('会员码')

  const clerk = await p.as('clerk')
  await clerk.tapTab('我的')
  await clerk.tap('商家管理')
  await clerk.tap('收银')
  await clerk.see('收银门店')
  await clerk.tap('扫会员码')
  const code = clerk.overlay.locator('.pv-scan__code', { hasText: '演示会员' }).first()
  await code.waitFor({ timeout: 15_000 })
  const scanned = (await code.getAttribute('data-code')) as string
  expect(scanned).toMatch(/^\d{19}$/)
  await code.click()
  expect(await clerk.field('输入 8 位会员号或扫码').inputValue()).toBe(scanned)
  await clerk.fill(clerk.field('消费金额（元）'), '88')
  await clerk.tap('确认收银')
  await clerk.see('收银成功')
  const earned = await clerk.number(/会员获得 (\d+) 积分/)
  expect(earned).toBeGreaterThan(0)

  await p.as('consumer')
  await member.tap('积分明细')
  const lines = await historyLines(member)
  expect(lines[0]).toEqual({ title: '消费得积分', delta: `+${earned}` })
})

test('4 · the owner changes the points rule in 商家设置; the next payment earns by the new rule', async () => {
  const p = ui as PreviewUi
  const owner = await p.as('owner')
  await owner.tapTab('我的')
  await owner.tap('商家管理')
  await owner.tap('商家设置')
  await owner.see('品牌与会员卡')
  const rule = owner.field('元得 1 积分')
  const old = await settings()
  expect(await rule.inputValue()).toBe((old.fenPerPoint / 100).toString())
  const newFenPerPoint = old.fenPerPoint * 2
  await owner.fill(rule, String(newFenPerPoint / 100))
  await owner.tap('保存')
  await owner.seeOverlay('已保存')

  const { phone: visitor } = await newVisitorAtStore(p, 'storeId=store-pudong', '浦东陆家嘴店')
  const fen = 9900
  const earned = await pay(visitor, fen / 100)
  const now = await settings()
  expect(now.fenPerPoint).toBe(newFenPerPoint)
  expect(earned).toBe(firstPaymentPoints(now, fen))
  expect(earned).not.toBe(firstPaymentPoints(old, fen))
})

test('5 · a store manager refunds an order from the member profile; the member\'s points go back', async () => {
  const p = ui as PreviewUi
  const { who, phone: member } = await newVisitorAtStore(p, 'storeId=store-xuhui', '徐汇漕溪北路店')
  const earned = await pay(member, 66)
  expect(earned).toBeGreaterThan(0)
  await member.tap('查看会员卡')
  expect(await cardPoints(member)).toBe(earned)
  const memberNo = (/会员号\s*(\d{4}\s?\d{4})/.exec(await member.screen.innerText())?.[1] ?? '').replace(/\s/g, '')
  expect(memberNo).toMatch(/^\d{8}$/)

  const manager = await p.as('manager')
  await manager.tapTab('我的')
  await manager.tap('商家管理')
  await manager.tap('会员查询')
  await manager.fill(manager.screen.locator('input.screens-field').first(), memberNo)
  await manager.tap('查询')
  await manager.see(`会员号 ${memberNo}`)
  await manager.screen.locator('.card').first().click()
  await manager.see('¥66.00', false)
  await manager.tap('退款')
  await manager.seeOverlay('确认退款')
  await manager.confirm('确认退款')
  await manager.seeOverlay('已退款')

  await p.as(who)
  await member.tap('积分明细')
  const lines = await historyLines(member)
  expect(lines[0]).toEqual({ title: '退款扣回', delta: `-${earned}` })
  await member.frame.locator('.screens-nav__back').click()
  await p.launch('pages/card/index')
  expect(await cardPoints(member)).toBe(0)
})
