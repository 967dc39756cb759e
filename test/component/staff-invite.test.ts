import { mount, settle } from './helpers/mount'
import { fakeCloud, staffMe, stubWx, textOf, usePageTest } from './helpers/fake-cloud'

const me = staffMe('owner', [{ id: 'S1', name: '徐汇店' }], '林老板')

describe('staff invite page', () => {
  const { toasts, restores } = usePageTest()

  async function generated() {
    fakeCloud({ 'admin.me': me, 'admin.staff.invite': { code: 'ABCD2345', expiresAt: '2026-11-24T04:00:00.000Z', role: 'clerk', roleName: '店员' } })
    const page = mount('admin/pages/staff-invite/index')
    page.instance.onLoad()
    await settle()
    await page.instance.onGenerate()
    await settle()
    return page
  }

  it('puts the privacy popup on the page, since copying to the clipboard is privacy-gated', async () => {
    const page = await generated()
    expect(textOf(page)).toContain('ABCD2345')
    const popup = page.querySelector('#privacy')
    expect(popup).toBeTruthy()
    expect(popup!.data.reason).toBe('复制邀请码')
  })

  it('says when the code was copied', async () => {
    const page = await generated()
    const copied: string[] = []
    restores.push(stubWx('setClipboardData', (o: { data: string; success?: () => void }) => (copied.push(o.data), o.success?.())))
    page.instance.onCopy()
    expect(copied).toEqual(['ABCD2345'])
    expect(toasts).toEqual(['邀请码已复制，可粘贴发给对方'])
  })

  it('says how to copy by hand when copying fails (e.g. privacy not agreed)', async () => {
    const page = await generated()
    restores.push(stubWx('setClipboardData', (o: { fail?: (e: { errMsg: string }) => void }) => o.fail?.({ errMsg: 'setClipboardData:fail privacy permission is not authorized' })))
    page.instance.onCopy()
    expect(toasts).toEqual(['未同意隐私保护指引，无法复制，请长按邀请码手动复制'])
    toasts.length = 0
    restores.push(stubWx('setClipboardData', (o: { fail?: (e: { errMsg: string }) => void }) => o.fail?.({ errMsg: 'setClipboardData:fail' })))
    page.instance.onCopy()
    expect(toasts).toEqual(['复制失败，请长按邀请码手动复制'])
  })
})
