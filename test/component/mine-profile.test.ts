import { mount, settle } from './helpers/mount'
import { fail, fakeCloud, textOf, usePageTest } from './helpers/fake-cloud'
import { demoCardMember } from './helpers/fixtures'
import { cloudConfig } from '../../miniprogram/config'
import { LOCAL_NO_STORAGE } from '../../miniprogram/lib/avatar'
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

  it('says so when the local cloud cannot store the avatar, and shows a refused nickname’s reason', async () => {
    rememberCard(demoCardMember)
    fakeCloud({ 'admin.me': { staff: null }, 'member.setProfile': () => fail('INVALID_INPUT', '昵称含有不适宜的内容，请修改后重试') })
    const page = mount('pages/mine/index')
    page.instance.onLoad()
    await settle()
    await page.instance.onChooseAvatar({ detail: { avatarUrl: 'http://tmp/a.jpg' } })
    page.instance.onNickname({ detail: { value: '坏名字' } })
    await settle()
    expect(toasts).toEqual([LOCAL_NO_STORAGE, '昵称含有不适宜的内容，请修改后重试'])
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
