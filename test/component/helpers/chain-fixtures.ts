import { staffMe } from './fake-cloud'

/** Fixtures of the chain's admin pages (issue 17): staff of each role, a tree, staff rows, invites. */
export const owner = staffMe('owner', [{ id: 'S1', name: '徐汇店' }, { id: 'S2', name: '静安店' }], '林老板')
export const manager = staffMe('manager', [{ id: 'S1', name: '徐汇店' }], '王店长')
export const clerk = staffMe('clerk', [{ id: 'S1', name: '徐汇店' }], '小李')
export const region = { staff: { ...staffMe('region', [{ id: 'S1', name: '徐汇店' }], '孙经理').staff, regions: [{ id: 'R1', name: '浦西区' }] } }

export const staffRows = [
  { id: 'o-owner', name: '林老板', role: 'owner' as const, roleName: '老板', stores: [], storeIds: [], subBrands: [], regions: [], isMe: true, manageable: false, joinedAt: null },
  { id: 'o-brand', name: '陈运营', role: 'brand' as const, roleName: '子品牌运营', stores: [], storeIds: [], subBrands: [{ id: 'B1', name: '拾光咖啡' }], regions: [], isMe: false, manageable: true, joinedAt: null },
  { id: 'o-clerk', name: '小李', role: 'clerk' as const, roleName: '店员', stores: ['徐汇店'], storeIds: ['S1'], subBrands: [], regions: [], isMe: false, manageable: true, joinedAt: null },
]
export const tree = {
  subBrands: [
    {
      id: 'B1',
      name: '拾光咖啡',
      brandName: '拾光咖啡·浦西',
      card: { background: '#3b2a1a', textColor: '#f5e6c8' },
      regions: [{ id: 'R1', name: '浦西区', stores: [{ id: 'S1', name: '徐汇店' }] }],
      stores: [],
      storeCount: 1,
      editable: true,
    },
    { id: 'B2', name: '拾光茶饮', brandName: '', card: null, regions: [], stores: [{ id: 'S2', name: '静安店' }], storeCount: 1, editable: true },
  ],
  unassignedStores: [{ id: 'S3', name: '浦东店' }],
}
export const invites = [{ code: 'ABCD2345', role: 'clerk' as const, roleName: '店员', where: ['徐汇店'], issuedByName: '林老板', expiresAt: '2026-12-03T04:00:00.000Z', expired: false, createdAt: '2026-12-01T04:00:00.000Z' }]

