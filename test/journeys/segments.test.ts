/**
 * Segments and targeted campaigns, clicked through the browser preview against the local cloud
 * with the demo merchant: the owner builds a segment of lapsed members (距上次消费 ≥ 60 天) in
 * the editor, sees its live count, saves it, issues a coupon to it at once, watches the job
 * finish, and a lapsed member (90 days away) finds the coupon in 我的券. The coupon template is
 * set up the way the owner would (admin actions, as the owner); the rest is taps on the screen.
 */
import { PreviewUi, startWorld, type World } from './harness'

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

test('owner builds a segment of lapsed members and issues them a coupon; a lapsed member sees it in 我的券', async () => {
  const p = ui as PreviewUi
  const title = `回来看看券${Date.now().toString(36).slice(-4)}`
  const { template } = await asOwner<{ template: { id: string } }>('couponTemplates.create', { storeId: null, title, value: { type: 'cash', valueFen: 600 }, validity: { kind: 'relative', days: 14 }, stock: 100 })
  await asOwner('couponTemplates.setStatus', { templateId: template.id, to: 'active' })

  const owner = await p.as('owner')
  await owner.tapTab('我的')
  await owner.tap('商家管理')
  await owner.tap('人群与定向发券')
  await owner.see('重要唤回会员')
  await owner.tap('新建人群')

  // 距上次消费 (the editor's first kind) · 不少于 · 60 天 → 添加条件: the live count appears
  await owner.see('添加条件')
  await owner.fill(owner.field('天数'), '60')
  await owner.tap('添加条件')
  await owner.see('距上次消费 ≥ 60 天')
  const count = await owner.number(/^(\d+) 人$/)
  expect(count).toBeGreaterThanOrEqual(5)
  await owner.fill(owner.field('人群名称'), '两个月没来的会员')
  await owner.tap('保存人群')
  await owner.seeOverlay('已保存')

  // 向该人群发券 → the newest active coupon is preselected → 试算 → 立即发券
  await owner.tap('向该人群发券')
  await owner.see('两个月没来的会员')
  await owner.see(new RegExp(title), false)
  await owner.fill(owner.field('对照组（%）'), '0')
  await owner.tap('试算')
  await owner.see(new RegExp(`将发券 ${count} 张`))
  await owner.tap('立即发券')
  await owner.see('已完成')
  await owner.see(String(count))

  // the lapsed member opens 我的券
  const lapsed = await p.as('lapsed')
  await lapsed.tapTab('优惠券')
  await lapsed.see(title)
})
