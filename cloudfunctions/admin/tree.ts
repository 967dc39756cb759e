/**
 * The chain's tree: HQ → sub-brands (子品牌) → optional regions (区域) → stores. A store belongs
 * to at most one sub-brand and, within it, at most one region (a store not yet assigned hangs
 * directly under HQ). A region belongs to one sub-brand for good (it is renamed, never moved), so
 * a store's region is always of its sub-brand. Sub-brand operators and region managers act on the
 * stores under them: loadStaff (staff-context.ts) resolves their stores from here on every call.
 */
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { textField } from '../shared/text-input'
import { covers, decideWithin } from '../domain/permissions'
import { auditLine, writeAudit } from '../services/audit'
import { getDoc, list, runTransaction, txGet, withoutId } from '../services/db-util'
import type { RegionDoc, StoreDoc, SubBrandDoc } from '../services/documents'
import { BRAND_MAX_CHARS, HEX_COLOR } from '../../miniprogram/shared/settings-rules'
import { defineStaffAction } from './staff-context'
import { allStores, storeIdSchema, storeNames } from './stores'

const MAX_ROWS = 1000
export const SUB_BRAND_NAME_MAX = 20
export const REGION_NAME_MAX = 20

const idSchema = z.string().trim().min(1).max(64)
const color = z.string().regex(HEX_COLOR, '颜色格式应为 #RRGGBB')
const cardSchema = z.object({ background: color, textColor: color }).strict()

export async function requireSubBrand(db: Database, id: string): Promise<SubBrandDoc> {
  const doc = await getDoc<SubBrandDoc>(db, COLLECTIONS.subBrands, id)
  if (!doc) throw new AppError('NOT_FOUND', '子品牌不存在')
  return doc
}

export async function requireRegion(db: Database, id: string): Promise<RegionDoc> {
  const doc = await getDoc<RegionDoc>(db, COLLECTIONS.regions, id)
  if (!doc) throw new AppError('NOT_FOUND', '区域不存在')
  return doc
}

async function namesIn(db: Database, collection: string, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter(Boolean))]
  if (wanted.length === 0) return new Map()
  const rows = await list<{ _id: string; name: string }>(db.collection(collection).where({ _id: db.command.in(wanted) }).limit(MAX_ROWS))
  return new Map(rows.map((r) => [r._id, r.name]))
}

/** Names of the stores, sub-brands and regions an assignment names, for lists and audit summaries. */
export async function treeNames(db: Database, a: { storeIds: readonly string[]; subBrandIds: readonly string[]; regionIds: readonly string[] }) {
  const [stores, subBrands, regions] = await Promise.all([
    storeNames(db, a.storeIds),
    namesIn(db, COLLECTIONS.subBrands, a.subBrandIds),
    namesIn(db, COLLECTIONS.regions, a.regionIds),
  ])
  return { stores, subBrands, regions }
}

function subBrandView(s: SubBrandDoc) {
  return { id: s._id, name: s.name, brandName: s.brandName, card: s.card ? { ...s.card } : null }
}

/**
 * The tree as far as the caller sees it: owner and HQ everything (with the stores not yet
 * assigned); the others the sub-brands and regions they act on or that hold one of their
 * stores, and only their stores in them.
 */
export const subBrandsList = defineStaffAction('subBrands.list', z.object({}).strict(), async (_input, ctx) => {
  const { scope } = ctx
  const [subBrands, regions, stores] = await Promise.all([
    list<SubBrandDoc>(ctx.db.collection(COLLECTIONS.subBrands).limit(MAX_ROWS)),
    list<RegionDoc>(ctx.db.collection(COLLECTIONS.regions).limit(MAX_ROWS)),
    allStores(ctx.db),
  ])
  const mine = stores.filter((s) => covers(scope, { storeId: s._id }))
  const storeView = (s: StoreDoc) => ({ id: s._id, name: s.name })
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'zh')
  const tree = subBrands
    .map((b) => {
      const ownStores = mine.filter((s) => s.subBrandId === b._id)
      const ownRegions = regions
        .filter((r) => r.subBrandId === b._id)
        .map((r) => ({ id: r._id, name: r.name, stores: ownStores.filter((s) => s.regionId === r._id).map(storeView), inScope: covers(scope, { regionId: r._id }) }))
        .filter((r) => r.inScope || r.stores.length > 0)
        .map(({ inScope, ...r }) => (void inScope, r))
      return {
        ...subBrandView(b),
        regions: ownRegions.sort(byName),
        /** Stores of the sub-brand in no region. */
        stores: ownStores.filter((s) => !s.regionId).map(storeView),
        storeCount: ownStores.length,
        editable: decideWithin(scope, 'subBrands.update', [{ subBrandId: b._id }]).allowed,
        inScope: covers(scope, { subBrandId: b._id }) || ownStores.length > 0,
      }
    })
    .filter((b) => b.inScope)
    .map(({ inScope, ...b }) => (void inScope, b))
    .sort(byName)
  return { subBrands: tree, unassignedStores: mine.filter((s) => !s.subBrandId).map(storeView) }
})

const subBrandFields = {
  name: textField({ label: '子品牌名称', max: SUB_BRAND_NAME_MAX }),
  /** '' = the group's brand name on the card. */
  brandName: z.union([z.literal(''), textField({ label: '会员卡品牌名', max: BRAND_MAX_CHARS })]),
  card: cardSchema.nullable(),
}

export const subBrandsCreate = defineStaffAction(
  'subBrands.create',
  z.object({ name: subBrandFields.name, brandName: subBrandFields.brandName.optional(), card: subBrandFields.card.optional() }).strict(),
  async (input, ctx) => {
    const now = ctx.now()
    const id = `sb-${randomBytes(6).toString('hex')}`
    const doc: SubBrandDoc = { _id: id, name: input.name, brandName: input.brandName ?? '', card: input.card ?? null, createdAt: now, updatedAt: now }
    const line = auditLine(ctx, 'subBrands.create', { storeId: null, target: `subBrand:${id}`, summary: `新建子品牌「${input.name}」` })
    await runTransaction(ctx.db, async (t) => {
      await t.collection(COLLECTIONS.subBrands).doc(id).set({ data: withoutId(doc) })
      await writeAudit(t, line)
    })
    return { subBrand: subBrandView(doc) }
  },
)

/** Owner and HQ, and a sub-brand's own operator: its name, card brand name and card look. */
export const subBrandsUpdate = defineStaffAction(
  'subBrands.update',
  z
    .object({ subBrandId: idSchema, name: subBrandFields.name.optional(), brandName: subBrandFields.brandName.optional(), card: subBrandFields.card.optional() })
    .strict()
    .refine((v) => v.name !== undefined || v.brandName !== undefined || v.card !== undefined, { message: '没有需要修改的内容' }),
  {
    target: (input) => ({ storeId: null, within: [{ subBrandId: input.subBrandId }] }),
    run: async (input, ctx) => {
      const known = await requireSubBrand(ctx.db, input.subBrandId)
      const patch: Partial<SubBrandDoc> = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.brandName !== undefined ? { brandName: input.brandName } : {}),
        ...(input.card !== undefined ? { card: input.card } : {}),
      }
      const what = [patch.name !== undefined ? '名称' : '', patch.brandName !== undefined ? '会员卡品牌名' : '', patch.card !== undefined ? '会员卡样式' : ''].filter(Boolean)
      const line = auditLine(ctx, 'subBrands.update', { storeId: null, target: `subBrand:${known._id}`, summary: `修改子品牌「${known.name}」：${what.join('、')}` })
      const next = await runTransaction(ctx.db, async (t) => {
        const current = await txGet<SubBrandDoc>(t, COLLECTIONS.subBrands, known._id)
        if (!current) throw new AppError('NOT_FOUND', '子品牌不存在')
        await t.collection(COLLECTIONS.subBrands).doc(known._id).update({ data: { ...patch, updatedAt: ctx.now() } })
        await writeAudit(t, line)
        return { ...current, ...patch, _id: known._id }
      })
      return { subBrand: subBrandView(next) }
    },
  },
)

export const regionsCreate = defineStaffAction(
  'regions.create',
  z.object({ subBrandId: idSchema, name: textField({ label: '区域名称', max: REGION_NAME_MAX }) }).strict(),
  async (input, ctx) => {
    const brand = await requireSubBrand(ctx.db, input.subBrandId)
    const now = ctx.now()
    const id = `rg-${randomBytes(6).toString('hex')}`
    const doc: RegionDoc = { _id: id, name: input.name, subBrandId: brand._id, createdAt: now, updatedAt: now }
    const line = auditLine(ctx, 'regions.create', { storeId: null, target: `region:${id}`, summary: `在子品牌「${brand.name}」下新建区域「${input.name}」` })
    await runTransaction(ctx.db, async (t) => {
      if (!(await txGet<SubBrandDoc>(t, COLLECTIONS.subBrands, brand._id))) throw new AppError('NOT_FOUND', '子品牌不存在')
      await t.collection(COLLECTIONS.regions).doc(id).set({ data: withoutId(doc) })
      await writeAudit(t, line)
    })
    return { region: { id, name: doc.name, subBrandId: doc.subBrandId } }
  },
)

export const regionsUpdate = defineStaffAction(
  'regions.update',
  z.object({ regionId: idSchema, name: textField({ label: '区域名称', max: REGION_NAME_MAX }) }).strict(),
  async (input, ctx) => {
    const known = await requireRegion(ctx.db, input.regionId)
    const line = auditLine(ctx, 'regions.update', { storeId: null, target: `region:${known._id}`, summary: `区域「${known.name}」改名为「${input.name}」` })
    await runTransaction(ctx.db, async (t) => {
      if (!(await txGet<RegionDoc>(t, COLLECTIONS.regions, known._id))) throw new AppError('NOT_FOUND', '区域不存在')
      await t.collection(COLLECTIONS.regions).doc(known._id).update({ data: { name: input.name, updatedAt: ctx.now() } })
      await writeAudit(t, line)
    })
    return { region: { id: known._id, name: input.name, subBrandId: known.subBrandId } }
  },
)

/**
 * Puts a store under a sub-brand and optionally one of its regions (or back under HQ with
 * `subBrandId: null`). Its operators' and managers' scope follows on their next call.
 */
export const storesAssign = defineStaffAction(
  'stores.assign',
  z
    .object({ storeId: storeIdSchema, subBrandId: idSchema.nullable(), regionId: idSchema.nullable().optional() })
    .strict()
    .refine((v) => v.subBrandId !== null || !v.regionId, { message: '请先选择子品牌，再选择区域' }),
  async (input, ctx) => {
    const regionId = input.regionId ?? null
    const store = await getDoc<StoreDoc>(ctx.db, COLLECTIONS.stores, input.storeId)
    if (!store) throw new AppError('NOT_FOUND', '门店不存在')
    const brand = input.subBrandId ? await requireSubBrand(ctx.db, input.subBrandId) : null
    const region = regionId ? await requireRegion(ctx.db, regionId) : null
    if (region && brand && region.subBrandId !== brand._id) throw new AppError('INVALID_INPUT', `区域「${region.name}」不属于子品牌「${brand.name}」`)
    const where = brand ? `子品牌「${brand.name}」${region ? `、区域「${region.name}」` : ''}` : '总部直属'
    const line = auditLine(ctx, 'stores.assign', { storeId: store._id, target: `store:${store._id}`, summary: `门店「${store.name}」划归${where}` })
    await runTransaction(ctx.db, async (t) => {
      if (!(await txGet<StoreDoc>(t, COLLECTIONS.stores, store._id))) throw new AppError('NOT_FOUND', '门店不存在')
      if (brand && !(await txGet<SubBrandDoc>(t, COLLECTIONS.subBrands, brand._id))) throw new AppError('NOT_FOUND', '子品牌不存在')
      if (region && !(await txGet<RegionDoc>(t, COLLECTIONS.regions, region._id))) throw new AppError('NOT_FOUND', '区域不存在')
      await t.collection(COLLECTIONS.stores).doc(store._id).update({ data: { subBrandId: brand?._id ?? null, regionId: region?._id ?? null } })
      await writeAudit(t, line)
    })
    return { storeId: store._id, subBrandId: brand?._id ?? null, regionId: region?._id ?? null }
  },
)
