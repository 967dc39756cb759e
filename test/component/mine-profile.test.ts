import { mount, settle } from './helpers/mount'
import { fail, fakeCloud, textOf, usePageTest } from './helpers/fake-cloud'
import { demoCardMember } from './helpers/fixtures'
import { cloudConfig } from '../../miniprogram/config'
import { AVATAR_UPLOAD_FAILED } from '../../miniprogram/lib/avatar'
import { forgetProfile, rememberCard } from '../../miniprogram/lib/member-profile'

describe('我的: 头像昵称填写', () => {
  const { toasts, restores } = usePageTest()
  afterEach(() => {
    forgetProfile()
    cloudConfig.mode = 'local'
  })

  it('a member sets a nickname (checked by the server) and an avatar uploaded to cloud storage', async () => {
    rememberCard({ ...demoCardMember, nickname: '旧名' })
    const cloud = fakeCloud({ 'admin.me': { staff: null }, 'member.setProfile': (input) => ({ nickname: input.nickname ?? '旧名', avatarFileId: input.avatarFileId ?? null }) })
    const page = mount('pages/mine/index')
    page.instance.onLoad()
    await settle()
    expect(page.querySelector('#nickname')).toBeTruthy()
    expect(page.data.nickname).toBe('旧名')

    page.instance.onNickname({ detail: { value: '  新名字 ' } })
    page.instance.onNickname({ detail: { value: '旧名' } }) // unchanged: nothing sent
    await settle()
    expect(cloud.calls.filter((c) => c.action === 'setProfile').map((c) => c.input)).toEqual([{ nickname: '新名字' }])
    expect(page.data.nickname).toBe('新名字')

    cloudConfig.mode = 'cloud'
    const uploads: { cloudPath: string; filePath: string }[] = []
    const wxAny = (globalThis as unknown as { wx: { cloud?: unknown } }).wx
    const before = wxAny.cloud
    wxAny.cloud = { uploadFile: async (o: { cloudPath: string; filePath: string }) => (uploads.push(o), { fileID: `cloud://env-1.bucket/${o.cloudPath}` }) }
    restores.push(() => (wxAny.cloud = before))
    await page.instance.onChooseAvatar({ detail: { avatarUrl: 'http://tmp/avatar.png' } })
    await settle()
    expect(uploads).toHaveLength(1)
    expect(uploads[0].cloudPath).toMatch(/^avatars\/\d+-[a-z0-9]+\.png$/)
    expect(page.data.avatarUrl).toBe(`cloud://env-1.bucket/${uploads[0].cloudPath}`)
    expect(toasts).toEqual(['已保存', '已保存'])
  })

  it('uploads to the local cloud’s storage in local mode, says so when an upload fails, and shows a refused nickname’s reason', async () => {
    rememberCard(demoCardMember)
    const cloud = fakeCloud({
      'admin.me': { staff: null },
      'member.setProfile': (input) => (input.nickname ? fail('INVALID_INPUT', '昵称含有不适宜的内容，请修改后重试') : { nickname: null, avatarFileId: input.avatarFileId ?? null }),
    })
    const uploads: { url: string; name: string; formData: { cloudPath: string }; header: Record<string, string> }[] = []
    const wxAny = (globalThis as unknown as { wx: Record<string, unknown> }).wx
    const before = wxAny.uploadFile
    let answer: 'ok' | 'refused' | 'offline' = 'ok'
    wxAny.uploadFile = (o: { url: string; name: string; formData: { cloudPath: string }; header: Record<string, string>; success: (r: unknown) => void; fail: (e: unknown) => void }) => {
      uploads.push(o)
      if (answer === 'offline') o.fail({ errMsg: 'uploadFile:fail' })
      else if (answer === 'refused') o.success({ statusCode: 400, data: JSON.stringify({ ok: false, message: 'uploadFile:fail cloudPath 不能为空' }) })
      else o.success({ statusCode: 200, data: JSON.stringify({ fileID: `cloud://local.6c6f-local-1300000000/${o.formData.cloudPath}` }) })
    }
    restores.push(() => (wxAny.uploadFile = before))
    const page = mount('pages/mine/index')
    page.instance.onLoad()
    await settle()
    await page.instance.onChooseAvatar({ detail: { avatarUrl: 'http://tmp/a.jpg' } })
    await settle()
    expect(uploads[0]).toMatchObject({ url: `${cloudConfig.gatewayUrl}/storage/upload`, name: 'file', header: { 'X-WX-OPENID': cloudConfig.devOpenid } })
    expect(uploads[0].formData.cloudPath).toMatch(/^avatars\/\d+-[a-z0-9]+\.jpg$/)
    const setCalls = cloud.calls.filter((c) => c.action === 'setProfile')
    expect(setCalls.map((c) => c.input)).toEqual([{ avatarFileId: `cloud://local.6c6f-local-1300000000/${uploads[0].formData.cloudPath}` }])
    // Shown through the local cloud's public read route (the default rule 所有用户可读).
    expect(page.data.avatarUrl).toBe(`${cloudConfig.gatewayUrl}/storage/public/${uploads[0].formData.cloudPath}`)
    answer = 'refused'
    await page.instance.onChooseAvatar({ detail: { avatarUrl: 'http://tmp/b.png' } })
    answer = 'offline'
    await page.instance.onChooseAvatar({ detail: { avatarUrl: 'http://tmp/c.png' } })
    page.instance.onNickname({ detail: { value: '坏名字' } })
    await settle()
    expect(cloud.calls.filter((c) => c.action === 'setProfile')).toHaveLength(2)
    expect(toasts).toEqual(['已保存', AVATAR_UPLOAD_FAILED, AVATAR_UPLOAD_FAILED, '昵称含有不适宜的内容，请修改后重试'])
    expect(page.data.avatarUrl).toBe(`${cloudConfig.gatewayUrl}/storage/public/${uploads[0].formData.cloudPath}`)
  })

  it('a visitor who is not a member sees 微信用户 and no editing', async () => {
    fakeCloud({ 'admin.me': { staff: null } })
    const page = mount('pages/mine/index')
    page.instance.onLoad()
    await settle()
    expect(textOf(page)).toContain('微信用户')
    expect(page.querySelector('#nickname')).toBeFalsy()
    expect(textOf(page)).toContain('个人信息')
  })
})
