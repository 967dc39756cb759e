import { z } from 'zod'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { seesAllStores } from '../domain/permissions'
import { randomBytes } from 'node:crypto'
import { auditLine, writeAudit } from '../services/audit'
import { getDoc, list, runTransaction, txGet } from '../services/db-util'
import type { StaffDoc, StoreDoc } from '../services/documents'
import { STORE_ADDRESS_MAX, STORE_HOURS_MAX, STORE_NAME_MAX } from '../../miniprogram/shared/text-limits'
import { defineStaffAction } from './staff-context'
import { textField } from '../shared/text-input'
import { checkContent } from '../services/content-check'

/** A group has a handful of stores, well under one page. */
const MAX_STORES = 1000

/** Store ids are ours (`store-<hex>`): anything else is refused before it reaches a query. */
export const storeIdSchema = z
  .string({ invalid_type_error: '门店编号格式不正确', required_error: '请选择门店' })
  .trim()
  .min(1, '请选择门店')
  .regex(/^[A-Za-z0-9_-]{1,64}$/, '门店编号格式不正确')

const storeFields = {
  // Free text consumers read (store list, pay page): textField (NFC, no control/bidi characters), then msgSecCheck.
  name: textField({ label: '门店名称', max: STORE_NAME_MAX }),
  address: textField({ label: '门店地址', max: STORE_ADDRESS_MAX }),
  phone: z.string().trim().regex(/^[0-9+\-() ]{5,20}$/, '电话号码格式不正确'),
  hours: textField({ label: '营业时间', max: STORE_HOURS_MAX, min: 0 }),
  latitude: z.number().finite().min(-90, '纬度应在 -90 到 90 之间').max(90, '纬度应在 -90 到 90 之间'),
  longitude: z.number().finite().min(-180, '经度应在 -180 到 180 之间').max(180, '经度应在 -180 到 180 之间'),
}

export function storeView(s: StoreDoc) {
  return {
    id: s._id,
    name: s.name,
    address: s.address,
    phone: s.phone,
    hours: s.hours,
    latitude: s.latitude,
    longitude: s.longitude,
    status: s.status,
    subBrandId: s.subBrandId ?? null,
    regionId: s.regionId ?? null,
  }
}

export async function allStores(db: Database): Promise<StoreDoc[]> {
  return list<StoreDoc>(db.collection(COLLECTIONS.stores).limit(MAX_STORES))
}

/** The stores a staff member works with: every store for owner/HQ, those of their scope otherwise (storeIds resolved from the tree by loadStaff). */
export async function storesOf(db: Database, staff: StaffDoc): Promise<StoreDoc[]> {
  const stores = await allStores(db)
  if (seesAllStores(staff.role)) return stores
  const mine = new Set(staff.storeIds)
  return stores.filter((s) => mine.has(s._id))
}

export async function storeNames(db: Database, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter(Boolean))]
  if (wanted.length === 0) return new Map()
  const _ = db.command
  const rows = await list<StoreDoc>(db.collection(COLLECTIONS.stores).where({ _id: _.in(wanted) }).limit(MAX_STORES))
  return new Map(rows.map((s) => [s._id, s.name]))
}

export async function requireStore(db: Database, storeId: string): Promise<StoreDoc> {
  const store = await getDoc<StoreDoc>(db, COLLECTIONS.stores, storeId)
  if (!store) throw new AppError('NOT_FOUND', '门店不存在')
  return store
}

const STORE_FIELD_NAMES: Record<string, string> = {
  name: '名称',
  address: '地址',
  phone: '电话',
  hours: '营业时间',
  latitude: '位置',
  longitude: '位置',
  status: '营业状态',
}

function describeStoreChange(patch: Partial<StoreDoc>): string {
  const parts = [...new Set(Object.keys(patch).map((k) => STORE_FIELD_NAMES[k] ?? k))]
  if (patch.status) parts[parts.indexOf('营业状态')] = patch.status === 'open' ? '开启门店' : '关闭门店'
  return parts.join('、')
}

export const storesList = defineStaffAction('stores.list', z.object({}).strict(), async (_input, ctx) => {
  const stores = await storesOf(ctx.db, ctx.staff)
  return { stores: stores.map(storeView) }
})

export const storesCreate = defineStaffAction(
  'stores.create',
  z
    .object({
      name: storeFields.name,
      address: storeFields.address,
      phone: storeFields.phone.optional(),
      hours: storeFields.hours.optional(),
      latitude: storeFields.latitude,
      longitude: storeFields.longitude,
    })
    .strict(),
  async (input, ctx) => {
    await checkContent(ctx, [input.name, input.address, input.hours ?? ''])
    const id = `store-${randomBytes(8).toString('hex')}`
    const doc: Omit<StoreDoc, '_id'> = {
      name: input.name,
      address: input.address,
      phone: input.phone ?? '',
      hours: input.hours ?? '',
      latitude: input.latitude,
      longitude: input.longitude,
      location: ctx.db.Geo.Point(input.longitude, input.latitude),
      status: 'open',
      subBrandId: null,
      regionId: null,
      createdAt: ctx.now(),
    }
    const line = auditLine(ctx, 'stores.create', { storeId: id, target: `store:${id}`, summary: `新建门店「${input.name}」` })
    await runTransaction(ctx.db, async (t) => {
      await t.collection(COLLECTIONS.stores).doc(id).set({ data: doc })
      await writeAudit(t, line)
    })
    return { store: storeView({ _id: id, ...doc }) }
  },
)

export const storesUpdate = defineStaffAction(
  'stores.update',
  z
    .object({
      storeId: storeIdSchema,
      name: storeFields.name.optional(),
      address: storeFields.address.optional(),
      phone: storeFields.phone.optional(),
      hours: storeFields.hours.optional(),
      latitude: storeFields.latitude.optional(),
      longitude: storeFields.longitude.optional(),
      status: z.enum(['open', 'closed']).optional(),
    })
    .strict()
    .refine((v) => Object.keys(v).some((k) => k !== 'storeId'), { message: '没有需要修改的内容' }),
  {
    target: (input) => ({ storeId: input.storeId }),
    run: async (input, ctx) => {
      if (input.status !== undefined && !seesAllStores(ctx.staff.role)) throw new AppError('FORBIDDEN', '只有老板或总部可以开启或关闭门店')
      await checkContent(ctx, [input.name ?? '', input.address ?? '', input.hours ?? ''])
      const { storeId, ...changes } = input
      const patch = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<StoreDoc>
      const known = await requireStore(ctx.db, storeId)
      // The geo point follows the coordinates, so the store locator finds the store where it is.
      const moved = patch.latitude !== undefined || patch.longitude !== undefined
      const located = moved ? { location: ctx.db.Geo.Point(patch.longitude ?? known.longitude, patch.latitude ?? known.latitude) } : {}
      const line = auditLine(ctx, 'stores.update', { storeId, target: `store:${storeId}`, summary: `修改门店「${known.name}」：${describeStoreChange(patch)}` })
      const store = await runTransaction(ctx.db, async (t) => {
        const current = await txGet<StoreDoc>(t, COLLECTIONS.stores, storeId)
        if (!current) throw new AppError('NOT_FOUND', '门店不存在')
        await t.collection(COLLECTIONS.stores).doc(storeId).update({ data: { ...patch, ...located } })
        await writeAudit(t, line)
        return { ...current, _id: storeId }
      })
      return { store: storeView({ ...store, ...patch }) }
    },
  },
)
