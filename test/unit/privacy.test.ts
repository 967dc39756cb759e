/**
 * Privacy declarations follow the code (scripts/deploy/privacy.ts): the generated policy page
 * data is current, app.json declares every location interface the code calls (WeChat refuses an
 * undeclared one at run time), and the guide text lists exactly what the code uses.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  PERMISSION_SCOPES,
  POLICY_DATA_FILE,
  PRIVACY_CATEGORIES,
  REQUIRED_PRIVATE_INFOS,
  permissionScopesOf,
  policyData,
  policyDataModule,
  privacyGuideText,
  requiredPrivateInfosOf,
  scanMiniprogram,
  usedCategories,
} from '../../scripts/deploy/privacy'

const APP_JSON = path.resolve(__dirname, '../../miniprogram/app.json')
const appJson = JSON.parse(fs.readFileSync(APP_JSON, 'utf8')) as { requiredPrivateInfos?: string[]; permission?: Record<string, { desc?: string }> }

/** The labels a guide text lists as numbered items. */
function guideLabels(text: string): string[] {
  return [...text.matchAll(/^\s+\d+\. 「([^」]+)」/gm)].map((m) => m[1])
}

describe('privacy declarations of the mini program', () => {
  const uses = scanMiniprogram()

  it('the policy page data is generated from the current code (run `npx tsx scripts/deploy/privacy.ts --write`)', () => {
    expect(fs.readFileSync(POLICY_DATA_FILE, 'utf8')).toBe(policyDataModule(policyData(uses)))
  })

  it('app.json requiredPrivateInfos lists exactly the location interfaces the code calls', () => {
    expect([...(appJson.requiredPrivateInfos ?? [])].sort()).toEqual(requiredPrivateInfosOf(uses).sort())
    // getLocation and getFuzzyLocation exclude each other there.
    expect(appJson.requiredPrivateInfos?.includes('getLocation') && appJson.requiredPrivateInfos.includes('getFuzzyLocation')).toBeFalsy()
  })

  it('app.json has a permission entry with a purpose for every scope those interfaces ask', () => {
    for (const scope of permissionScopesOf(uses)) expect({ scope, desc: appJson.permission?.[scope]?.desc?.trim() || '' }).toEqual({ scope, desc: expect.stringMatching(/\S{4,}/) })
  })

  it('the scan sees the real uses', () => {
    const vias = uses.map((u) => u.via)
    expect(vias).toContain('wx.getLocation')
    expect(vias).toContain('open-type="getPhoneNumber"')
  })

  it('the guide and the policy list every category the code uses, once each, and no other', () => {
    const text = privacyGuideText({ brandName: '测试', contact: { phone: '021-1' } }, uses)
    expect(guideLabels(text)).toEqual(usedCategories(uses).map((c) => c.label))
    expect(policyData(uses).interfaces.map((i) => i.key)).toEqual(usedCategories(uses).map((c) => c.key))
  })
})

describe('the privacy scan', () => {
  let dir: string
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-scan-'))
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
      fs.writeFileSync(path.join(dir, rel), text)
    }
    write('pages/a/index.ts', "// wx.getLocation is mentioned in a comment only\n/* wx.chooseMedia too */\nwx.chooseLocation({ success() {} })\nconst url = 'https://example.com' // wx.getClipboardData\n")
    write('pages/a/index.wxml', '<!-- <camera /> --><button open-type="chooseAvatar" bindchooseavatar="x">头像</button><input type="nickname" />')
    write('pages/a/index.json', JSON.stringify({ usingComponents: { 't-button': 'tdesign-miniprogram/button/button' } }))
    write('pages/b/index.ts', "wx.authorize({ scope: 'scope.writePhotosAlbum' })\nwx . startAccelerometer()\n")
    write('pages/c/index.wxml', '<t-button open-type="getPhoneNumber" bind:getphonenumber="p">绑定</t-button><camera mode="scanCode"></camera>')
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('finds exactly the calls in code and markup, not in comments', () => {
    const uses = scanMiniprogram(dir)
    expect([...new Set(uses.map((u) => u.via))].sort()).toEqual(
      ['<camera>', '<input type="nickname">', 'open-type="chooseAvatar"', 'open-type="getPhoneNumber"', 'scope.writePhotosAlbum', 'wx.chooseLocation', 'wx.startAccelerometer'].sort(),
    )
    expect(usedCategories(uses).map((c) => c.key).sort()).toEqual(['Accelerometer', 'AlbumWriteOnly', 'Camera', 'ChooseLocation', 'PhoneNumber', 'UserInfo'])
    expect(requiredPrivateInfosOf(uses)).toEqual(['chooseLocation'])
    expect(permissionScopesOf(uses)).toEqual(['scope.userLocation'])
    const text = privacyGuideText({ brandName: '测试', contact: { email: 'a@b.cn' } }, uses)
    expect(guideLabels(text).sort()).toEqual(usedCategories(uses).map((c) => c.label).sort())
    expect(text).toContain('邮箱 a@b.cn')
  })

  it('every location interface WeChat wants in requiredPrivateInfos belongs to a category', () => {
    const apis = new Set(PRIVACY_CATEGORIES.flatMap((c) => c.apis))
    // and every one but chooseAddress asks a location scope, so app.json needs its purpose
    for (const api of REQUIRED_PRIVATE_INFOS.filter((a) => a !== 'chooseAddress')) expect(Object.keys(PERMISSION_SCOPES)).toContain(api)
    for (const api of REQUIRED_PRIVATE_INFOS) expect(apis.has(api)).toBe(true)
  })
})
