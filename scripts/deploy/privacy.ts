/**
 * What the mini program's code collects through WeChat's privacy-scoped interfaces, found by
 * scanning the source (miniprogram/**, and the TDesign components it uses), so that
 *   - the 用户隐私保护指引 text the merchant pastes into 微信公众平台 (设置 → 服务内容声明 →
 *     用户隐私保护指引) lists exactly what the code calls (printed by npm run deploy and --check),
 *   - the 隐私政策 page (我的 → 隐私政策) shows the same, from a generated data module
 *     (miniprogram/legal/pages/privacy/policy-data.ts; a test fails when it is stale),
 *   - app.json's requiredPrivateInfos and permission entries are complete (a test fails when
 *     the code calls a location interface app.json does not declare).
 *
 * The interface table is WeChat's 「小程序用户隐私保护指引内容介绍」
 * (developers.weixin.qq.com/miniprogram/dev/framework/user-privacy/miniprogram-intro.html, the
 * 「开发者处理的信息」 table: 处理的信息 → 接口或组件), as mirrored in 2023–2025 write-ups (e.g.
 * juejin.cn/post/7280787122004377615); the keys are the privacy_key names WeChat's
 * getprivacysetting API answers (developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/privacy_config/get_privacy_setting.html).
 * wx.scanCode is not in that table; it opens the camera, so it is counted under 摄像头 (the
 * stricter side: declaring it costs nothing, missing it would block the call).
 * requiredPrivateInfos: the eight location interfaces app.json must list (全局配置 →
 * requiredPrivateInfos, since 2022-07-14).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { ROOT } from '../build'

export interface PrivacyCategory {
  /** WeChat's privacy_key. */
  key: string
  /** The item as 微信公众平台's form names it. */
  label: string
  /** wx.<api> calls. */
  apis: string[]
  /** open-type values, <input type> values and components in WXML. */
  openTypes?: string[]
  inputTypes?: string[]
  components?: string[]
  /** wx.authorize scopes. */
  scopes?: string[]
  /** Why this product uses it: the 用途 the merchant pastes (the form's 「用于…」). */
  purpose: string
}

export const PRIVACY_CATEGORIES: readonly PrivacyCategory[] = [
  { key: 'UserInfo', label: '收集你的昵称、头像', apis: ['getUserProfile', 'getUserInfo'], openTypes: ['chooseAvatar'], inputTypes: ['nickname'], purpose: '在会员卡上显示你设置的头像和昵称，并让门店员工识别你' },
  { key: 'Location', label: '收集你的位置信息', apis: ['getLocation', 'startLocationUpdate', 'startLocationUpdateBackground', 'getFuzzyLocation', 'onLocationChange'], scopes: ['userLocation', 'userLocationBackground', 'userFuzzyLocation'], purpose: '为你推荐附近的门店并显示距离' },
  { key: 'ChooseLocation', label: '收集你选择的位置信息', apis: ['choosePoi', 'chooseLocation'], purpose: '按你选择的位置查找附近门店' },
  { key: 'Address', label: '收集你的地址', apis: ['chooseAddress'], scopes: ['address'], purpose: '寄送你获得的实物奖品' },
  { key: 'Invoice', label: '收集你的发票信息', apis: ['chooseInvoiceTitle', 'chooseInvoice'], scopes: ['invoiceTitle', 'invoice'], purpose: '为你开具消费发票' },
  { key: 'RunData', label: '收集你的微信运动步数', apis: ['getWeRunData'], scopes: ['werun'], purpose: '按步数参与会员活动' },
  { key: 'PhoneNumber', label: '收集你的手机号', apis: [], openTypes: ['getPhoneNumber', 'getRealtimePhoneNumber'], purpose: '绑定会员手机号，便于你在门店报手机号查询会员与积分' },
  { key: 'LicensePlate', label: '收集你的车牌号', apis: ['chooseLicensePlate'], purpose: '为你登记停车优惠' },
  { key: 'Album', label: '收集你选中的照片或视频信息', apis: ['chooseImage', 'chooseMedia', 'chooseVideo'], purpose: '上传你选择的图片' },
  { key: 'MessageFile', label: '收集你选中的文件', apis: ['chooseMessageFile'], purpose: '上传你选择的文件' },
  { key: 'Record', label: '访问你的麦克风', apis: ['startRecord', 'getRecorderManager', 'joinVoIPChat'], scopes: ['record'], purpose: '录制你的语音' },
  { key: 'Camera', label: '访问你的摄像头', apis: ['createVKSession', 'scanCode', 'createCameraContext'], components: ['camera', 'live-pusher', 'voip-room'], scopes: ['camera'], purpose: '门店员工扫描会员码、付款码完成收银与核销' },
  { key: 'BlueTooth', label: '访问你的蓝牙', apis: ['openBluetoothAdapter', 'createBLEPeripheralServer'], scopes: ['bluetooth'], purpose: '连接门店蓝牙设备' },
  { key: 'AlbumWriteOnly', label: '使用你的相册（仅写入）权限', apis: ['saveImageToPhotosAlbum', 'saveVideoToPhotosAlbum'], scopes: ['writePhotosAlbum'], purpose: '保存邀请海报到相册' },
  { key: 'Contact', label: '使用你的通讯录（仅写入）权限', apis: ['addPhoneContact'], scopes: ['addPhoneContact'], purpose: '保存门店联系方式' },
  { key: 'CalendarWriteOnly', label: '使用你的日历（仅写入）权限', apis: ['addPhoneRepeatCalendar', 'addPhoneCalendar'], scopes: ['addPhoneCalendar'], purpose: '添加活动提醒' },
  { key: 'Clipboard', label: '读取你的剪切板', apis: ['setClipboardData', 'getClipboardData'], purpose: '复制邀请码、会员号等内容，方便你粘贴分享' },
  { key: 'Accelerometer', label: '调用你的加速传感器', apis: ['startAccelerometer', 'onAccelerometerChange'], purpose: '摇一摇手机快速打开会员码' },
  { key: 'Compass', label: '调用你的磁场传感器', apis: ['startCompass', 'onCompassChange'], purpose: '为你在地图上指示方向' },
  { key: 'DeviceMotion', label: '调用你的方向传感器', apis: ['startDeviceMotionListening', 'onDeviceMotionChange'], purpose: '识别手机方向' },
  { key: 'Gyroscope', label: '调用你的陀螺仪传感器', apis: ['startGyroscope', 'onGyroscopeChange'], purpose: '识别手机动作' },
]

/** The location interfaces app.json must list in requiredPrivateInfos (WeChat refuses them otherwise). */
export const REQUIRED_PRIVATE_INFOS = ['getFuzzyLocation', 'getLocation', 'onLocationChange', 'startLocationUpdate', 'startLocationUpdateBackground', 'chooseLocation', 'choosePoi', 'chooseAddress'] as const

/** Interfaces that need an app.json permission entry with a 用途 (the authorisation dialog shows it). */
export const PERMISSION_SCOPES: Record<string, string> = {
  getLocation: 'scope.userLocation',
  onLocationChange: 'scope.userLocation',
  startLocationUpdate: 'scope.userLocation',
  chooseLocation: 'scope.userLocation',
  choosePoi: 'scope.userLocation',
  getFuzzyLocation: 'scope.userFuzzyLocation',
  startLocationUpdateBackground: 'scope.userLocationBackground',
}

export interface PrivacyUse {
  category: string
  /** What was found: wx.getLocation, open-type="getPhoneNumber", <camera>, scope.camera. */
  via: string
  /** Where, relative to the repository. */
  file: string
}

const MINIPROGRAM = join(ROOT, 'miniprogram')
const TDESIGN = join(ROOT, 'node_modules', 'tdesign-miniprogram', 'miniprogram_dist')

function walk(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (name === 'miniprogram_npm' || name === 'node_modules') return []
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}

/** Comments hold API names in prose (this very project documents them); only code counts. */
function stripComments(code: string, kind: 'js' | 'wxml'): string {
  if (kind === 'wxml') return code.replace(/<!--[\s\S]*?-->/g, '')
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1')
}

export function scanCode(code: string, kind: 'js' | 'wxml', file: string): PrivacyUse[] {
  const text = stripComments(code, kind)
  const uses: PrivacyUse[] = []
  for (const c of PRIVACY_CATEGORIES) {
    if (kind === 'js') {
      for (const api of c.apis) if (new RegExp(`\\bwx\\s*\\.\\s*${api}\\b`).test(text)) uses.push({ category: c.key, via: `wx.${api}`, file })
      for (const scope of c.scopes ?? []) if (new RegExp(`['"\`]scope\\.${scope}['"\`]`).test(text)) uses.push({ category: c.key, via: `scope.${scope}`, file })
    } else {
      for (const t of c.openTypes ?? []) if (new RegExp(`open-type\\s*=\\s*["']${t}["']`).test(text)) uses.push({ category: c.key, via: `open-type="${t}"`, file })
      for (const t of c.inputTypes ?? []) if (new RegExp(`<input\\b[^>]*\\btype\\s*=\\s*["']${t}["']`).test(text)) uses.push({ category: c.key, via: `<input type="${t}">`, file })
      for (const comp of c.components ?? []) if (new RegExp(`<${comp}[\\s/>]`).test(text)) uses.push({ category: c.key, via: `<${comp}>`, file })
    }
  }
  return uses
}

/** TDesign components the app's pages and components use, with the ones those use in turn. */
function tdesignFiles(ownJson: string[]): string[] {
  const seen = new Set<string>()
  const queue: string[] = []
  const add = (componentPath: string) => {
    if (seen.has(componentPath)) return
    seen.add(componentPath)
    queue.push(componentPath)
  }
  for (const f of ownJson) {
    const using = (JSON.parse(readFileSync(f, 'utf8')) as { usingComponents?: Record<string, string> }).usingComponents ?? {}
    for (const target of Object.values(using)) if (target.startsWith('tdesign-miniprogram/')) add(join(TDESIGN, target.slice('tdesign-miniprogram/'.length)))
  }
  const files: string[] = []
  while (queue.length > 0) {
    const base = queue.shift() as string
    for (const ext of ['.js', '.wxml']) if (existsSync(base + ext)) files.push(base + ext)
    if (!existsSync(base + '.json')) continue
    const using = (JSON.parse(readFileSync(base + '.json', 'utf8')) as { usingComponents?: Record<string, string> }).usingComponents ?? {}
    for (const target of Object.values(using)) add(target.startsWith('/') ? join(TDESIGN, target) : resolve(dirname(base), target))
  }
  return files
}

/** Every privacy-scoped use in the mini program's code (and the TDesign components it uses). */
export function scanMiniprogram(root: string = MINIPROGRAM): PrivacyUse[] {
  const files = walk(root)
  // The generated policy module names the interfaces in its text: scanning it would keep a removed use alive.
  const own = files.filter((f) => f !== POLICY_DATA_FILE && ((f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.js') || f.endsWith('.wxml')))
  const json = files.filter((f) => f.endsWith('.json'))
  const uses: PrivacyUse[] = []
  for (const f of [...own, ...tdesignFiles(json)]) {
    uses.push(...scanCode(readFileSync(f, 'utf8'), f.endsWith('.wxml') ? 'wxml' : 'js', relative(ROOT, f)))
  }
  return uses
}

export function usedCategories(uses: PrivacyUse[]): PrivacyCategory[] {
  const keys = new Set(uses.map((u) => u.category))
  return PRIVACY_CATEGORIES.filter((c) => keys.has(c.key))
}

/** The wx.<api> names used that app.json must list in requiredPrivateInfos. */
export function requiredPrivateInfosOf(uses: PrivacyUse[]): string[] {
  const apis = new Set(uses.map((u) => u.via.replace(/^wx\./, '')))
  return REQUIRED_PRIVATE_INFOS.filter((a) => apis.has(a))
}

export function permissionScopesOf(uses: PrivacyUse[]): string[] {
  const apis = new Set(uses.map((u) => u.via.replace(/^wx\./, '')))
  return [...new Set(Object.entries(PERMISSION_SCOPES).filter(([api]) => apis.has(api)).map(([, scope]) => scope))].sort()
}

/**
 * Information the product collects without a privacy interface (the guide's 「开发者收集」 items
 * and the policy page): what, how, and which setting or action turns it on.
 */
export const COLLECTED_WITHOUT_INTERFACE: readonly { label: string; purpose: string; when: string }[] = [
  { label: '你的微信身份标识（OpenID）', purpose: '识别你的会员身份', when: '打开小程序即由微信提供' },
  { label: '你的订单信息（消费金额、门店、时间）', purpose: '累计积分、成长值与会员等级', when: '在门店支付或由店员记录消费时' },
  { label: '你的生日', purpose: '发放生日礼遇', when: '仅在你于会员卡页填写生日后' },
  { label: '你的好友邀请关系', purpose: '向邀请人发放邀请奖励（商家在「商家设置 → 邀请奖励」中设定）', when: '你通过好友分享的会员卡或邀请页加入时' },
]

export interface PrivacyPolicyData {
  /** One entry per privacy category the code uses. */
  interfaces: { key: string; label: string; purpose: string; via: string[] }[]
  collected: typeof COLLECTED_WITHOUT_INTERFACE
}

export function policyData(uses: PrivacyUse[] = scanMiniprogram()): PrivacyPolicyData {
  return {
    interfaces: usedCategories(uses).map((c) => ({
      key: c.key,
      label: c.label,
      purpose: c.purpose,
      via: [...new Set(uses.filter((u) => u.category === c.key).map((u) => u.via))].sort(),
    })),
    collected: COLLECTED_WITHOUT_INTERFACE,
  }
}

/** The text to paste into 微信公众平台 → 设置 → 服务内容声明 → 用户隐私保护指引. */
export function privacyGuideText(opts: { brandName: string; contact: { email?: string; phone?: string } }, uses: PrivacyUse[] = scanMiniprogram()): string {
  const data = policyData(uses)
  const contact = [opts.contact.phone ? `电话 ${opts.contact.phone}` : '', opts.contact.email ? `邮箱 ${opts.contact.email}` : ''].filter(Boolean).join('，')
  const lines = [
    `用户隐私保护指引（${opts.brandName}）— 在 微信公众平台 → 设置 → 服务内容声明 → 用户隐私保护指引 → 更新 中逐项勾选并填写用途：`,
    ...data.interfaces.map((i, n) => `  ${n + 1}. 「${i.label}」 用途：${i.purpose}（代码中：${i.via.join('、')}）`),
    '  开发者收集的其他信息（「其他信息」中补充）：',
    ...data.collected.map((c) => `    - ${c.label}：${c.purpose}（${c.when}）`),
    `  联系方式：${contact || '（deploy.config.json privacyContact 未填写）'}`,
    '  存储期限：会员注销后删除个人信息；订单与积分流水按财务要求保留并去除身份标识。',
  ]
  return lines.join('\n')
}

export const POLICY_DATA_FILE = join(MINIPROGRAM, 'legal', 'pages', 'privacy', 'policy-data.ts')

export function policyDataModule(data: PrivacyPolicyData = policyData()): string {
  return [
    '// Generated by `npx tsx scripts/deploy/privacy.ts --write` from a scan of the mini program\'s code',
    '// (scripts/deploy/privacy.ts). Do not edit: test/unit/privacy.test.ts fails when it is stale.',
    `export const PRIVACY_POLICY = ${JSON.stringify(data, null, 2)} as const`,
    '',
  ].join('\n')
}

if (process.argv[1] && resolve(process.argv[1]) === __filename) {
  if (process.argv.includes('--write')) {
    writeFileSync(POLICY_DATA_FILE, policyDataModule())
    console.log(`wrote ${relative(ROOT, POLICY_DATA_FILE)}`)
  } else {
    console.log(privacyGuideText({ brandName: '<品牌>', contact: {} }))
  }
}
