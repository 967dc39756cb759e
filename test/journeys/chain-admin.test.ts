/**
 * A chain's back office in the browser preview (issue 17, chain gaps): the clerk's large sale
 * goes to the manager's 收银审批; the owner's 员工管理 and 操作记录; 子品牌与区域; 客服自动回复;
 * the privacy policy; and a member's avatar, uploaded to the local cloud's storage.
 */
import { startJourney } from './start-journey'

const j = startJourney()

test('a clerk’s sale above ¥500 waits for the manager, who approves it on 收银审批', async () => {
  const p = j.ui()
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
  await code.click()
  await clerk.fill(clerk.field('消费金额（元）'), '520')
  await clerk.tap('确认收银')
  await clerk.see('等待店长审批')
  await clerk.see('请店长在「收银审批」中处理')

  const manager = await p.as('manager')
  await manager.tapTab('我的')
  await manager.tap('商家管理')
  await manager.tap('收银审批')
  const row = manager.screen.locator('.row', { hasText: '¥520.00' }).first()
  await row.waitFor({ timeout: 15_000 })
  await row.getByText('批准', { exact: true }).click()
  await manager.seeOverlay('批准收银')
  await manager.confirm('批准')
  await manager.seeOverlay('已批准，消费已记录')
  await manager.screen.locator('.row', { hasText: '¥520.00' }).waitFor({ state: 'detached', timeout: 15_000 })

  await p.as('clerk')
  await clerk.tap('刷新审批结果')
  await clerk.see('店长已批准，收银成功')
  await clerk.see('批准人：徐汇店长王敏', false)
})

test('the owner sees the staff and the audit list, and the sub-brands with their card looks', async () => {
  const p = j.ui()
  const owner = await p.as('owner')
  await owner.tapTab('我的')
  await owner.tap('商家管理')
  await owner.tap('员工管理')
  await owner.see('我的角色与门店')
  await owner.see('咖啡运营陈静', false)
  await owner.see('未使用的邀请码', false)
  await owner.frame.locator('.screens-nav__back').click()
  await owner.tap('操作记录')
  // Newest first, a page at a time: the demo's later actions (campaigns, templates) come before
  // the revoked invite, so the owner pages on with 加载更多 until it shows.
  await owner.see('加载更多')
  for (let page = 0; page < 8 && (await owner.screen.getByText('撤销邀请').count()) === 0; page += 1) {
    await owner.tap('加载更多')
    await new Promise((r) => setTimeout(r, 300))
  }
  await owner.see('撤销邀请', false)
  expect(await owner.title()).toBe('操作记录')
  await owner.frame.locator('.screens-nav__back').click()
  await owner.tap('子品牌与区域')
  await owner.see('拾光咖啡', false)
  await owner.see('区域 · 浦西区')
  await owner.see('会员卡样式（本子品牌）')
})

test('the owner adds a 客服 keyword reply, and a customer’s message gets it', async () => {
  const p = j.ui()
  const owner = await p.as('owner')
  await owner.tapTab('我的')
  await owner.tap('商家管理')
  await owner.tap('客服自动回复')
  await owner.see('关键词回复（按顺序匹配，第一条命中的生效）')
  await owner.tap('添加关键词回复')
  await owner.fill(owner.screen.locator('#draft-keywords input.screens-field, input.screens-field').last(), '停车、车位')
  await owner.screen.locator('#draft-text textarea, textarea').last().fill('各门店均有免费停车位。')
  await owner.tap('保存')
  await owner.seeOverlay('已添加')
  await owner.see('停车、车位')

  const res = await fetch(`${j.world().cloud.url}/service/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: 'preview-journey-guest', content: '请问有停车位吗' }) })
  expect(res.status).toBe(200)
  const outbox = (await (await fetch(`${j.world().cloud.url}/openapi/outbox`)).json()) as { messages: { apiName: string; params: any }[] }
  const replies = outbox.messages.filter((m) => m.apiName.includes('customerServiceMessage.send') && JSON.stringify(m.params).includes('preview-journey-guest'))
  expect(JSON.stringify(replies.at(-1)?.params)).toContain('各门店均有免费停车位。')
})

test('a member reads the privacy policy from 我的', async () => {
  const p = j.ui()
  const member = p.phone('consumer')
  await member.see('拾光咖啡')
  await member.tapTab('我的')
  await member.tap('隐私政策')
  await member.see('经你同意后使用的微信能力', false)
  await member.see('位置信息', false)
  await member.see('查看《用户隐私保护指引》')
})

test('a member chooses an avatar: it is stored in the local cloud’s storage and shown', async () => {
  const p = j.ui()
  const member = p.phone('consumer')
  await member.see('拾光咖啡')
  await member.tapTab('我的')
  await member.screen.locator('.profile__avatar').first().click()
  await member.seeOverlay('已保存')
  const files = (await (await fetch(`${j.world().cloud.url}/storage`)).json()) as { files: { fileID: string; openid: string }[] }
  const mine = files.files.filter((f) => f.openid === 'demo-consumer-openid' && f.fileID.includes('/avatars/'))
  expect(mine).toHaveLength(1)
  const img = member.screen.locator('.profile__avatar img, .profile__avatar wx-image, .profile__avatar image').first()
  await img.waitFor({ timeout: 15_000 })
  const html = await member.screen.locator('.profile__avatar').first().innerHTML()
  expect(html).toContain('/storage/public/avatars/')
})
