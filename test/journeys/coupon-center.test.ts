/**
 * 领券中心 as its own journey (coupon-gaps), clicked through the browser preview against the
 * local cloud with the demo merchant: the owner runs a campaign of one coupon per member and a
 * flash campaign of stock 1; the member opens 领券中心 from the 优惠券 tab, claims the first (the
 * button then says 已领取), finds the flash one taken by someone quicker (已抢光), and finds the
 * claimed coupon in 我的券. Everything the member does is a tap on what is on screen.
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

async function invoke<T>(name: 'admin' | 'member', openid: string, action: string, input: unknown): Promise<T> {
  const res = (await world.cloud.invoke(name, { action, input }, { openid })) as { ok: boolean; data: T; message?: string }
  if (!res.ok) throw new Error(`${name}.${action} failed: ${res.message ?? ''}`)
  return res.data
}

/** An active campaign usable in every store, as the owner sets it up. */
async function campaign(title: string, stock: number): Promise<string> {
  const { template } = await invoke<{ template: { id: string } }>('admin', OWNER, 'couponTemplates.create', {
    storeId: null,
    title,
    value: { type: 'cash', valueFen: 600 },
    validity: { kind: 'relative', days: 7, delayDays: 0 },
    stock,
    perMemberLimit: 1,
  })
  await invoke('admin', OWNER, 'couponTemplates.setStatus', { templateId: template.id, to: 'active' })
  return template.id
}

test('a member claims in 领券中心: the button then says 已领取, a flash coupon someone else took says 已抢光, and 我的券 holds the claimed one', async () => {
  const p = ui as PreviewUi
  const tag = Date.now().toString(36).slice(-4)
  const title = `领券中心券${tag}`
  const flash = `秒杀券${tag}`
  await campaign(title, 20)
  const flashId = await campaign(flash, 1)
  // someone quicker takes the only flash coupon
  await invoke('member', 'o-journey-quicker', 'claimCoupon', { templateId: flashId })

  const member = p.phone('consumer')
  await member.see('拾光咖啡')
  await member.tapTab('优惠券')
  await member.tap('领券中心')
  await member.see('领券中心')
  const card = member.screen.locator('.item', { hasText: title })
  await card.waitFor({ timeout: WAIT_MS })
  await card.getByText('立即领取', { exact: true }).click()
  await member.seeOverlay('领取成功，已放入「我的券」')
  // the list is read again: this campaign now says 已领取 (one per member)
  await card.getByText('已领取', { exact: true }).waitFor({ timeout: WAIT_MS })
  const sold = member.screen.locator('.item', { hasText: flash })
  await sold.getByText('已抢光', { exact: true }).first().waitFor({ timeout: WAIT_MS })

  // 我的券 holds the claimed coupon
  await member.tap('查看我的券')
  await member.see(title)
})
