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
  // Chain (issue 17): the coffee sub-brand's operator and the Puxi region's manager.
  brand: 'demo-brand-openid',
  region: 'demo-region-openid',
  // Segments (segments): a member who has not been back for 90 days.
  lapsed: 'demo-lapsed-openid',
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
  database(): {
    collection(name: string): {
      add(o: { data: object }): Promise<unknown>
      doc(id: string): { update(o: { data: object }): Promise<unknown>; get(): Promise<unknown>; set(o: { data: object }): Promise<unknown>; remove(): Promise<unknown> }
      where(q: object): { update(o: { data: object }): Promise<unknown> }
    }
    Geo: { Point(longitude: number, latitude: number): unknown }
  }
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
  // location: the geo point the store locator's geoNear reads (member.stores with a position).
  for (const s of DEMO_STORES) await db.collection(COLLECTIONS.stores).add({ data: { ...s, location: db.Geo.Point(s.longitude, s.latitude), status: 'open', createdAt: now } })
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
  // deploy: the first-run setup a deployment runs (system.setup), so the owner's home shows no setup warning
  await unwrap(opts.invoke('system', { action: 'setup', input: {} }), 'setup')

  const chain = await seedChain(opts.invoke, card.member.memberNo)
  const couponLines = await seedDemoCoupons(opts, db)
  // Counter fraud (issue 12): a clerk's ¥680 sale above the ¥500 approval line waits for the store manager (收银审批).
  const code = await unwrap<{ code: string }>(opts.invoke('member', { action: 'code', input: {} }, { openid: DEMO.consumer }), 'code')
  await unwrap(
    opts.invoke('admin', { action: 'cashier.capture', input: { storeId: 'store-xuhui', amountFen: 68_000, memberCode: code.code, clientRequestId: 'demo-approval-0001' } }, { openid: DEMO.clerk }),
    'cashier.capture (pending approval)',
  )

  // Segments and targeted campaigns (segments): lapsed members, two saved segments, a finished campaign with results.
  const segmentLines = await seedDemoSegments(opts, db, pay)

  return [
    `Demo merchant 「${DEMO_SETTINGS.brandName}」: ${DEMO_STORES.length} stores, ${STAFF.length} staff, ${new Set([DEMO.consumer, ...PURCHASES.map((p) => p[0])]).size} members with history.`,
    `  consumer (member card, points, invites): X-WX-OPENID: ${DEMO.consumer}  (member no. ${card.member.memberNo})`,
    `  owner: ${DEMO.owner}   HQ: ${DEMO.hq}   store manager: ${DEMO.manager}   clerk: ${DEMO.clerk}`,
    `  sub-brands ${chain.subBrands.join('、')}, region ${chain.region}: operator ${DEMO.brand}   region manager ${DEMO.region}   (${chain.auditLines} audit lines)`,
    ...couponLines,
    ...segmentLines,
  ]
}

// Chain (issue 17): two sub-brands, a region, their staff and an audit trail, made by the real admin actions.
async function seedChain(invoke: Invoke, consumerNo: string): Promise<{ subBrands: string[]; region: string; auditLines: string }> {
  const admin = <T>(openid: string, action: string, input: unknown) => unwrap<T>(invoke('admin', { action, input }, { openid }), `admin.${action}`)
  const coffee = await admin<{ subBrand: { id: string; name: string } }>(DEMO.owner, 'subBrands.create', { name: '拾光咖啡', brandName: '拾光咖啡', card: { background: '#3b2a1a', textColor: '#f5e6c8' } })
  const deli = await admin<{ subBrand: { id: string; name: string } }>(DEMO.hq, 'subBrands.create', { name: '拾光轻食', brandName: '拾光轻食', card: { background: '#1f4d3a', textColor: '#f4f1e8' } })
  const puxi = await admin<{ region: { id: string; name: string } }>(DEMO.owner, 'regions.create', { subBrandId: coffee.subBrand.id, name: '浦西区' })
  await admin(DEMO.owner, 'stores.assign', { storeId: 'store-xuhui', subBrandId: coffee.subBrand.id, regionId: puxi.region.id })
  await admin(DEMO.owner, 'stores.assign', { storeId: 'store-jingan', subBrandId: coffee.subBrand.id, regionId: puxi.region.id })
  await admin(DEMO.hq, 'stores.assign', { storeId: 'store-pudong', subBrandId: deli.subBrand.id, regionId: null })
  const brandInvite = await admin<{ code: string }>(DEMO.hq, 'staff.invite', { role: 'brand', subBrandId: coffee.subBrand.id })
  await unwrap(invoke('admin', { action: 'joinStaff', input: { code: brandInvite.code, name: '咖啡运营陈静' } }, { openid: DEMO.brand }), 'joinStaff')
  const regionInvite = await admin<{ code: string }>(DEMO.brand, 'staff.invite', { role: 'region', regionId: puxi.region.id })
  await unwrap(invoke('admin', { action: 'joinStaff', input: { code: regionInvite.code, name: '浦西区域孙磊' } }, { openid: DEMO.region }), 'joinStaff')
  // A day at the stores: an edited store, a tag, a counter sale and its refund, a revoked and a pending invite.
  await admin(DEMO.manager, 'stores.update', { storeId: 'store-xuhui', hours: '07:00-22:00' })
  await admin(DEMO.manager, 'members.tag', { memberNo: consumerNo, tag: '燕麦拿铁' })
  // The clerk scans the consumer's member code (a typed number would need the phone check).
  const shown = await unwrap<{ code: string }>(invoke('member', { action: 'code', input: {} }, { openid: DEMO.consumer }), 'code')
  const sale = await admin<{ outTradeNo: string }>(DEMO.clerk, 'cashier.capture', { storeId: 'store-xuhui', amountFen: 1800, memberCode: shown.code, clientRequestId: 'demo-seed-counter-sale-1' })
  await admin(DEMO.region, 'orders.refund', { outTradeNo: sale.outTradeNo })
  const stale = await admin<{ code: string }>(DEMO.manager, 'staff.invite', { role: 'clerk', storeId: 'store-xuhui' })
  await admin(DEMO.manager, 'staff.revokeInvite', { code: stale.code })
  await admin(DEMO.region, 'staff.invite', { role: 'clerk', storeId: 'store-jingan' })
  await admin(DEMO.brand, 'subBrands.update', { subBrandId: coffee.subBrand.id, brandName: '拾光咖啡' })
  const audit = await admin<{ lines: unknown[]; hasMore: boolean }>(DEMO.owner, 'audit.list', {})
  return { subBrands: [coffee.subBrand.name, deli.subBrand.name], region: puxi.region.name, auditLines: `${audit.lines.length}${audit.hasMore ? '+' : ''}` }
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
  const plain = await claim(threshold)
  const [verified, expired] = [await claim(discount), await claim(discount)]
  await claim(discount)
  await claim(gift)

  // In transit: shared to a chat, nobody has opened it yet.
  const transit = await member<{ token: string }>(DEMO.consumer, 'giftCoupon', { couponId: inTransit })
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
  await fixDemoCouponIds(db, { coupon: plain, giftToken: transit.token, template: cash })

  return [`  coupons: 7 templates (代金/满减/折扣/兑换, one paused, one draft); the consumer holds coupons available, expiring soon, in transit, forwarded, used and expired.`]
}

/**
 * Fixed, documented ids in the demo (coupon-gaps), so screenshots and journeys can open the
 * coupon detail, gift and claim pages in a loaded state: the consumer's 满 100 减 20 coupon, the
 * in-transit gift's token, and the 新客 5 元券 template's campaign short id (the claim page's `t`).
 * The flows made them with random ids; they are re-keyed here with every reference.
 */
export const DEMO_COUPON_IDS = {
  /** member.couponDetail / coupons/pages/detail?id= (the consumer's, available). */
  coupon: 'cpdemo0threshold0001',
  /** coupons/pages/gift?token= (pending: anyone but the consumer may accept it). */
  giftToken: 'demo-gift-token-pending-0001',
  /** coupons/pages/claim?t= (active, every store). */
  templateShortId: 'DemoCash5',
} as const

async function fixDemoCouponIds(db: DemoDb, made: { coupon: string; giftToken: string; template: string }): Promise<void> {
  const move = async (collection: string, from: string, to: string): Promise<void> => {
    const { data } = (await db.collection(collection).doc(from).get()) as { data: Record<string, unknown> }
    const rest = Object.fromEntries(Object.entries(data).filter(([k]) => k !== '_id'))
    // Removed first: the copy carries the same unique fields (couponNo).
    await db.collection(collection).doc(from).remove()
    await db.collection(collection).doc(to).set({ data: rest })
  }
  await move(COLLECTIONS.coupons, made.coupon, DEMO_COUPON_IDS.coupon)
  await db.collection(COLLECTIONS.couponClaims).where({ couponId: made.coupon }).update({ data: { couponId: DEMO_COUPON_IDS.coupon } })
  await move(COLLECTIONS.couponGifts, made.giftToken, DEMO_COUPON_IDS.giftToken)
  const gift = (await db.collection(COLLECTIONS.couponGifts).doc(DEMO_COUPON_IDS.giftToken).get()) as { data: { couponId: string } }
  await db.collection(COLLECTIONS.coupons).doc(gift.data.couponId).update({ data: { giftId: DEMO_COUPON_IDS.giftToken } })
  await db.collection(COLLECTIONS.couponTemplates).doc(made.template).update({ data: { shortId: DEMO_COUPON_IDS.templateShortId } })
}

// Segments and targeted campaigns (segments).
/** Members who last came 90+ days ago (paid then, through the real flow, dated back). */
const LAPSED: Array<[string, string, number, number]> = [
  [DEMO.lapsed, 'store-xuhui', 4200, 95],
  ['demo-lapsed-2-openid', 'store-xuhui', 3600, 120],
  ['demo-lapsed-3-openid', 'store-jingan', 5800, 80],
  ['demo-lapsed-4-openid', 'store-xuhui', 2900, 150],
  ['demo-lapsed-5-openid', 'store-pudong', 6600, 100],
]

async function seedDemoSegments(opts: { baseUrl: string; invoke: Invoke }, db: DemoDb, pay: (openid: string, storeId: string, amountFen: number) => Promise<void>): Promise<string[]> {
  const admin = <T>(openid: string, action: string, input: unknown) => unwrap<T>(opts.invoke('admin', { action, input }, { openid }), `admin.${action}`)
  const DAY = 86_400_000
  for (const [openid, store, fen, daysAgo] of LAPSED) {
    await pay(openid, store, fen)
    const at = new Date(Date.now() - daysAgo * DAY)
    await db.collection(COLLECTIONS.members).doc(`m_${openid}`).update({ data: { lastVisitAt: at, autoTagsStamp: '' } })
    await db.collection(COLLECTIONS.orders).where({ openid }).update({ data: { createdAt: at, paidAt: at } })
  }
  const lapsedRoot = { op: 'and', items: [{ kind: 'recency', op: 'gte', days: 60 }] }
  const lapsed = await admin<{ segment: { id: string } }>(DEMO.owner, 'segments.save', { name: '60 天未到店', root: lapsedRoot })
  await admin(DEMO.owner, 'segments.save', {
    name: '徐汇店常客',
    root: { op: 'and', items: [{ kind: 'store', which: 'favourite', storeIds: ['store-xuhui'] }, { kind: 'frequency', windowDays: 90, op: 'gte', count: 1 }] },
  })
  await admin(DEMO.manager, 'segments.save', { name: '本店高消费', root: { op: 'and', items: [{ kind: 'monetary', windowDays: 365, op: 'gte', fen: 10_000 }] } })
  const made = await admin<{ template: { id: string } }>(DEMO.owner, 'couponTemplates.create', { storeId: null, title: '回店立减 8 元', rulesText: '老顾客回馈，全场通用', value: { type: 'cash', valueFen: 800 }, validity: { kind: 'relative', days: 14 }, stock: 200 })
  await admin(DEMO.owner, 'couponTemplates.setStatus', { templateId: made.template.id, to: 'active' })
  const created = await admin<{ campaign: { id: string } }>(DEMO.owner, 'campaigns.create', { name: '老顾客回馈', segmentId: lapsed.segment.id, templateId: made.template.id, holdoutPercent: 20 })
  for (let i = 0; i < 20; i += 1) {
    const run = await admin<{ campaign: { status: string } }>(DEMO.owner, 'campaigns.run', { campaignId: created.campaign.id })
    if (run.campaign.status === 'done') break
  }
  // One of them came back after the coupon (the campaign's results show the sale).
  await pay('demo-lapsed-2-openid', 'store-xuhui', 3800)
  const results = await admin<{ results: { issued: number; treated: { salesFen: number } } }>(DEMO.owner, 'campaigns.results', { campaignId: created.campaign.id })
  return [`  segments: 3 saved + 4 RFM presets; campaign 「老顾客回馈」 issued ${results.results.issued} coupons (lapsed member: ${DEMO.lapsed})`]
}
