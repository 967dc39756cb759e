import { callCloud } from '../../../lib/call-cloud'
import { definePage, exclusive } from '../../../lib/page'
import { getStaffSession, may } from '../../../lib/staff-session'
import { confirmDialog, toast } from '../../../lib/ui'
import { draftOf, EMPTY_DRAFT, greetingProblem, KIND_OPTIONS, PAGE_OPTIONS, replyFromDraft, replyViews, TEXT_HINTS, type Draft, type Reply, type ReplyView } from './view-model'

/**
 * 客服自动回复 (owner and HQ): the keywords the customer-service bot answers by itself, what each
 * answers, the greeting and the switch. Every change sends the whole settings (service.update
 * replaces them, with its audit line) and shows what the server kept.
 */
definePage({
  data: {
    enabled: true,
    greeting: '',
    replies: [] as Reply[],
    views: [] as ReplyView[],
    editing: null as null | number | 'new',
    draft: EMPTY_DRAFT as Draft,
    kindOptions: KIND_OPTIONS,
    pageOptions: PAGE_OPTIONS,
    textHint: TEXT_HINTS.text,
    saving: false,
  },
  methods: {
    async save(next: { enabled: boolean; greeting: string; replies: Reply[] }, done: string): Promise<boolean> {
      let saved = false
      await exclusive(this, 'saving', async () => {
        const res = await callCloud('admin', 'service.update', next)
        this.setData({ enabled: res.service.enabled, greeting: res.service.greeting, replies: res.service.replies, views: replyViews(res.service.replies) })
        toast(done)
        saved = true
      })
      return saved
    },
    current() {
      return { enabled: this.data.enabled, greeting: this.data.greeting, replies: this.data.replies }
    },
    async onToggle(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      const enabled = !!e.detail.value
      if (!(await this.save({ ...this.current(), enabled }, enabled ? '已开启自动回复' : '已关闭自动回复'))) this.setData({ enabled: !enabled })
    },
    onGreeting(e: WechatMiniprogram.Input) {
      this.setData({ greeting: e.detail.value })
    },
    async onSaveGreeting() {
      const problem = greetingProblem(this.data.greeting)
      if (problem) return toast(problem)
      await this.save({ ...this.current(), greeting: this.data.greeting.trim() }, '欢迎语已保存')
    },
    onAdd() {
      this.setData({ editing: 'new', draft: { ...EMPTY_DRAFT }, textHint: TEXT_HINTS.text })
    },
    onEdit(e: WechatMiniprogram.TouchEvent) {
      const index = Number(e.currentTarget.dataset.index)
      const reply = this.data.replies[index]
      if (reply) this.setData({ editing: index, draft: draftOf(reply), textHint: TEXT_HINTS[reply.kind] })
    },
    onCancel() {
      this.setData({ editing: null })
    },
    onDraftField(e: WechatMiniprogram.Input) {
      const field = e.currentTarget.dataset.field as 'keywordsText' | 'text'
      this.setData({ draft: { ...this.data.draft, [field]: e.detail.value } })
    },
    onKind(e: WechatMiniprogram.TouchEvent) {
      const kind = KIND_OPTIONS.find((k) => k.value === e.currentTarget.dataset.kind)?.value
      if (kind) this.setData({ draft: { ...this.data.draft, kind }, textHint: TEXT_HINTS[kind] })
    },
    onPage(e: WechatMiniprogram.TouchEvent) {
      const page = PAGE_OPTIONS.find((p) => p.value === e.currentTarget.dataset.page)?.value
      if (page) this.setData({ draft: { ...this.data.draft, page } })
    },
    async onSaveReply() {
      const editing = this.data.editing
      if (editing === null) return
      const index = editing === 'new' ? null : editing
      const made = replyFromDraft(this.data.draft, this.data.replies, index)
      if ('problem' in made) return toast(made.problem)
      const replies = index === null ? [...this.data.replies, made.reply] : this.data.replies.map((r, i) => (i === index ? made.reply : r))
      if (await this.save({ ...this.current(), replies }, index === null ? '已添加' : '已保存')) this.setData({ editing: null })
    },
    async onRemove(e: WechatMiniprogram.TouchEvent) {
      const index = Number(e.currentTarget.dataset.index)
      const reply = this.data.replies[index]
      if (!reply) return
      if (!(await confirmDialog('删除这条自动回复？', `关键词：${reply.keywords.join('、')}\n删除后，这些关键词的消息将转给人工客服。`, '删除'))) return
      await this.save({ ...this.current(), replies: this.data.replies.filter((_r, i) => i !== index) }, '已删除')
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff || !may(staff.capabilities, 'service.get')) return { viewState: 'empty' }
    const { service } = await callCloud('admin', 'service.get', {})
    return { enabled: service.enabled, greeting: service.greeting, replies: service.replies, views: replyViews(service.replies), editing: null }
  },
})
