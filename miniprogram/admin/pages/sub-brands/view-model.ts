import type { ActionOutput } from '../../../../cloudfunctions/shared/contract'
import { HEX_COLOR } from '../../../shared/settings-rules'

export type Tree = ActionOutput<'admin', 'subBrands.list'>
type SubBrand = Tree['subBrands'][number]

export interface StoreView {
  id: string
  name: string
  place: string
}

export interface SubBrandView {
  id: string
  name: string
  /** What the member card shows for members who joined here. */
  cardName: string
  background: string
  textColor: string
  ownLook: boolean
  editable: boolean
  regions: { id: string; name: string; stores: string }[]
  storeCount: number
  looseStores: string
}

/** Where a store can go: under HQ, a sub-brand, or one of its regions. */
export interface AssignTarget {
  label: string
  subBrandId: string | null
  regionId: string | null
}

export function subBrandView(b: SubBrand, group: { brandName: string; background: string; textColor: string }): SubBrandView {
  return {
    id: b.id,
    name: b.name,
    cardName: b.brandName || group.brandName,
    background: b.card?.background ?? group.background,
    textColor: b.card?.textColor ?? group.textColor,
    ownLook: Boolean(b.brandName || b.card),
    editable: b.editable,
    regions: b.regions.map((r) => ({ id: r.id, name: r.name, stores: r.stores.map((s) => s.name).join('、') || '暂无门店' })),
    storeCount: b.storeCount,
    looseStores: b.stores.map((s) => s.name).join('、'),
  }
}

export function assignTargets(tree: Tree): AssignTarget[] {
  return [
    { label: '总部直属（不属于子品牌）', subBrandId: null, regionId: null },
    ...tree.subBrands.flatMap((b) => [
      { label: b.name, subBrandId: b.id, regionId: null },
      ...b.regions.map((r) => ({ label: `${b.name} · ${r.name}`, subBrandId: b.id, regionId: r.id })),
    ]),
  ]
}

/** Every store the caller sees in the tree, with where it is now. */
export function storesOf(tree: Tree): StoreView[] {
  const out: StoreView[] = tree.unassignedStores.map((s) => ({ id: s.id, name: s.name, place: '总部直属' }))
  for (const b of tree.subBrands) {
    for (const s of b.stores) out.push({ id: s.id, name: s.name, place: b.name })
    for (const r of b.regions) for (const s of r.stores) out.push({ id: s.id, name: s.name, place: `${b.name} · ${r.name}` })
  }
  return out
}

export function colourProblem(v: string): string | null {
  return HEX_COLOR.test(v) ? null : '颜色格式应为 #RRGGBB'
}
