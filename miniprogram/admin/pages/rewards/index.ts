import { callCloud } from '../../../lib/call-cloud'
import { datasetText } from '../../../lib/dataset'
import { definePage, exclusive } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { instanceStore, toast } from '../../../lib/ui'
import { birthdayText, checkinText, positiveInt, ruleRows, shopRows, yuanToFen, type RewardsAnswer, type RuleRow, type ShopRow } from './view-model'

interface Option {
  id: string
  name: string
}

type GiftKind = 'points' | 'coupon'

const local = instanceStore(() => ({ answer: null as RewardsAnswer | null }))
const GIFT_KINDS: { value: GiftKind; label: string }[] = [
  { value: 'points', label: '积分' },
  { value: 'coupon', label: '优惠券' },
]

/**
 * 奖励设置 (owner and HQ): 消费有礼 rules, 签到有礼 and each store's check-in code, 生日礼, and
 * the 积分商城's items. Every save goes to the server, which checks and records it.
 */
definePage({
  data: {
    rules: [] as RuleRow[],
    shop: [] as ShopRow[],
    checkinText: '',
    birthdayText: '',
    templates: [] as Option[],
    stores: [] as Option[],
    giftKinds: GIFT_KINDS,
    // 新增消费有礼
    ruleName: '',
    ruleMinYuan: '',
    ruleFirstOnly: false,
    ruleGiftKind: 'points' as GiftKind,
    rulePoints: '',
    ruleTemplateIndex: 0,
    // 签到有礼
    checkinGiftKind: 'points' as GiftKind,
    checkinPoints: '10',
    checkinTemplateIndex: 0,
    checkinRadius: '',
    // 生日礼
    birthdayTemplateIndex: 0,
    birthdayAllowInMonth: false,
    // 积分商城
    shopTemplateIndex: 0,
    shopPrice: '',
    shopStock: '',
    shopLimit: '1',
    // 签到码
    codeStoreIndex: 0,
    qrDataUrl: '',
    codeStoreName: '',
    saving: false,
  },
  methods: {
    onField(e: WechatMiniprogram.Input) {
      const key = datasetText(e, 'key')
      if (key) this.setData({ [key]: e.detail.value })
    },
    onPick(e: WechatMiniprogram.PickerChange) {
      const key = datasetText(e, 'key')
      if (key) this.setData({ [key]: Number(e.detail.value) })
    },
    onToggle(e: WechatMiniprogram.SwitchChange) {
      const key = datasetText(e, 'key')
      if (key) this.setData({ [key]: e.detail.value })
    },
    onKind(e: WechatMiniprogram.TouchEvent) {
      const key = datasetText(e, 'key')
      const value = datasetText(e, 'value') as GiftKind
      if (key && (value === 'points' || value === 'coupon')) this.setData({ [key]: value })
    },
    async save(run: () => Promise<unknown>, done: string) {
      await exclusive(this, 'saving', async () => {
        await run()
        toast(done)
        await this.reload({ quiet: true })
      })
    },
    gift(kind: GiftKind, pointsText: string, templateIndex: number) {
      if (kind === 'points') {
        const points = positiveInt(pointsText)
        return points ? { kind: 'points' as const, points } : null
      }
      const t = this.data.templates[templateIndex]
      return t ? { kind: 'coupon' as const, templateId: t.id } : null
    },
    async onAddRule() {
      const minSpendFen = yuanToFen(this.data.ruleMinYuan)
      const gift = this.gift(this.data.ruleGiftKind, this.data.rulePoints, this.data.ruleTemplateIndex)
      if (!this.data.ruleName.trim() || !minSpendFen || !gift) return toast('请填写规则名称、消费门槛和奖励')
      await this.save(() => callCloud('admin', 'rewards.savePayRule', { name: this.data.ruleName, minSpendFen, firstPaymentOnly: this.data.ruleFirstOnly, storeId: null, gift, active: true }), '已保存')
      this.setData({ ruleName: '', ruleMinYuan: '', rulePoints: '' })
    },
    async onToggleRule(e: WechatMiniprogram.TouchEvent) {
      const id = datasetText(e, 'id')
      const rule = (local(this).answer?.payRules ?? []).find((r) => r.id === id)
      if (!rule) return
      await this.save(
        () => callCloud('admin', 'rewards.savePayRule', { ruleId: rule.id, name: rule.name, minSpendFen: rule.minSpendFen, firstPaymentOnly: rule.firstPaymentOnly, storeId: rule.storeId, gift: rule.gift, active: !rule.active }),
        rule.active ? '已停用' : '已启用',
      )
    },
    async onSaveCheckin(e: WechatMiniprogram.TouchEvent) {
      const enabled = datasetText(e, 'enabled') !== 'off'
      const gift = this.gift(this.data.checkinGiftKind, this.data.checkinPoints, this.data.checkinTemplateIndex)
      if (!gift) return toast('请填写签到奖励')
      const radiusM = this.data.checkinRadius.trim() ? positiveInt(this.data.checkinRadius) : null
      await this.save(() => callCloud('admin', 'rewards.setCheckin', { enabled, gift, radiusM, requireLocation: radiusM !== null }), enabled ? '已开启签到有礼' : '已关闭签到有礼')
    },
    async onSaveBirthday(e: WechatMiniprogram.TouchEvent) {
      const off = datasetText(e, 'enabled') === 'off'
      const t = this.data.templates[this.data.birthdayTemplateIndex]
      if (!off && !t) return toast('请先创建并发放一张生日券')
      await this.save(() => callCloud('admin', 'rewards.setBirthday', { templateId: off ? null : (t?.id ?? null), grantWhenSetInMonth: this.data.birthdayAllowInMonth }), off ? '已关闭生日礼' : '已保存')
    },
    async onAddShopItem() {
      const t = this.data.templates[this.data.shopTemplateIndex]
      const pricePoints = positiveInt(this.data.shopPrice)
      const stock = positiveInt(this.data.shopStock)
      const perMemberLimit = positiveInt(this.data.shopLimit)
      if (!t || !pricePoints || !stock || !perMemberLimit) return toast('请选择优惠券并填写积分、库存和限兑')
      await this.save(() => callCloud('admin', 'rewards.saveShopItem', { templateId: t.id, pricePoints, stock, perMemberLimit, active: true }), '已上架')
    },
    async onToggleItem(e: WechatMiniprogram.TouchEvent) {
      const item = (local(this).answer?.shopItems ?? []).find((i) => i.id === datasetText(e, 'id'))
      if (!item) return
      await this.save(() => callCloud('admin', 'rewards.saveShopItem', { itemId: item.id, templateId: item.templateId, pricePoints: item.pricePoints, stock: item.stock, perMemberLimit: item.perMemberLimit, active: !item.active }), item.active ? '已下架' : '已上架')
    },
    async onCode() {
      const store = this.data.stores[this.data.codeStoreIndex]
      if (!store) return
      await exclusive(this, 'saving', async () => {
        const res = await callCloud('admin', 'rewards.checkinCode', { storeId: store.id })
        this.setData({ qrDataUrl: res.qrDataUrl, codeStoreName: res.storeName })
      })
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff || staff.capabilities.actions['rewards.get'] !== 'all') return { viewState: 'empty' }
    const [answer, list, stores] = await Promise.all([callCloud('admin', 'rewards.get', {}), callCloud('admin', 'couponTemplates.list', { status: 'active' }), callCloud('admin', 'stores.list', {})])
    local(this).answer = answer
    const storeNames = new Map(stores.stores.map((s) => [s.id, s.name]))
    return {
      rules: ruleRows(answer, storeNames),
      shop: shopRows(answer),
      checkinText: checkinText(answer),
      birthdayText: birthdayText(answer),
      templates: list.templates.map((t) => ({ id: t.id, name: t.title })),
      stores: stores.stores.map((s) => ({ id: s.id, name: s.name })),
    }
  },
})
