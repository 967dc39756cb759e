import { dateText, profileExtra } from '../../miniprogram/admin/pages/member/view-model'

describe('member profile detail rows', () => {
  it('shows 「—」 for a missing or broken date instead of Invalid Date', () => {
    expect(dateText(null)).toBe('—')
    expect(dateText(undefined)).toBe('—')
    expect(dateText('not a date')).toBe('—')
    expect(dateText('2026-11-01T04:00:00.000Z')).toMatch(/^2026-11-0[12]$/)
  })

  it('fills every row with something readable', () => {
    const rows = profileExtra({ joinedAt: null, firstStoreName: '', favouriteStoreName: '徐汇店', sourceTouchpoint: '', referrerMemberNo: '10000023' })
    expect(rows).toEqual([
      { label: '加入时间', value: '—' },
      { label: '首次门店', value: '—' },
      { label: '常去门店', value: '徐汇店' },
      { label: '来源渠道', value: '自然进入' },
      { label: '推荐人', value: '会员 10000023' },
    ])
  })
})
