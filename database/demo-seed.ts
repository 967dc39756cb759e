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
  database(): { collection(name: string): { add(o: { data: object }): Promise<unknown> } }
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
  // Counter fraud (issue 12): a clerk's ¥680 sale above the ¥500 approval line waits for the store manager (收银审批).
  const code = await unwrap<{ code: string }>(opts.invoke('member', { action: 'code', input: {} }, { openid: DEMO.consumer }), 'code')
  await unwrap(
    opts.invoke('admin', { action: 'cashier.capture', input: { storeId: 'store-xuhui', amountFen: 68_000, memberCode: code.code, clientRequestId: 'demo-approval-0001' } }, { openid: DEMO.clerk }),
    'cashier.capture (pending approval)',
  )

  return [
    `Demo merchant 「${DEMO_SETTINGS.brandName}」: ${DEMO_STORES.length} stores, ${STAFF.length} staff, ${new Set([DEMO.consumer, ...PURCHASES.map((p) => p[0])]).size} members with history.`,
    `  consumer (member card, points, invites): X-WX-OPENID: ${DEMO.consumer}  (member no. ${card.member.memberNo})`,
    `  owner: ${DEMO.owner}   HQ: ${DEMO.hq}   store manager: ${DEMO.manager}   clerk: ${DEMO.clerk}`,
  ]
}
