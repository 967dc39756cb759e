import type { ActionOutput } from '../../../../cloudfunctions/shared/contract'
import { ROLE_NAMES, scopeKindOf, seesAllStores, type ScopeKind, type StaffRole } from '../../../shared/staff-roles'
import type { Staff } from '../../../lib/staff-session'

export type StaffRow = ActionOutput<'admin', 'staff.list'>['staff'][number]
export type InviteRow = ActionOutput<'admin', 'staff.invites'>['invites'][number]
export type Tree = ActionOutput<'admin', 'subBrands.list'>

export interface StaffRowView {
  id: string
  name: string
  roleName: string
  where: string
  isMe: boolean
  manageable: boolean
}

export interface Option {
  id: string
  name: string
}

/** What can be assigned, by kind, from the caller's own stores and part of the tree. */
export interface AssignOptions {
  store: Option[]
  subBrand: Option[]
  region: Option[]
}

export function whereText(row: Pick<StaffRow, 'stores' | 'subBrands' | 'regions' | 'role'>): string {
  const units = [...row.subBrands.map((b) => `子品牌·${b.name}`), ...row.regions.map((r) => `区域·${r.name}`), ...row.stores]
  if (units.length) return units.join('、')
  return seesAllStores(row.role) ? '全部门店' : '未分配'
}

export function staffRowView(row: StaffRow): StaffRowView {
  return { id: row.id, name: row.name, roleName: row.roleName, where: whereText(row), isMe: row.isMe, manageable: row.manageable }
}

export function inviteText(i: InviteRow): string {
  return `${i.roleName} · ${i.where.join('、') || '全部门店'}`
}

export function assignOptions(staff: Staff, tree: Tree | null): AssignOptions {
  const subBrand = (tree?.subBrands ?? []).filter((b) => staff.capabilities.seesAllStores || staff.subBrands.some((s) => s.id === b.id)).map((b) => ({ id: b.id, name: b.name }))
  const region = (tree?.subBrands ?? []).flatMap((b) => b.regions.map((r) => ({ id: r.id, name: `${b.name}·${r.name}` })))
  return { store: staff.stores.map((s) => ({ id: s.id, name: s.name })), subBrand, region }
}

export const KIND_LABELS: Record<Exclude<ScopeKind, 'none'>, string> = { store: '门店', subBrand: '子品牌', region: '区域' }

/** The input staff.update takes for a role and the ids picked for it. */
export function updateInput(staffId: string, role: StaffRole, picked: string[]) {
  const kind = scopeKindOf(role)
  return {
    staffId,
    role,
    ...(kind === 'store' ? { storeIds: picked } : {}),
    ...(kind === 'subBrand' ? { subBrandIds: picked } : {}),
    ...(kind === 'region' ? { regionIds: picked } : {}),
  }
}

export function roleOptions(roles: readonly StaffRole[]): { value: StaffRole; label: string }[] {
  return roles.map((r) => ({ value: r, label: ROLE_NAMES[r] }))
}
