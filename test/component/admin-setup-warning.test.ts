/**
 * The owner's admin home while the deployment's first-run setup is not confirmed (admin.me's
 * `setup`, services/setup.ts): the remaining steps and 重新检查, which runs system.setup and asks
 * admin.me again; nothing for a ready deployment or for other roles.
 */
import { mount, settle } from './helpers/mount'
import { fakeCloud, staffMe, textOf } from './helpers/fake-cloud'
import { setTransport } from '../../miniprogram/lib/call-cloud'
import { clearStaffSession } from '../../miniprogram/lib/staff-session'

const stores = [{ id: 'S1', name: '徐汇店' }]
const MISSING = '缺少唯一索引 — 云开发控制台 → 数据库 → members → 索引管理 → 添加索引：集合 members 创建索引 memberNo_unique：memberNo 升序，唯一'

function ownerWith(setup: { state: 'ready' | 'not-run' | 'incomplete'; remaining: string[] } | undefined) {
  const me = staffMe('owner', stores)
  return { staff: { ...me.staff, ...(setup ? { setup: { ...setup, checkedAt: null } } : {}) } }
}

describe('admin home setup warning', () => {
  afterEach(() => {
    setTransport(null)
    clearStaffSession()
  })

  it('shows the owner what setup still needs, and 重新检查 runs setup and reloads', async () => {
    let ready = false
    const cloud = fakeCloud({
      'admin.me': () => Promise.resolve(ownerWith(ready ? { state: 'ready', remaining: [] } : { state: 'incomplete', remaining: [MISSING] })),
      'system.setup': () => {
        ready = true
        return Promise.resolve({ report: { ready: true, checkedAt: '', collections: { created: [], existing: [], failed: [] }, merchantCreated: false, indexes: [] }, notice: { state: 'ready' as const, checkedAt: null, remaining: [] } })
      },
    })
    const page = mount('admin/pages/index/index')
    page.instance.onLoad()
    await settle()
    expect(page.querySelector('#setup-warning')).toBeTruthy()
    expect(textOf(page)).toContain('memberNo_unique')
    page.instance.onSetupCheck()
    await settle()
    expect(cloud.actions()).toEqual(['admin.me', 'system.setup', 'admin.me'])
    expect(page.querySelector('#setup-warning')).toBeFalsy()
  })

  it('shows nothing once setup is ready, or when admin.me carries no setup (other roles)', async () => {
    for (const me of [ownerWith({ state: 'ready', remaining: [] }), ownerWith(undefined)]) {
      clearStaffSession()
      fakeCloud({ 'admin.me': me })
      const page = mount('admin/pages/index/index')
      page.instance.onLoad()
      await settle()
      expect(page.querySelector('#setup-warning')).toBeFalsy()
    }
  })
})
