import { DEFAULT_SETTINGS, type MerchantSettings } from '../../cloudfunctions/domain/merchant-settings'
import {
  blankTier,
  cardPreview,
  diffSettings,
  fenToYuanText,
  parseForm,
  percentToTimes,
  pointsRuleText,
  readonlyView,
  settingsToForm,
  splitBenefits,
  timesToPercent,
  type SettingsForm,
} from '../../miniprogram/admin/pages/settings/view-model'

const S: MerchantSettings = { ...DEFAULT_SETTINGS, logoUrl: 'https://x/logo.png' }
const form = (patch: Partial<SettingsForm> = {}): SettingsForm => ({ ...settingsToForm(S), ...patch })
const messageOf = (f: SettingsForm) => {
  const r = parseForm(f)
  return r.ok ? null : r.message
}

describe('settings ↔ form', () => {
  it('shows fen as yuan and percent as times', () => {
    const f = settingsToForm(S)
    expect(f.yuanPerPoint).toBe('1')
    expect(f.highSpendYuan).toBe('1000')
    expect(f.tiers.map((t) => t.multiplier)).toEqual(['1', '1.2', '1.5'])
    expect(f.tiers[1].benefits).toBe('积分 1.2 倍、生日礼券、新品优先试饮')
    expect(fenToYuanText(50)).toBe('0.5')
    expect(fenToYuanText(1234)).toBe('12.34')
    expect(percentToTimes(125)).toBe('1.25')
    expect(pointsRuleText(250)).toBe('每消费 2.5 元得 1 积分')
  })

  it('parses times to percent without floating point', () => {
    expect(timesToPercent('1.2')).toBe(120)
    expect(timesToPercent('1.15')).toBe(115)
    expect(timesToPercent('2')).toBe(200)
    expect(timesToPercent(' 1. ')).toBe(100)
    expect(timesToPercent('1.234')).toBeNull()
    expect(timesToPercent('abc')).toBeNull()
    expect(timesToPercent('')).toBeNull()
  })

  it('splits benefits on commas and 顿号', () => {
    expect(splitBenefits('生日礼券、专属客服, 新品试饮，,  ')).toEqual(['生日礼券', '专属客服', '新品试饮'])
    expect(splitBenefits('')).toEqual([])
  })

  it('round-trips the settings unchanged (nothing to save)', () => {
    const r = parseForm(form())
    expect(r.ok).toBe(true)
    if (r.ok) expect(diffSettings(S, r.value)).toBeNull()
  })
})

describe('validation', () => {
  it.each([
    [{ brandName: '  ' }, '请输入品牌名称'],
    [{ brandName: '一'.repeat(21) }, '品牌名称最多 20 个字'],
    [{ background: '#12345' }, '卡面背景色格式应为 #RRGGBB'],
    [{ textColor: 'red' }, '卡面文字色格式应为 #RRGGBB'],
    [{ yuanPerPoint: '' }, '积分规则：请输入金额'],
    [{ yuanPerPoint: '0' }, '积分规则：金额需大于 0'],
    [{ yuanPerPoint: '1000.01' }, '积分规则应为每 0.01 到 1000 元得 1 积分'],
    [{ inviterPoints: '-1' }, '推荐奖励积分应为 0 到 100000 的整数'],
    [{ inviterPoints: '1.5' }, '推荐奖励积分应为 0 到 100000 的整数'],
    [{ lapseDays: '0' }, '沉睡天数应为 1 到 3650 的整数'],
    [{ highSpendYuan: 'abc' }, '高消费门槛：请输入正确的金额'],
    [{ highSpendYuan: '100001' }, '高消费门槛不能超过 100000 元'],
    [{ tiers: [] }, '至少需要一个会员等级'],
  ])('%j → %s', (patch, message) => {
    expect(messageOf(form(patch as Partial<SettingsForm>))).toBe(message)
  })

  it('checks each tier and the order of thresholds', () => {
    const f = form()
    const withTier = (i: number, patch: object) => ({ ...f, tiers: f.tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)) })
    expect(messageOf(withTier(1, { name: ' ' }))).toBe('第 2 个等级：请输入等级名称')
    expect(messageOf(withTier(1, { name: '一二三四五六七八九十一' }))).toBe('第 2 个等级：等级名称最多 10 个字')
    expect(messageOf(withTier(2, { minGrowth: '' }))).toBe('第 3 个等级：请输入成长值门槛')
    expect(messageOf(withTier(2, { minGrowth: '1.5' }))).toBe('第 3 个等级：成长值门槛应为 0 到 1000000000 的整数')
    expect(messageOf(withTier(1, { multiplier: '0.9' }))).toBe('第 2 个等级：积分倍率应在 1 到 5 倍之间')
    expect(messageOf(withTier(1, { multiplier: '5.01' }))).toBe('第 2 个等级：积分倍率应在 1 到 5 倍之间')
    expect(messageOf(withTier(1, { benefits: '一'.repeat(21) }))).toBe('第 2 个等级：每条权益最多 20 个字')
    expect(messageOf(withTier(1, { benefits: Array.from({ length: 11 }, (_, i) => `b${i}`).join('、') }))).toBe('第 2 个等级：最多 10 条权益')
    expect(messageOf(withTier(0, { minGrowth: '10' }))).toBe('第一个会员等级的成长值门槛必须为 0')
    expect(messageOf(withTier(2, { minGrowth: '500' }))).toBe('会员等级的成长值门槛必须从低到高递增')
    expect(messageOf(withTier(2, { name: '金卡会员' }))).toBe('会员等级名称不能重复')
  })

  it('a new tier starts above the last one', () => {
    const f = form()
    const t = blankTier(f.tiers)
    expect(t).toMatchObject({ name: '', minGrowth: '3000', multiplier: '1.5', benefits: '' })
    expect(t.key).not.toBe(f.tiers[2].key)
    expect(blankTier([])).toMatchObject({ minGrowth: '', multiplier: '1' })
  })
})

describe('diff', () => {
  it('sends only the changed fields, tiers whole and without levels', () => {
    const f = form({ brandName: ' 新品牌 ', yuanPerPoint: '2.5', highSpendYuan: '800' })
    f.tiers = [...f.tiers.slice(0, 2), { ...f.tiers[2], name: '钻石会员', benefits: '专属客服，生日礼' }]
    const r = parseForm(f)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(diffSettings(S, r.value)).toEqual({
      brandName: '新品牌',
      fenPerPoint: 250,
      highSpendFen: 80000,
      tiers: [
        { name: '银卡会员', minGrowth: 0, multiplierPercent: 100, benefits: ['消费积分', '生日礼券'] },
        { name: '金卡会员', minGrowth: 500, multiplierPercent: 120, benefits: ['积分 1.2 倍', '生日礼券', '新品优先试饮'] },
        { name: '钻石会员', minGrowth: 2000, multiplierPercent: 150, benefits: ['专属客服', '生日礼'] },
      ],
    })
  })

  it('sends card and referral whole when one part changes', () => {
    const r = parseForm(form({ textColor: '#FFFFFF', qualifyingAction: 'join' }))
    if (!r.ok) throw new Error(r.message)
    expect(diffSettings(S, r.value)).toEqual({
      card: { background: '#1f2a44', textColor: '#FFFFFF' },
      // Issue 12: the referral goes whole, its farming limits included.
      referral: { ...S.referral, qualifyingAction: 'join', inviterPoints: 200 },
    })
  })

  it('a benefit reordered counts as a change; the same text with other separators does not', () => {
    const f = form()
    const same = parseForm({ ...f, tiers: f.tiers.map((t, i) => (i === 0 ? { ...t, benefits: '消费积分, 生日礼券' } : t)) })
    if (!same.ok) throw new Error(same.message)
    expect(diffSettings(S, same.value)).toBeNull()
    const swapped = parseForm({ ...f, tiers: f.tiers.map((t, i) => (i === 0 ? { ...t, benefits: '生日礼券、消费积分' } : t)) })
    if (!swapped.ok) throw new Error(swapped.message)
    expect(Object.keys(diffSettings(S, swapped.value) ?? {})).toEqual(['tiers'])
  })
})

describe('display', () => {
  it('previews the card with the typed colours, keeping the saved one while a colour is incomplete', () => {
    expect(cardPreview(form({ background: '#000000', brandName: '拾光' }), S)).toEqual({ brandName: '拾光', tierName: '银卡会员', style: 'background: #000000; color: #f5e6c8;' })
    expect(cardPreview(form({ background: '#00', brandName: '' }), S).style).toBe('background: #1f2a44; color: #f5e6c8;')
    expect(cardPreview(form({ brandName: '' }), S).brandName).toBe('会员中心')
  })

  it('reads out the settings for staff who cannot edit', () => {
    const v = readonlyView(S)
    expect(v.rows).toEqual([
      { label: '品牌名称', value: '会员中心' },
      { label: '卡面颜色', value: '背景 #1f2a44 · 文字 #f5e6c8' },
      { label: '积分规则', value: '每消费 1 元得 1 积分' },
      { label: '推荐奖励', value: '好友首次消费后，邀请人得 200 积分' },
      { label: '沉睡天数', value: '60 天未到店' },
      { label: '高消费门槛', value: '累计消费 ¥1000.00' },
      // Issue 12: the farming and counter-fraud limits.
      { label: '邀请防刷', value: '好友消费满 ¥10.00 才奖励 · 每人每日 10 个、每月 50 个 · 微信风险检查' },
      { label: '收银风控', value: '店员单笔超过 ¥500.00 需店长审批 · 店员每日 ¥5000.00 · 门店每日 ¥20000.00 · 手输会员号核对手机号后 4 位' },
    ])
    expect(v.tiers[1]).toMatchObject({ name: '金卡会员', line: '成长值 ≥ 500 · 积分 1.2 倍', benefits: '积分 1.2 倍、生日礼券、新品优先试饮' })
  })
})
