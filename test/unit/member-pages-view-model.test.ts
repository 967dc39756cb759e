import { birthdayText, cardViewModel, memberNoText, monthDayOf, safeColour } from '../../miniprogram/pages/card/view-model'
import { isPaymentCancel, payResultView, storeItems } from '../../miniprogram/pages/pay/view-model'
import { appendRows, pointsRow } from '../../miniprogram/pages/points/view-model'
import { inviteViewModel, ruleText, sharePath, shareQuery } from '../../miniprogram/pages/invite/view-model'
import { cashierResultView } from '../../miniprogram/admin/pages/cashier/view-model'
import { memberSummaryView } from '../../miniprogram/admin/pages/members/view-model'
import { lookupQueryOf, memberRefOf } from '../../miniprogram/admin/lib/staff'
import { newClientRequestId, SubmitIds } from '../../miniprogram/admin/lib/request-id'
import { pollUntil } from '../../miniprogram/lib/poll'
import { groupDigits, qrMatrix } from '../../miniprogram/lib/qr'

const brand = { name: '山野咖啡', logoUrl: '', cardBackground: '#0b3d2e', cardTextColor: '#fff' }
const member = {
  memberNo: '10000023',
  tierName: '银卡会员',
  tierLevel: 2,
  points: 1280,
  pointsDebt: 30,
  growth: 1280,
  nextTierName: '金卡会员' as string | null,
  growthToNext: 720,
  progressPercent: 64,
  benefits: ['生日月 8 折券'],
  birthday: null as string | null,
  joinedAt: '2025-03-01T02:00:00.000Z',
  totalSpentFen: 128000,
  visitCount: 9,
  phoneMasked: null as string | null,
}

describe('card view model', () => {
  it('shows tier, growth to the next tier and the stats', () => {
    const v = cardViewModel({ brand, member })
    expect(v.isMember).toBe(true)
    expect(v.cardStyle).toBe('background: #0b3d2e; color: #fff;')
    expect(v.growthText).toBe('再获得 720 成长值升级为「金卡会员」')
    expect(v.progressPercent).toBe(64)
    expect(v.debtText).toBe('待抵扣 30 积分')
    expect(v.memberNoText).toBe('1000 0023')
    expect(v.canSetBirthday).toBe(true)
    expect(v.statsText).toContain('累计消费 ¥1280.00 · 到店 9 次')
  })
  it('at the top tier shows a full bar', () => {
    const v = cardViewModel({ brand, member: { ...member, nextTierName: null, progressPercent: 0, birthday: '03-08' } })
    expect(v.progressPercent).toBe(100)
    expect(v.growthText).toBe('已是最高等级，感谢您的支持')
    expect(v.birthdayText).toBe('3月8日')
    expect(v.canSetBirthday).toBe(false)
  })
  it('is not a member: brand only, with safe colours', () => {
    const v = cardViewModel({ brand: { ...brand, cardBackground: 'red;position:fixed', cardTextColor: '' }, member: null })
    expect(v.isMember).toBe(false)
    expect(v.cardStyle).toBe('background: #1f2d3d; color: #ffffff;')
  })
  it('validates month-day', () => {
    expect(monthDayOf('02', '29')).toBe('02-29')
    expect(monthDayOf('02', '30')).toBeNull()
    expect(monthDayOf('04', '31')).toBeNull()
    expect(monthDayOf('12', '31')).toBe('12-31')
    expect(monthDayOf('13', '01')).toBeNull()
    expect(birthdayText('12-01')).toBe('12月1日')
    expect(memberNoText('12345678')).toBe('1234 5678')
    expect(safeColour('linear-gradient(135deg, #111, #222)', 'x')).toBe('linear-gradient(135deg, #111, #222)')
    expect(safeColour('url(javascript:1)', 'x')).toBe('x')
  })
})

describe('pay view model', () => {
  const stores = [
    { id: 'a', name: '浦东店', address: 'A', phone: '', hours: '', latitude: 31.2397, longitude: 121.4998 },
    { id: 'b', name: '人民广场店', address: 'B', phone: '', hours: '', latitude: 31.2335, longitude: 121.4752 },
  ]
  it('labels stores with their distance, nearest first', () => {
    const items = storeItems(stores, { latitude: 31.2304, longitude: 121.4737 })
    expect(items.map((s) => s.id)).toEqual(['b', 'a'])
    expect(items[0].label).toMatch(/^人民广场店（\d+m）$/)
    expect(storeItems(stores, null)[0].label).toBe('浦东店')
  })
  it('describes the payment outcome', () => {
    expect(payResultView({ status: 'paid', amountFen: 1990, pointsEarned: 19, tierName: '普通会员', joined: true }, 1990)).toMatchObject({
      kind: 'paid',
      title: '支付成功',
      amountText: '¥19.90',
      welcome: '欢迎成为会员',
      pointsText: '本次获得 19 积分',
      tierText: '当前等级：普通会员',
    })
    expect(payResultView(null, 500)).toMatchObject({ kind: 'pending', title: '支付结果确认中', amountText: '¥5.00' })
    expect(payResultView({ status: 'paid', amountFen: 100, pointsEarned: 1, tierName: '', joined: false }, 100).welcome).toBe('')
  })
  it('says an order closed unpaid is closed (reconciliation), not still being confirmed', () => {
    const view = payResultView({ status: 'closed', amountFen: 1500, pointsEarned: 0, tierName: '', joined: false }, 1500)
    expect(view).toMatchObject({ kind: 'closed', title: '订单已关闭', amountText: '¥15.00', welcome: '', tierText: '' })
    expect(view.pointsText).toContain('重新下单')
  })
  it('recognises a cancelled payment', () => {
    expect(isPaymentCancel({ errMsg: 'requestPayment:fail cancel' })).toBe(true)
    expect(isPaymentCancel({ errMsg: 'requestPayment:fail (detail message)' })).toBe(false)
  })
})

describe('points, invite, cashier, members view models', () => {
  it('formats ledger rows and de-duplicates pages', () => {
    expect(pointsRow({ id: '1', delta: 5, title: '消费得积分', createdAt: '2026-01-02T03:04:00.000Z' }).deltaText).toBe('+5')
    expect(pointsRow({ id: '1', delta: -5, title: '退款扣回', createdAt: '2026-01-02T03:04:00.000Z' }).positive).toBe(false)
    const rows = appendRows([], [{ id: '1', delta: 5, title: 'a', createdAt: '2026-01-02T03:04:00.000Z' }])
    expect(appendRows(rows, [{ id: '1', delta: 5, title: 'a', createdAt: '' }, { id: '2', delta: 1, title: 'b', createdAt: '' }]).map((r) => r.id)).toEqual(['1', '2'])
  })
  it('never claims a reward for sharing', () => {
    expect(ruleText(200, 'firstPayment')).toBe('好友首次消费后，您将获得 200 积分')
    expect(ruleText(0, 'join')).toBe('好友成为会员后，您将获得积分奖励')
    const v = inviteViewModel({ inviter: '10000023', inviteToken: 'iabcdefghjk2', minQualifyingFen: 0, rewardPoints: 50, qualifyingAction: 'firstPayment', invitedCount: 1, rewardedCount: 0, pointsEarned: 0, friends: [{ name: 'x', status: 'bound', boundAt: '2026-01-02T03:04:00.000Z' }] })
    expect(v.friends[0].statusText).toBe('已接受邀请，待首次消费')
    // Issue 12: links carry the invite token, never the member number.
    expect(sharePath('iabcdefghjk2')).toBe('/pages/card/index?invite=iabcdefghjk2')
    expect(shareQuery('iabcdefghjk2')).toBe('invite=iabcdefghjk2')
  })
  it('describes a cashier capture', () => {
    const r = { outTradeNo: 'C1234567890abcdef', memberNo: '10000023', pointsEarned: 0, tierName: '', alreadyRecorded: true }
    expect(cashierResultView(r, 1250, '人民广场店')).toMatchObject({ title: '该笔消费已记录', amountText: '¥12.50', pointsText: '本次未产生积分', note: '重复提交已自动识别，未重复计分' })
  })
  it('summarises a member for staff', () => {
    const v = memberSummaryView({ memberNo: '1', tierName: 't', points: 3, phone: '', totalSpentFen: 100, visitCount: 2, lastVisitAt: null, tags: ['新会员'], favouriteStoreName: '' })
    expect(v).toMatchObject({ phoneText: '未绑定手机号', spendText: '¥1.00', lastVisitText: '暂无', favouriteText: '—' })
  })
})

describe('staff helpers', () => {
  it('reads what the clerk typed or scanned', () => {
    expect(memberRefOf('1000 0023')).toEqual({ ok: true, ref: { memberNo: '10000023' } })
    expect(memberRefOf('1000002312345654321')).toEqual({ ok: true, ref: { memberCode: '1000002312345654321' } })
    expect(memberRefOf('123').ok).toBe(false)
    expect(lookupQueryOf('138-0013-8000')).toEqual({ ok: true, query: { phone: '13800138000' } })
    expect(lookupQueryOf('10000023')).toEqual({ ok: true, query: { memberNo: '10000023' } })
    expect(lookupQueryOf('abc').ok).toBe(false)
  })
})

describe('submit ids', () => {
  it('makes v4 uuids', () => {
    expect(newClientRequestId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
  it('reuses the id for the same payload until done, and renews it for a different payload', () => {
    let n = 0
    const ids = new SubmitIds(() => `id-${++n}`)
    expect(ids.idFor({ a: 1 })).toBe('id-1')
    expect(ids.idFor({ a: 1 })).toBe('id-1')
    expect(ids.idFor({ a: 2 })).toBe('id-2')
    ids.done()
    expect(ids.idFor({ a: 2 })).toBe('id-3')
  })
})

describe('pollUntil', () => {
  it('stops when done, and gives up after the timeout with the last value', async () => {
    let t = 0
    const wait = async (ms: number) => void (t += ms)
    let calls = 0
    expect(await pollUntil(async () => ++calls, (v) => v === 3, { timeoutMs: 10_000, intervalMs: 1000, now: () => t, wait })).toBe(3)
    calls = 0
    t = 0
    expect(await pollUntil(async () => ++calls, () => false, { timeoutMs: 10_000, intervalMs: 1000, now: () => t, wait })).toBe(11)
    t = 0
    expect(await pollUntil(async () => Promise.reject(new Error('x')), () => true, { timeoutMs: 2000, intervalMs: 1000, now: () => t, wait })).toBeNull()
  })
})

describe('qr', () => {
  it('builds a square matrix with finder patterns', () => {
    const m = qrMatrix('1000002312345654321')
    expect(m.length).toBeGreaterThanOrEqual(21)
    expect(m.every((row) => row.length === m.length)).toBe(true)
    expect(m[0].slice(0, 7)).toEqual([true, true, true, true, true, true, true])
    expect(groupDigits('1000002312345654321')).toBe('1000 0023 1234 5654 321')
  })
})
