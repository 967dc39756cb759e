/**
 * The demo merchant for `npm start` and the screenshots: a café brand with three stores, its
 * staff, and members whose history was made by the real flows (createOrder → WeChat Pay
 * callback, referral binding), so a newcomer sees a living card.
 */
import { COLLECTIONS } from '../cloudfunctions/shared/collections'
import { DEFAULT_SETTINGS } from '../cloudfunctions/domain/merchant-settings'
import type { StaffRole } from '../cloudfunctions/domain/permissions'

type Invoke = (name: string, event: unknown, opts?: { openid?: string; source?: string }) => Promise<unknown>

export const DEMO = {
  consumer: 'demo-consumer-openid',
  friend: 'demo-friend-openid',
  newcomer: 'demo-newcomer-openid',
  owner: 'demo-owner-openid',
  hq: 'demo-hq-openid',
  manager: 'demo-manager-openid',
  clerk: 'demo-clerk-openid',
} as const

export const DEMO_STORES = [
  { _id: 'store-xuhui', name: '徐汇漕溪北路店', address: '上海市徐汇区漕溪北路 88 号', phone: '021-64000001', hours: '07:30-22:00', latitude: 31.1915, longitude: 121.4368 },
  { _id: 'store-jingan', name: '静安南京西路店', address: '上海市静安区南京西路 1266 号', phone: '021-62000002', hours: '08:00-22:30', latitude: 31.2286, longitude: 121.4497 },
  { _id: 'store-pudong', name: '浦东陆家嘴店', address: '上海市浦东新区世纪大道 100 号', phone: '021-58000003', hours: '08:00-21:00', latitude: 31.2353, longitude: 121.5059 },
]

/** The demo café: the defaults with its own name. */
export const DEMO_SETTINGS = { ...DEFAULT_SETTINGS, brandName: '拾光咖啡' }

const STAFF: { openid: string; name: string; role: StaffRole; storeIds: string[] }[] = [
  { openid: DEMO.owner, name: '林老板', role: 'owner', storeIds: [] },
  { openid: DEMO.hq, name: '总部小周', role: 'hq', storeIds: [] },
  { openid: DEMO.manager, name: '徐汇店长王敏', role: 'manager', storeIds: ['store-xuhui'] },
  { openid: DEMO.clerk, name: '店员小李', role: 'clerk', storeIds: ['store-xuhui'] },
]

/** Purchases made through the real pay flow: [openid, store, fen]. */
const PURCHASES: [string, string, number][] = [
  [DEMO.consumer, 'store-xuhui', 3200],
  [DEMO.consumer, 'store-xuhui', 5800],
  [DEMO.consumer, 'store-jingan', 12800],
  [DEMO.consumer, 'store-xuhui', 36600],
  [DEMO.friend, 'store-pudong', 4500],
  ['demo-member-2-openid', 'store-jingan', 2800],
  ['demo-member-3-openid', 'store-pudong', 158000],
]

interface SdkLike {
  init(config: Record<string, unknown>): void
  database(): { collection(name: string): { add(o: { data: object }): Promise<unknown>; doc(id: string): { update(o: { data: object }): Promise<unknown> } } }
}

/** A function's { ok, data } answer: the data, typed by what the caller knows the action answers. */
async function unwrap<T>(p: Promise<unknown>, what: string): Promise<T> {
  const res = (await p) as { ok?: boolean; data?: unknown; message?: string }
  if (!res || res.ok !== true) throw new Error(`demo seed: ${what} failed: ${JSON.stringify(res)}`)
  return res.data as T
}

export async function seedDemo(opts: { baseUrl: string; invoke: Invoke }): Promise<string[]> {
  process.env.TENCENTCLOUD = 'true'
  process.env.SILENCE = 'true'
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('wx-server-sdk') as SdkLike
  sdk.init({ env: 'local', serviceUrl: `${opts.baseUrl}/tcb`, secretId: 'local', secretKey: 'local' })
  const db = sdk.database()
  const now = new Date()

  await db.collection(COLLECTIONS.merchant).add({ data: { _id: 'default', ...DEMO_SETTINGS, createdAt: now } })
  for (const s of DEMO_STORES) await db.collection(COLLECTIONS.stores).add({ data: { ...s, status: 'open', createdAt: now } })
  // The first owner is bound directly here; a real deployment uses admin.bootstrapOwner.
  for (const s of STAFF) {
    await db.collection(COLLECTIONS.staff).add({ data: { _id: s.openid, ...s, invitedBy: null, createdAt: now } })
  }

  const pay = async (openid: string, storeId: string, amountFen: number): Promise<void> => {
    const order = await unwrap<{ outTradeNo: string }>(opts.invoke('member', { action: 'createOrder', input: { storeId, amountFen, touchpoint: 'table-tent' } }, { openid }), 'createOrder')
    const res = await fetch(`${opts.baseUrl}/pay/orders/${order.outTradeNo}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    if (!res.ok) throw new Error(`demo seed: pay failed (${res.status})`)
  }

  await pay(DEMO.consumer, 'store-xuhui', 2600)
  const card = await unwrap<{ member: { memberNo: string } }>(opts.invoke('member', { action: 'card', input: {} }, { openid: DEMO.consumer }), 'card')
  // A friend opens the consumer's shared card, then pays: the consumer earns the referral reward.
  await unwrap(opts.invoke('member', { action: 'bindInviter', input: { inviter: card.member.memberNo } }, { openid: DEMO.friend }), 'bindInviter')
  await unwrap(opts.invoke('member', { action: 'bindInviter', input: { inviter: card.member.memberNo } }, { openid: DEMO.newcomer }), 'bindInviter')
  for (const [openid, store, fen] of PURCHASES) await pay(openid, store, fen)
  const couponLines = await seedDemoCoupons(opts, db)

  return [
    `Demo merchant 「${DEMO_SETTINGS.brandName}」: ${DEMO_STORES.length} stores, ${STAFF.length} staff, ${new Set([DEMO.consumer, ...PURCHASES.map((p) => p[0])]).size} members with history.`,
    `  consumer (member card, points, invites): X-WX-OPENID: ${DEMO.consumer}  (member no. ${card.member.memberNo})`,
    `  owner: ${DEMO.owner}   HQ: ${DEMO.hq}   store manager: ${DEMO.manager}   clerk: ${DEMO.clerk}`,
    ...couponLines,
  ]
}

// ---- Coupons (coupons): templates of every type, and the consumer's coupons in every state, made by the real flows. ----

type DemoDb = ReturnType<SdkLike['database']>

export async function seedDemoCoupons(opts: { baseUrl: string; invoke: Invoke }, db: DemoDb): Promise<string[]> {
  const admin = <T>(openid: string, action: string, input: unknown) => unwrap<T>(opts.invoke('admin', { action, input }, { openid }), `admin.${action}`)
  const member = <T>(openid: string, action: string, input: unknown) => unwrap<T>(opts.invoke('member', { action, input }, { openid }), `member.${action}`)
  type Made = { template: { id: string } }
  const template = async (by: string, input: Record<string, unknown>, status: 'active' | 'paused' | 'draft' = 'active'): Promise<string> => {
    const made = await admin<Made>(by, 'couponTemplates.create', { storeId: null, validity: { kind: 'relative', days: 30 }, ...input })
    if (status !== 'draft') await admin(by, 'couponTemplates.setStatus', { templateId: made.template.id, to: 'active' })
    if (status === 'paused') await admin(by, 'couponTemplates.setStatus', { templateId: made.template.id, to: 'paused' })
    return made.template.id
  }
  const day = (offset: number) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10)
  const cash = await template(DEMO.hq, { title: '新客 5 元券', rulesText: '全场通用，不与其他优惠同享', value: { type: 'cash', valueFen: 500 }, stock: 1000, perMemberLimit: 3, forwardable: true })
  const threshold = await template(DEMO.hq, { title: '满 100 减 20', rulesText: '单笔满 100 元可用', value: { type: 'threshold', valueFen: 2000, thresholdFen: 10000 }, validity: { kind: 'fixed', startDate: day(0), endDate: day(60) }, stock: 500, perMemberLimit: 2 })
  const discount = await template(DEMO.hq, { title: '全场 8.5 折', rulesText: '最高优惠 30 元；可转赠好友', value: { type: 'discount', ratePercent: 85, capFen: 3000 }, validity: { kind: 'relative', days: 7 }, stock: 300, perMemberLimit: 3, forwardable: true })
  const gift = await template(DEMO.manager, { storeId: 'store-xuhui', title: '美式咖啡兑换券', rulesText: '徐汇店到店出示券码兑换一杯中杯美式', value: { type: 'gift', giftName: '中杯美式一杯' }, validity: { kind: 'relative', days: 2 }, stock: 200 })
  await template(DEMO.hq, { title: '金卡专享 10 元券', value: { type: 'cash', valueFen: 1000 }, stock: 100, audience: { kind: 'tiers', levels: [2, 3] } })
  await template(DEMO.hq, { title: '周末 3 元券', value: { type: 'cash', valueFen: 300 }, stock: 100 }, 'paused')
  await template(DEMO.hq, { title: '新品尝鲜券（草稿）', value: { type: 'threshold', valueFen: 800, thresholdFen: 3000 }, stock: 100 }, 'draft')

  type Claimed = { coupon: { id: string } }
  const claim = async (templateId: string): Promise<string> => (await member<Claimed>(DEMO.consumer, 'claimCoupon', { templateId })).coupon.id
  const [inTransit, forwarded, paidWith] = [await claim(cash), await claim(cash), await claim(cash)]
  await claim(threshold)
  const [verified, expired] = [await claim(discount), await claim(discount)]
  await claim(discount)
  await claim(gift)

  // In transit: shared to a chat, nobody has opened it yet.
  await member(DEMO.consumer, 'giftCoupon', { couponId: inTransit })
  // Forwarded: the friend accepted it (the friend now holds a new coupon with its own code).
  const sent = await member<{ token: string }>(DEMO.consumer, 'giftCoupon', { couponId: forwarded })
  await member(DEMO.friend, 'acceptGift', { token: sent.token })
  // Used to pay: createOrder with the coupon, then WeChat Pay's callback.
  const order = await member<{ outTradeNo: string }>(DEMO.consumer, 'createOrder', { storeId: 'store-xuhui', amountFen: 3200, couponId: paidWith, touchpoint: 'table-tent' })
  const res = await fetch(`${opts.baseUrl}/pay/orders/${order.outTradeNo}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  if (!res.ok) throw new Error(`demo seed: coupon pay failed (${res.status})`)
  // Used at the counter: the clerk scanned the code and confirmed (shows in 徐汇店's 核销 history).
  const shown = await member<{ code: string }>(DEMO.consumer, 'couponCode', { couponId: verified })
  const found = await admin<{ coupons: { ticket: string | null }[] }>(DEMO.clerk, 'coupons.lookup', { storeId: 'store-xuhui', code: shown.code, amountFen: 4600 })
  await admin(DEMO.clerk, 'coupons.verify', { storeId: 'store-xuhui', ticket: found.coupons[0]?.ticket, requestId: 'demo-verify-0001', orderAmountFen: 4600 })
  // Expired: its validity ended yesterday (set directly: the demo cannot wait a week).
  await db.collection(COLLECTIONS.coupons).doc(expired).update({ data: { validUntil: new Date(Date.now() - 86_400_000) } })

  return [`  coupons: 7 templates (代金/满减/折扣/兑换, one paused, one draft); the consumer holds coupons available, expiring soon, in transit, forwarded, used and expired.`]
}
