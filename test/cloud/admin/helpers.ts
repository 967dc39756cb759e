import { schema } from '../../../database/schema'
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { issueMemberCode } from '../../../cloudfunctions/domain/member-code'
import { newMember } from '../../../cloudfunctions/services/capture'
import { memberIdOf, type MemberDoc } from '../../../cloudfunctions/services/documents'
import { APP_FUNCTIONS, LOCAL_ENGINE, SETUP_KEY, startAppCloud, type AppCloud } from '../support/app-cloud'

/** Admin-level seeding and shortcuts over the one app cloud helper (test/cloud/support/app-cloud.ts). */
export { SETUP_KEY }
export const FUNCTIONS_DIR = APP_FUNCTIONS
/** The member-code signing key the tests seed, so they can issue codes like the member function does. */
export const CODE_SECRET = 'admin-test-member-code-secret'

export type Answer<T = any> = { ok: true; data: T } | { ok: false; code: string; message: string }

/**
 * An app cloud with shortcuts for the admin function, which these tests call with anything
 * (bad input on purpose) as `openid` ('' = no identity). Typed calls: `call('admin', …)`.
 */
export interface AdminCloud extends Omit<AppCloud, 'ok'> {
  /** Invokes `admin` as the WeChat user `openid` (empty = no identity). */
  admin<T = any>(openid: string, action: string, input?: unknown): Promise<Answer<T>>
  /** Like admin(), but expects ok and returns data. */
  ok<T = any>(openid: string, action: string, input?: unknown): Promise<T>
}

/** A fresh app cloud per test file (see startAppCloud), with room for the concurrency tests' bursts. */
export async function startAdminCloud(opts: Parameters<typeof startAppCloud>[0] = {}): Promise<AdminCloud> {
  const app = await startAppCloud({ maxWorkersPerFunction: 10, ...opts })
  const admin = (openid: string, action: string, input?: unknown) => app.invoke('admin', action, input, openid)
  return {
    ...app,
    admin,
    ok: async (openid, action, input) => {
      const res = await admin(openid, action, input)
      if (!res.ok) throw new Error(`${action} as ${openid}: ${res.code} ${res.message}`)
      return res.data
    },
  }
}

export async function seedCodeSecret(db: any): Promise<void> {
  await db.collection(COLLECTIONS.secrets).add({ data: { _id: 'memberCode', value: CODE_SECRET } })
}

export function memberCode(memberNo: string, nowMs = Date.now()): string {
  return issueMemberCode(CODE_SECRET, memberNo, nowMs).code
}

/** A member as the pay callback would have created it (the admin function never creates members). */
export async function insertMember(db: any, openid: string, memberNo: string, extra: Partial<MemberDoc> = {}): Promise<MemberDoc> {
  const doc: MemberDoc = { ...newMember(openid, memberNo, { storeId: '', touchpoint: 'poster' }, null, new Date()), ...extra }
  await db.collection(COLLECTIONS.members).add({ data: doc })
  return doc
}

export async function getMember(db: any, openid: string): Promise<MemberDoc> {
  const res = await db.collection(COLLECTIONS.members).doc(memberIdOf(openid)).get()
  return res.data as MemberDoc
}

export async function all(db: any, collection: string, where: Record<string, unknown> = {}): Promise<any[]> {
  const res = await db.collection(collection).where(where).limit(1000).get()
  return res.data
}

/**
 * The record of refused attempts (issue 12): a refusal changes nothing, yet it is kept — the
 * refused cashier attempt and the failed-attempt slot that limits guessing. snapshot() leaves
 * them out; tests of refusals check them on their own.
 */
export const REFUSAL_RECORDS: readonly string[] = [COLLECTIONS.cashierAttempts, COLLECTIONS.attemptSlots]

/** Every document of every collection (but the refusal records), stable: compare two to prove nothing changed. */
export async function snapshot(db: any): Promise<string> {
  const parts: Record<string, unknown[]> = {}
  const engine = (db as { [LOCAL_ENGINE]?: { handleSync(b: Record<string, unknown>): Record<string, unknown> } })[LOCAL_ENGINE]
  for (const name of Object.keys(schema).filter((n) => !REFUSAL_RECORDS.includes(n))) {
    // The same read as all(db, name) (limit 1000, committed documents), in-process when the engine is at hand.
    const rows = engine ? engineRows(engine, name) : await all(db, name)
    parts[name] = rows.sort((a, b) => String(a._id).localeCompare(String(b._id)))
  }
  return JSON.stringify(parts)
}

function engineRows(engine: { handleSync(b: Record<string, unknown>): Record<string, unknown> }, name: string): any[] {
  const reply = engine.handleSync({ action: 'database.getDocument', collectionName: name, limit: 1000 }) as { code?: string; message?: string; data?: { list: string[] } }
  if (reply.code || !reply.data) throw new Error(`snapshot ${name}: ${reply.code} ${reply.message}`)
  return reply.data.list.map((d) => JSON.parse(d) as Record<string, unknown>)
}

/** Sum of the member's ledger deltas and debt deltas, by aggregation. */
export async function ledgerSums(db: any, memberId: string): Promise<{ delta: number; debt: number; lines: number }> {
  const $ = db.command.aggregate
  const res = await db
    .collection(COLLECTIONS.pointsLedger)
    .aggregate()
    .match({ memberId })
    .group({ _id: null, delta: $.sum('$delta'), debt: $.sum('$debtDelta'), lines: $.sum(1) })
    .end()
  const row = res.list[0] as { delta: number; debt: number; lines: number } | undefined
  return row ?? { delta: 0, debt: 0, lines: 0 }
}

export interface Org {
  owner: string
  hq: string
  manager: string
  clerk: string
  storeA: string
  storeB: string
}

export const STORE_INPUT = { address: '上海市徐汇区漕溪北路 1 号', phone: '021-12345678', hours: '08:00-22:00', latitude: 31.19, longitude: 121.43 }

/**
 * Owner (bootstrapped with the setup key), two stores, and HQ / manager / clerk of store A who
 * joined through real invites.
 */
export async function seedOrg(c: AdminCloud): Promise<Org> {
  const org = { owner: 'o-owner', hq: 'o-hq', manager: 'o-manager-a', clerk: 'o-clerk-a' }
  await c.ok(org.owner, 'bootstrapOwner', { setupKey: SETUP_KEY, name: '张老板' })
  const a = await c.ok(org.owner, 'stores.create', { name: '徐汇店', ...STORE_INPUT })
  const b = await c.ok(org.owner, 'stores.create', { name: '静安店', ...STORE_INPUT, address: '上海市静安区南京西路 2 号' })
  const storeA = a.store.id as string
  const storeB = b.store.id as string
  const join = async (issuer: string, role: string, storeId: string | undefined, openid: string, name: string) => {
    const inv = await c.ok(issuer, 'staff.invite', storeId ? { role, storeId } : { role })
    await c.ok(openid, 'joinStaff', { code: inv.code, name })
  }
  await join(org.owner, 'hq', undefined, org.hq, '总部小王')
  await join(org.owner, 'manager', storeA, org.manager, '店长小李')
  await join(org.manager, 'clerk', storeA, org.clerk, '店员小赵')
  return { ...org, storeA, storeB }
}

// Chain: sub-brands and regions (issue 17).
export interface Chain extends Org {
  /** 徐汇店 (storeA) is in region R1 of sub-brand B1; storeC in B1 with no region; storeB in B2 (region R3). */
  storeC: string
  b1: string
  b2: string
  /** R1 (storeA) and R2 (no stores) in B1; R3 (storeB) in B2. */
  r1: string
  r2: string
  r3: string
  /** B1's sub-brand operator and R1's region manager, joined through real invites. */
  brand: string
  region: string
}

/** seedOrg plus the tree, built with the real actions (so their audit lines are real too). */
export async function seedChain(c: AdminCloud): Promise<Chain> {
  const org = await seedOrg(c)
  const storeC = (await c.ok(org.owner, 'stores.create', { name: '闵行店', ...STORE_INPUT, address: '上海市闵行区沪闵路 3 号' })).store.id as string
  const b1 = (await c.ok(org.owner, 'subBrands.create', { name: '拾光咖啡', brandName: '拾光咖啡', card: { background: '#3b2a1a', textColor: '#f5e6c8' } })).subBrand.id as string
  const b2 = (await c.ok(org.hq, 'subBrands.create', { name: '拾光茶饮' })).subBrand.id as string
  const r1 = (await c.ok(org.owner, 'regions.create', { subBrandId: b1, name: '浦西区' })).region.id as string
  const r2 = (await c.ok(org.owner, 'regions.create', { subBrandId: b1, name: '浦东区' })).region.id as string
  const r3 = (await c.ok(org.owner, 'regions.create', { subBrandId: b2, name: '静安区' })).region.id as string
  await c.ok(org.owner, 'stores.assign', { storeId: org.storeA, subBrandId: b1, regionId: r1 })
  await c.ok(org.owner, 'stores.assign', { storeId: storeC, subBrandId: b1, regionId: null })
  await c.ok(org.hq, 'stores.assign', { storeId: org.storeB, subBrandId: b2, regionId: r3 })
  const brand = 'o-brand-b1'
  const region = 'o-region-r1'
  const b = await c.ok(org.hq, 'staff.invite', { role: 'brand', subBrandId: b1 })
  await c.ok(brand, 'joinStaff', { code: b.code, name: '子品牌小陈' })
  const r = await c.ok(brand, 'staff.invite', { role: 'region', regionId: r1 })
  await c.ok(region, 'joinStaff', { code: r.code, name: '区域小孙' })
  return { ...org, storeC, b1, b2, r1, r2, r3, brand, region }
}
