import { mount, settle } from './helpers/mount'
import { fail, fakeCloud, textOf, usePageTest } from './helpers/fake-cloud'

describe('staff join page', () => {
  const { toasts } = usePageTest()

  it('joins with an invite code from the query', async () => {
    const cloud = fakeCloud({ 'admin.joinStaff': { role: 'clerk', roleName: '店员' } })
    const page = mount('admin/pages/join/index')
    page.instance.onLoad({ code: 'abcd2345' })
    await page.instance.onJoin()
    await settle()
    expect(cloud.calls).toEqual([{ name: 'admin', action: 'joinStaff', input: { code: 'ABCD2345' } }])
    expect(textOf(page)).toContain('您的身份：店员')
  })

  it('sends the optional name (trimmed) with the code, and leaves it out when blank', async () => {
    const cloud = fakeCloud({ 'admin.joinStaff': { role: 'manager', roleName: '店长' } })
    const page = mount('admin/pages/join/index')
    page.instance.onLoad({})
    await settle()
    expect(textOf(page)).toContain('您的姓名（选填）')
    page.instance.onInput({ detail: { value: 'abcd2345' } })
    page.instance.onName({ detail: { value: '  小林 ' } })
    await page.instance.onJoin()
    await settle()
    expect(cloud.calls).toEqual([{ name: 'admin', action: 'joinStaff', input: { code: 'ABCD2345', name: '小林' } }])
    expect(textOf(page)).toContain('您的身份：店长')

    const again = mount('admin/pages/join/index')
    again.instance.onLoad({ code: 'WXYZ6789' })
    again.instance.onName({ detail: { value: '   ' } })
    await again.instance.onJoin()
    expect(cloud.calls[1]).toEqual({ name: 'admin', action: 'joinStaff', input: { code: 'WXYZ6789' } })
  })

  it('refuses a name longer than the server allows before calling', async () => {
    const cloud = fakeCloud({ 'admin.joinStaff': { role: 'clerk', roleName: '店员' } })
    const page = mount('admin/pages/join/index')
    page.instance.onLoad({ code: 'ABCD2345' })
    page.instance.onName({ detail: { value: '名'.repeat(21) } })
    await page.instance.onJoin()
    expect(toasts).toEqual(['姓名最多 20 个字'])
    expect(cloud.calls).toHaveLength(0)
  })

  it('binds the first owner with the setup key, and asks for both fields first', async () => {
    const cloud = fakeCloud({ 'admin.bootstrapOwner': { role: 'owner', roleName: '老板' } })
    const page = mount('admin/pages/join/index')
    page.instance.onLoad({})
    page.instance.toggleSetup()
    await settle()
    expect(textOf(page)).toContain('成为店主')
    await page.instance.onBootstrap()
    expect(toasts).toEqual(['请输入初始化密钥'])
    page.instance.onSetupKey({ detail: { value: ' k'.padEnd(20, 'x') } })
    await page.instance.onBootstrap()
    expect(toasts).toEqual(['请输入初始化密钥', '请输入您的称呼'])
    expect(cloud.calls).toHaveLength(0)
    page.instance.onOwnerName({ detail: { value: '林老板' } })
    await page.instance.onBootstrap()
    await settle()
    expect(cloud.calls).toEqual([{ name: 'admin', action: 'bootstrapOwner', input: { setupKey: 'k'.padEnd(19, 'x'), name: '林老板' } }])
    expect(textOf(page)).toContain('您的身份：老板')
  })

  it('shows the server refusal and stays on the form', async () => {
    fakeCloud({ 'admin.bootstrapOwner': () => fail('FORBIDDEN', '店主已绑定，请向店主索取员工邀请码') })
    const page = mount('admin/pages/join/index')
    page.instance.onLoad({})
    page.instance.toggleSetup()
    page.instance.onSetupKey({ detail: { value: 'x'.repeat(20) } })
    page.instance.onOwnerName({ detail: { value: '某人' } })
    await page.instance.onBootstrap()
    await settle()
    expect(toasts.join()).toContain('店主已绑定')
    expect(page.data.joinedRole).toBe('')
  })
})
