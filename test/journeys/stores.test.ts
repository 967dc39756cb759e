/**
 * 门店 in the browser preview: the consumer opens the store locator from the home page; the
 * stores come nearest first from the preview's position (300 m from 静安南京西路店), each with
 * 营业中/已打烊 by the shared hours rule in China time; they call the nearest open one.
 */
import { DEMO_STORES } from '../../database/demo-seed'
import { haversineMeters } from '../../miniprogram/lib/geo'
import { openStateAt, OPEN_STATE_TEXT } from '../../miniprogram/shared/store-hours'
import { DEMO_LOCATION } from '../../screens/browser/native'
import { PreviewUi, startWorld, type World } from './harness'

let world: World
let ui: PreviewUi | null = null

beforeAll(async () => {
  world = await startWorld()
  // One store open around the clock, so there is an open store whatever time the journey runs.
  const res = (await world.cloud.invoke('admin', { action: 'stores.update', input: { storeId: 'store-pudong', hours: '00:00-24:00' } }, { openid: 'demo-owner-openid' })) as { ok: boolean }
  if (!res.ok) throw new Error('stores.update failed')
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

test('a consumer finds the nearest open store and calls it', async () => {
  const p = ui as PreviewUi
  const phone = p.phone('consumer')
  await phone.see('拾光咖啡')
  await phone.tap('门店')
  await phone.see('按距离由近到远排列')
  expect(await phone.title()).toBe('门店')

  const now = new Date()
  const stores = DEMO_STORES.map((s) => ({ ...s, hours: s._id === 'store-pudong' ? '00:00-24:00' : s.hours }))
    .map((s) => ({ ...s, distance: haversineMeters(DEMO_LOCATION, s), state: openStateAt(s.hours, now) }))
    .sort((a, b) => a.distance - b.distance)
  const shown = await phone.texts('.store__name')
  expect(shown).toEqual(stores.map((s) => s.name))
  for (const s of stores) {
    const card = phone.screen.locator('.store', { hasText: s.name })
    await card.getByText(OPEN_STATE_TEXT[s.state], { exact: true }).waitFor({ timeout: 15_000 })
  }

  const target = stores.find((s) => s.state === 'open')!
  await phone.screen.locator('.store', { hasText: target.name }).getByText('电话', { exact: true }).click()
  await phone.seeOverlay('拨打电话')
  await phone.seeOverlay(target.phone)
  await phone.confirm('呼叫')
  await phone.seeOverlay(`正在呼叫 ${target.phone}`)
})
