/**
 * Coupons, clicked through the browser preview against the local cloud with the demo merchant:
 * a member forwards a coupon to a chat, a friend (a brand-new identity) opens the card and
 * accepts it, the clerk scans the friend's code and verifies it, and the code the sender still
 * has from before forwarding is refused at the counter. The campaign the coupon comes from is
 * set up the way the owner would (admin actions, as the owner); everything the member, the
 * friend and the clerk do is a tap on what is on screen.
 */
import { PreviewUi, startWorld, WAIT_MS, type World } from './harness'

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

async function asOwner<T>(action: string, input: unknown): Promise<T> {
  const res = (await world.cloud.invoke('admin', { action, input }, { openid: OWNER })) as { ok: boolean; data: T; message?: string }
  if (!res.ok) throw new Error(`${action} failed: ${res.message ?? ''}`)
  return res.data
}

/** A forwardable campaign usable in every store, active, with a title no demo coupon has. */
async function campaign(title: string): Promise<void> {
  const { template } = await asOwner<{ template: { id: string } }>('couponTemplates.create', {
    storeId: null,
    title,
    value: { type: 'cash', valueFen: 800 },
    validity: { kind: 'relative', days: 7, delayDays: 0 },
    stock: 50,
    perMemberLimit: 1,
    forwardable: true,
  })
  await asOwner('couponTemplates.setStatus', { templateId: template.id, to: 'active' })
}

const digitsOf = (text: string) => text.replace(/\D/g, '')

test('member forwards a coupon, a friend accepts it, the clerk verifies it, the sender\'s old code is refused', async () => {
  const p = ui as PreviewUi
  const title = `转赠测试券${Date.now().toString(36).slice(-4)}`
  await campaign(title)

  // the member claims the campaign's coupon in 领券中心 (from the 优惠券 tab)
  const member = p.phone('consumer')
  await member.see('拾光咖啡')
  await member.tapTab('优惠券')
  await member.tap('领券中心')
  const card = member.screen.locator('.item', { hasText: title })
  await card.waitFor({ timeout: WAIT_MS })
  await card.getByText('立即领取', { exact: true }).click()
  await member.seeOverlay('领取成功，已放入「我的券」')
  await member.frame.locator('.screens-nav__back').click()

  // 我的券 → the coupon's detail: its rotating code
  await member.tap(title)
  await member.see('转赠给好友')
  const shortCode = member.screen.locator('wx-text[class*="qc__short-code"]')
  await shortCode.waitFor({ timeout: WAIT_MS })
  const oldCode = digitsOf(await shortCode.innerText())
  expect(oldCode).toMatch(/^\d{14}$/)

  // forward: in transit, then the card goes to the chat
  await member.tap('转赠给好友')
  await member.confirm('转赠')
  await member.see('转赠中')
  await member.tap('发送给好友')
  await member.seeOverlay('已发送到聊天')
  expect(await member.screen.locator('wx-text[class*="qc__short-code"]').count()).toBe(0)

  // a friend (a new identity) opens the card and accepts
  const friendKey = await p.openLatestCard('__new')
  const friend = p.phone(friendKey)
  await friend.see('好友送你一张优惠券')
  await friend.tap('领取')
  await friend.see('领取成功')
  await friend.tap('查看我的券')
  await friend.see('好友赠送的券，券码为新生成，原券码已失效')
  const friendShort = friend.screen.locator('wx-text[class*="qc__short-code"]')
  await friendShort.waitFor({ timeout: WAIT_MS })
  const friendCode = digitsOf(await friendShort.innerText())
  expect(friendCode).not.toBe(oldCode)
  const friendScan = digitsOf(await friend.screen.locator('wx-text[class*="qc__digits"]').innerText())
  expect(friendScan).toMatch(/^\d{21}$/)

  // the clerk scans the friend's code at the counter and verifies it
  const clerk = await p.as('clerk')
  await clerk.tapTab('我的')
  await clerk.tap('商家管理')
  await clerk.tap('核销')
  await clerk.see('核销门店')
  await clerk.tap('扫码')
  const scanned = clerk.overlay.locator(`.pv-scan__code[data-code="${friendScan}"]`)
  await scanned.waitFor({ timeout: WAIT_MS })
  await scanned.click()
  await clerk.see(title)
  await clerk.tap('确认核销')
  await clerk.confirm('核销')
  await clerk.see('核销成功')

  // the sender's old code (kept from before forwarding) is refused
  await clerk.tap('继续核销')
  await clerk.fill(clerk.field('券码 / 会员码'), oldCode)
  await clerk.tap('查询')
  await clerk.see('券已转赠，原券码失效')
  await clerk.see('该券已转赠给好友，原券码已失效')

  // the friend's coupon is now used; the sender's gift record says it was accepted
  await p.as(friendKey)
  await p.launch('pages/coupons/index')
  await friend.tap('已使用')
  await friend.see(title)
  await p.as('consumer')
  await p.launch('coupons/pages/gifts/index')
  const sent = member.screen.locator('.row', { hasText: title })
  await sent.waitFor({ timeout: WAIT_MS })
  expect(await sent.innerText()).toContain('已被领取')
})
