/** 隐私政策 (我的 → 隐私政策): every item of the generated policy data, which follows the code's privacy-scoped calls. */
import { mount, settle } from './helpers/mount'
import { textOf } from './helpers/fake-cloud'
import { PRIVACY_POLICY } from '../../miniprogram/legal/pages/privacy/policy-data'

describe('privacy policy page', () => {
  it('lists every interface and every other item the policy data names, with its purpose', async () => {
    const page = mount('legal/pages/privacy/index')
    page.instance.onLoad()
    await settle()
    const text = textOf(page)
    expect(PRIVACY_POLICY.interfaces.length).toBeGreaterThan(0)
    for (const i of PRIVACY_POLICY.interfaces) expect(text).toContain(i.purpose)
    for (const c of PRIVACY_POLICY.collected) expect(text).toContain(c.purpose)
    expect(text).toContain('位置信息')
    expect(text).toContain('查看《用户隐私保护指引》')
  })
})
