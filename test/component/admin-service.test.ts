import { mount, settle } from './helpers/mount'
import { fail, fakeCloud, stubWx, textOf, usePageTest, type Routes } from './helpers/fake-cloud'
import { clerk, owner } from './helpers/chain-fixtures'
import { DEFAULT_SERVICE_REPLIES } from '../../cloudfunctions/domain/service-replies'

/** 客服自动回复 (issue 17, chain gaps): list, add, edit, remove, validation; loaded, empty and error. */
describe('客服自动回复 page', () => {
  const { toasts, restores } = usePageTest()

  async function open(routes: Routes) {
    const sent: any[] = []
    const cloud = fakeCloud({
      'admin.me': owner,
      'admin.service.get': { service: DEFAULT_SERVICE_REPLIES },
      'admin.service.update': (input) => (sent.push(input), { service: input }),
      ...routes,
    })
    const page = mount('admin/pages/service/index')
    page.instance.onLoad()
    await settle()
    return { page, cloud, sent }
  }
  const tap = (data: Record<string, unknown>) => ({ currentTarget: { dataset: data } }) as any
  const input = (field: string, value: string) => ({ currentTarget: { dataset: { field } }, detail: { value } }) as any

  it('lists the keyword replies in order with what each answers', async () => {
    const { page } = await open({})
    expect(page.data.viewState).toBe('ready')
    const text = textOf(page)
    expect(text).toContain('营业时间、几点、营业、开门、关门')
    expect(text).toContain('门店营业时间')
    expect(text).toContain('小程序卡片 · 打开「会员卡」')
    expect(text).toContain('欢迎语')
    expect(page.data.views).toHaveLength(4)
    expect(page.querySelector('#add-reply')).toBeTruthy()
  })

  it('adds a reply after checking it, sending the whole settings', async () => {
    const { page, sent } = await open({})
    page.instance.onAdd()
    await settle()
    expect(page.querySelector('#edit-reply')).toBeTruthy()
    const attempts: Array<[string, string, string]> = [
      ['', '有停车位', '请至少填写一个关键词'],
      ['停车、营业', '有停车位', '关键词「营业」已在第 1 条回复中使用'],
      ['停车场在哪里有没有车位', '有', '关键词「停车场在哪里有没有车位」超过 10 个字'],
      ['停车', '', '请填写回复内容'],
      ['停车', '位'.repeat(301), '回复内容最多 300 字'],
      [Array.from({ length: 11 }, (_, i) => `词${i}`).join(','), '有', '每条回复最多 10 个关键词'],
    ]
    for (const [keywords, text, problem] of attempts) {
      page.instance.onDraftField(input('keywordsText', keywords))
      page.instance.onDraftField(input('text', text))
      await page.instance.onSaveReply()
      expect(toasts.pop()).toBe(problem)
    }
    expect(sent).toEqual([])
    page.instance.onDraftField(input('keywordsText', ' 停车，车位 停车 '))
    page.instance.onDraftField(input('text', '  各门店均有免费停车位。 '))
    await page.instance.onSaveReply()
    await settle()
    expect(sent).toHaveLength(1)
    expect(sent[0].replies.at(-1)).toEqual({ keywords: ['停车', '车位'], kind: 'text', text: '各门店均有免费停车位。' })
    expect(sent[0].replies.slice(0, 4)).toEqual(DEFAULT_SERVICE_REPLIES.replies)
    expect(toasts).toContain('已添加')
    expect(page.data.editing).toBeNull()
    expect(textOf(page)).toContain('停车、车位')
  })

  it('edits a reply into a card, which needs a page', async () => {
    const { page, sent } = await open({})
    page.instance.onEdit(tap({ index: 3 }))
    await settle()
    expect(page.data.draft).toMatchObject({ keywordsText: '优惠、优惠券、活动、折扣', kind: 'text' })
    page.instance.onKind(tap({ kind: 'card' }))
    page.instance.onDraftField(input('text', '点此领取优惠券'))
    await page.instance.onSaveReply()
    expect(toasts.pop()).toBe('请选择卡片打开的页面')
    page.instance.onPage(tap({ page: 'coupons' }))
    await page.instance.onSaveReply()
    await settle()
    expect(sent[0].replies[3]).toEqual({ keywords: ['优惠', '优惠券', '活动', '折扣'], kind: 'card', text: '点此领取优惠券', page: 'coupons' })
    expect(sent[0].replies).toHaveLength(4)
  })

  it('removes a reply only after confirming, and switches the bot off', async () => {
    const { page, sent } = await open({})
    restores.push(stubWx('showModal', (o: { success: (r: { confirm: boolean }) => void }) => o.success({ confirm: false })))
    await page.instance.onRemove(tap({ index: 0 }))
    expect(sent).toEqual([])
    restores.push(stubWx('showModal', (o: { content: string; success: (r: { confirm: boolean }) => void }) => (expect(o.content).toContain('营业时间'), o.success({ confirm: true }))))
    await page.instance.onRemove(tap({ index: 0 }))
    await settle()
    expect(sent[0].replies.map((r: any) => r.keywords[0])).toEqual(['地址', '会员', '优惠'])
    expect(toasts).toContain('已删除')
    await page.instance.onToggle({ detail: { value: false } } as any)
    expect(sent[1]).toMatchObject({ enabled: false })
    expect(toasts).toContain('已关闭自动回复')
  })

  it('keeps the page as it was when the server refuses, and shows why', async () => {
    const { page } = await open({ 'admin.service.update': () => fail('INVALID_INPUT', '回复内容含有不支持的字符') })
    await page.instance.onToggle({ detail: { value: false } } as any)
    await settle()
    expect(page.data.enabled).toBe(true)
    expect(toasts).toContain('回复内容含有不支持的字符')
    page.instance.onGreeting({ detail: { value: '欢'.repeat(201) } } as any)
    await page.instance.onSaveGreeting()
    expect(toasts.pop()).toBe('欢迎语最多 200 字')
  })

  it('shows an empty list, the empty state for those who may not, and the error state', async () => {
    const none = await open({ 'admin.service.get': { service: { enabled: true, greeting: '', replies: [] } } })
    expect(textOf(none.page)).toContain('还没有关键词回复，所有消息都会转给人工客服')
    const refused = await open({ 'admin.me': clerk })
    expect(refused.page.data.viewState).toBe('empty')
    expect(textOf(refused.page)).toContain('仅老板和总部可设置客服自动回复')
    const broken = await open({ 'admin.service.get': () => fail('NETWORK', '网络不给力，请稍后重试') })
    expect(broken.page.data.viewState).toBe('error')
  })
})
