import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { OpenApi } from 'wx-server-sdk'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { textField } from '../shared/text-input'
import {
  checkinScene,
  CHECKIN_PAGE,
  giftLabel,
  MAX_CHANCES,
  MAX_PAY_RULES,
  MAX_REWARD_POINTS,
  MAX_SHOP_ITEMS,
  MIN_SPEND_MAX_FEN,
  RADIUS_MAX_M,
  RADIUS_MIN_M,
  RULE_NAME_MAX,
  SHOP_LIMIT_MAX,
  SHOP_PRICE_MAX,
  SHOP_STOCK_MAX,
  type BirthdayConfig,
  type CheckinConfig,
  type PayRule,
  type RewardGift,
} from '../../miniprogram/shared/reward-rules'
import { formatYuan } from '../../miniprogram/shared/money'
import type { Database } from '../shared/cloud'
import { getDoc, list, runTransaction, txGet } from '../services/db-util'
import type { StoreDoc } from '../services/documents'
import type { CouponTemplateDoc } from '../services/coupon-docs'
import type { ShopItemDoc } from '../services/reward-docs'
import { auditLine, writeAudit } from '../services/audit'
import { BIRTHDAY_DOC, birthdayFrom, CHECKIN_DOC, checkinFrom, loadBirthday, loadCheckin, loadPayRules, PAY_RULES_DOC, payRulesFrom, type PayRulesDoc } from '../services/reward-settings'
import { defineStaffAction, iso } from './staff-context'

/**
 * 奖励设置 (issue 13): 消费有礼 rules, 到店签到, 生日礼 and the 积分商城's items. Merchant-wide
 * (owner and HQ); a rule may name one store.
 */

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号格式不正确')
/** The games area's collection (issue games); a rule's game must exist there. */
export const GAMES_COLLECTION = 'games'

const giftSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('coupon'), templateId: idSchema }).strict(),
  z.object({ kind: z.literal('points'), points: z.number().int().min(1, '积分至少 1').max(MAX_REWARD_POINTS) }).strict(),
  z.object({ kind: z.literal('chances'), gameId: idSchema, count: z.number().int().min(1, '次数至少 1').max(MAX_CHANCES) }).strict(),
])

/** The template a gift names, which must be issuing now (a paused or ended one would grant nothing). */
async function usableTemplate(db: Database, templateId: string): Promise<CouponTemplateDoc> {
  const template = await getDoc<CouponTemplateDoc>(db, COLLECTIONS.couponTemplates, templateId)
  if (!template) throw new AppError('NOT_FOUND', '优惠券不存在')
  if (template.status !== 'active') throw new AppError('TEMPLATE_NOT_USABLE')
  return template
}

async function gameExists(db: Database, gameId: string): Promise<boolean> {
  try {
    return (await getDoc<{ _id: string }>(db, GAMES_COLLECTION, gameId)) !== null
  } catch {
    // No games collection yet (the games area not deployed): no game can be named.
    return false
  }
}

/** Checks what a gift names exists; answers the words for the audit line. */
async function checkGift(db: Database, gift: RewardGift): Promise<string> {
  if (gift.kind === 'coupon') return giftLabel(gift, (await usableTemplate(db, gift.templateId)).title)
  if (gift.kind === 'chances' && !(await gameExists(db, gift.gameId))) throw new AppError('GAME_NOT_FOUND')
  return giftLabel(gift)
}

async function templateTitles(db: Database, ids: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)]
  if (wanted.length === 0) return new Map()
  const rows = await list<CouponTemplateDoc>(db.collection(COLLECTIONS.couponTemplates).where({ _id: db.command.in(wanted) }).field({ _id: true, title: true }).limit(1000))
  return new Map(rows.map((r) => [r._id, r.title]))
}

function shopItemView(i: ShopItemDoc) {
  return { id: i._id, templateId: i.templateId, title: i.title, pricePoints: i.pricePoints, stock: i.stock, remaining: i.remaining, perMemberLimit: i.perMemberLimit, active: i.active, updatedAt: iso(i.updatedAt) ?? '' }
}

export const rewardsGet = defineStaffAction('rewards.get', z.object({}).strict(), async (_input, ctx) => {
  const [rules, checkin, birthday, items] = await Promise.all([
    loadPayRules(ctx.db),
    loadCheckin(ctx.db),
    loadBirthday(ctx.db),
    list<ShopItemDoc>(ctx.db.collection(COLLECTIONS.shopItems).orderBy('createdAt', 'asc').limit(MAX_SHOP_ITEMS)),
  ])
  const couponIds = [
    ...rules.flatMap((r) => (r.gift.kind === 'coupon' ? [r.gift.templateId] : [])),
    ...(checkin.gift.kind === 'coupon' ? [checkin.gift.templateId] : []),
    ...(birthday.templateId ? [birthday.templateId] : []),
  ]
  const titles = await templateTitles(ctx.db, couponIds)
  const titleOf = (g: RewardGift) => giftLabel(g, g.kind === 'coupon' ? titles.get(g.templateId) : undefined)
  return {
    payRules: rules.map((r) => ({ ...r, giftLabel: titleOf(r.gift) })),
    checkin: { ...checkin, giftLabel: titleOf(checkin.gift) },
    birthday: { ...birthday, templateTitle: birthday.templateId ? (titles.get(birthday.templateId) ?? '') : '' },
    shopItems: items.map(shopItemView),
  }
})

const payRuleSchema = z
  .object({
    /** Absent: a new rule. */
    ruleId: idSchema.optional(),
    name: textField({ label: '规则名称', max: RULE_NAME_MAX }),
    minSpendFen: z.number().int().min(1, '消费门槛至少 0.01 元').max(MIN_SPEND_MAX_FEN),
    firstPaymentOnly: z.boolean(),
    storeId: idSchema.nullable(),
    gift: giftSchema,
    active: z.boolean(),
  })
  .strict()

export const rewardsSavePayRule = defineStaffAction('rewards.savePayRule', payRuleSchema, async (input, ctx) => {
  const label = await checkGift(ctx.db, input.gift)
  if (input.storeId && !(await getDoc<StoreDoc>(ctx.db, COLLECTIONS.stores, input.storeId))) throw new AppError('NOT_FOUND', '门店不存在')
  const ruleId = input.ruleId ?? `r${randomBytes(6).toString('hex')}`
  const rule: PayRule = { id: ruleId, name: input.name, minSpendFen: input.minSpendFen, firstPaymentOnly: input.firstPaymentOnly, storeId: input.storeId, gift: input.gift, active: input.active }
  const summary = `${input.ruleId ? '修改' : '新增'}消费有礼「${input.name}」：满 ${formatYuan(input.minSpendFen)}${input.firstPaymentOnly ? '（首次消费）' : ''}送${label}${input.active ? '' : '（停用）'}`
  const line = auditLine(ctx, 'rewards.savePayRule', { storeId: input.storeId, target: `pay-rule:${ruleId}`, summary })
  const rules = await runTransaction(ctx.db, async (t) => {
    const current = payRulesFrom(await txGet<PayRulesDoc>(t, COLLECTIONS.rewardSettings, PAY_RULES_DOC))
    const at = current.findIndex((r) => r.id === ruleId)
    if (input.ruleId && at < 0) throw new AppError('NOT_FOUND', '规则不存在')
    if (at < 0 && current.length >= MAX_PAY_RULES) throw new AppError('TOO_MANY_RULES', `最多 ${MAX_PAY_RULES} 条消费有礼规则`)
    const next = at < 0 ? [...current, rule] : current.map((r) => (r.id === ruleId ? rule : r))
    await t.collection(COLLECTIONS.rewardSettings).doc(PAY_RULES_DOC).set({ data: { rules: next, updatedAt: ctx.now() } })
    await writeAudit(t, line)
    return next
  })
  return { rule, rules }
})

const checkinSchema = z
  .object({
    enabled: z.boolean(),
    gift: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('coupon'), templateId: idSchema }).strict(),
      z.object({ kind: z.literal('points'), points: z.number().int().min(1, '积分至少 1').max(MAX_REWARD_POINTS) }).strict(),
    ]),
    radiusM: z.number().int().min(RADIUS_MIN_M, `距离至少 ${RADIUS_MIN_M} 米`).max(RADIUS_MAX_M, `距离最多 ${RADIUS_MAX_M} 米`).nullable(),
    requireLocation: z.boolean(),
  })
  .strict()

export const rewardsSetCheckin = defineStaffAction('rewards.setCheckin', checkinSchema, async (input, ctx) => {
  const label = await checkGift(ctx.db, input.gift)
  const config: CheckinConfig = { enabled: input.enabled, gift: input.gift, radiusM: input.radiusM, requireLocation: input.radiusM !== null && input.requireLocation }
  const where = config.radiusM ? `，限门店 ${config.radiusM} 米内${config.requireLocation ? '（须授权位置）' : ''}` : ''
  const line = auditLine(ctx, 'rewards.setCheckin', { storeId: null, target: 'checkin', summary: `${config.enabled ? '开启' : '关闭'}签到有礼：送${label}${where}` })
  await runTransaction(ctx.db, async (t) => {
    await t.collection(COLLECTIONS.rewardSettings).doc(CHECKIN_DOC).set({ data: { ...config, updatedAt: ctx.now() } })
    await writeAudit(t, line)
  })
  return { checkin: checkinFrom(config) }
})

const birthdaySchema = z.object({ templateId: idSchema.nullable(), grantWhenSetInMonth: z.boolean() }).strict()

export const rewardsSetBirthday = defineStaffAction('rewards.setBirthday', birthdaySchema, async (input, ctx) => {
  const title = input.templateId ? (await usableTemplate(ctx.db, input.templateId)).title : null
  const config: BirthdayConfig = { templateId: input.templateId, grantWhenSetInMonth: input.grantWhenSetInMonth }
  const summary = title ? `生日礼设为「${title}」${config.grantWhenSetInMonth ? '（生日当月填写也发放）' : ''}` : '关闭生日礼'
  const line = auditLine(ctx, 'rewards.setBirthday', { storeId: null, target: 'birthday', summary })
  await runTransaction(ctx.db, async (t) => {
    await t.collection(COLLECTIONS.rewardSettings).doc(BIRTHDAY_DOC).set({ data: { ...config, updatedAt: ctx.now() } })
    await writeAudit(t, line)
  })
  return { birthday: birthdayFrom(config) }
})

const shopItemSchema = z
  .object({
    itemId: idSchema.optional(),
    templateId: idSchema,
    pricePoints: z.number().int().min(1, '兑换积分至少 1').max(SHOP_PRICE_MAX),
    /** Total units ever offered; lowering it below what was exchanged is refused. */
    stock: z.number().int().min(0).max(SHOP_STOCK_MAX),
    perMemberLimit: z.number().int().min(1, '每人限兑至少 1 次').max(SHOP_LIMIT_MAX),
    active: z.boolean(),
  })
  .strict()

export const rewardsSaveShopItem = defineStaffAction('rewards.saveShopItem', shopItemSchema, async (input, ctx) => {
  const template = await usableTemplate(ctx.db, input.templateId)
  const itemId = input.itemId ?? `i${randomBytes(6).toString('hex')}`
  const summary = `${input.itemId ? '修改' : '上架'}积分商城「${template.title}」：${input.pricePoints} 积分，库存 ${input.stock}，每人限 ${input.perMemberLimit}${input.active ? '' : '（下架）'}`
  const line = auditLine(ctx, 'rewards.saveShopItem', { storeId: null, target: `shop-item:${itemId}`, summary })
  const item = await runTransaction(ctx.db, async (t) => {
    const now = ctx.now()
    const current = input.itemId ? await txGet<ShopItemDoc>(t, COLLECTIONS.shopItems, input.itemId) : null
    if (input.itemId && !current) throw new AppError('NOT_FOUND', '商品不存在')
    const exchanged = current ? current.stock - current.remaining : 0
    if (input.stock < exchanged) throw new AppError('INVALID_INPUT', `已兑换 ${exchanged} 份，库存不能少于已兑换数量`)
    const doc: ShopItemDoc = {
      _id: itemId,
      templateId: template._id,
      title: template.title,
      pricePoints: input.pricePoints,
      stock: input.stock,
      remaining: input.stock - exchanged,
      perMemberLimit: input.perMemberLimit,
      active: input.active,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    }
    // A read-then-set in the transaction: an exchange taking a unit meanwhile conflicts and one retries.
    const { _id, ...data } = doc
    await t.collection(COLLECTIONS.shopItems).doc(_id).set({ data })
    await writeAudit(t, line)
    return doc
  })
  return { item: shopItemView(item) }
})

/**
 * The store's check-in code: a mini-program code (wxacode.getUnlimited) opening the check-in page
 * with scene `s=<store hex>` (≤ 32 characters). Drawn by the page and saved for printing.
 */
export const rewardsCheckinCode = defineStaffAction('rewards.checkinCode', z.object({ storeId: idSchema }).strict(), async (input, ctx) => {
  const store = await getDoc<StoreDoc>(ctx.db, COLLECTIONS.stores, input.storeId)
  if (!store) throw new AppError('NOT_FOUND', '门店不存在')
  const scene = checkinScene(store._id)
  let qr: { errCode?: number; errMsg?: string; contentType?: string; buffer?: Buffer | Uint8Array }
  try {
    qr = await (ctx.cloud.openapi as OpenApi).wxacode.getUnlimited({ scene, page: CHECKIN_PAGE, checkPath: false, width: 280 })
  } catch (e) {
    console.error('[checkin-code] wxacode.getUnlimited failed', e)
    throw new AppError('INTERNAL', '生成小程序码失败，请稍后重试')
  }
  if (qr.errCode || !qr.buffer) throw new AppError('INTERNAL', `生成小程序码失败：${qr.errMsg ?? '无图片'}`)
  return { storeName: store.name, scene, page: CHECKIN_PAGE, path: `${CHECKIN_PAGE}?${scene}`, qrDataUrl: `data:${qr.contentType || 'image/png'};base64,${Buffer.from(qr.buffer).toString('base64')}` }
})
