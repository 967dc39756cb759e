/**
 * 个人信息 → 注销会员 in the browser preview: a new visitor pays and becomes a member, opens
 * 我的 → 个人信息, deletes the membership through both confirmations, and the clerk's 会员查询
 * then finds nobody by that member number.
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

test('a member deletes their data and the clerk\'s lookup no longer finds them', async () => {
  const p = ui as PreviewUi
  const who = await p.newVisitor()
  const member = p.phone(who)
  await member.see('欢迎光临', false)
  await p.launch('pages/pay/index', 'storeId=store-xuhui', 1011)
  await member.see('徐汇漕溪北路店')
  await member.fill(member.field('支付金额（元）'), '28')
  await member.tap('确认支付')
  await member.seeOverlay('¥28.00')
  await member.confirm('确认支付')
  await member.see('欢迎成为会员')
  await member.tap('查看会员卡')
  await member.see('会员码')
  const memberNo = (/会员号\s*(\d{4}\s?\d{4})/.exec(await member.screen.innerText())?.[1] ?? '').replace(/\s/g, '')
  expect(memberNo).toMatch(/^\d{8}$/)

  // The clerk finds the new member first.
  const clerk = await p.as('clerk')
  await clerk.tapTab('我的')
  await clerk.tap('商家管理')
  await clerk.tap('会员查询')
  await clerk.fill(clerk.screen.locator('input.screens-field').first(), memberNo)
  await clerk.tap('查询')
  await clerk.see(`会员号 ${memberNo}`)

  await p.as(who)
  await member.tapTab('我的')
  await member.tap('个人信息')
  await member.see('基本资料')
  await member.see(memberNo)
  await member.tap('注销会员并删除个人信息')
  await member.seeOverlay('订单和积分流水会保留')
  await member.confirm('继续')
  await member.seeOverlay('不可撤销')
  await member.confirm('确认注销')
  await member.seeOverlay('您的个人信息已删除')
  await member.confirm('知道了')
  await member.see('您的会员已注销，个人信息已删除')

  await p.as('clerk')
  await clerk.fill(clerk.screen.locator('input.screens-field').first(), memberNo)
  await clerk.tap('查询')
  await clerk.see('未找到该会员')

  // The member's own card is back to the invitation to join.
  await p.as(who)
  await p.launch('pages/card/index')
  await member.see('完成首次支付即可成为会员', false)
})
