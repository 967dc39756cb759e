/**
 * Bench section for the writing actions not benched elsewhere: the database operations one call
 * costs (the real cloud bills per operation) for the cashier approvals (list, approve, a repeated
 * tap), staff.update and staff.remove, a member's deleteMembership, one 客服 message answered
 * automatically, and the first-run system.setup (and a second, already-set-up run). Every figure
 * is measured on the engine the server dispatches to, on a merchant seeded through the real
 * actions (owner by the setup key, invites, a member who joined by paying).
 */
import { COLLECTIONS } from '../../cloudfunctions/shared/collections'
import type { BenchRow, BenchSection } from '../bench'
import { READS, startBenchCloud, sum, WRITES, type Counts } from './cloud'

const SETUP_KEY = 'bench-setup-key-0123456789abcdef'
const STORE = { address: '上海市徐汇区漕溪北路 1 号', phone: '021-12345678', hours: '08:00-22:00', latitude: 31.19, longitude: 121.43 }

export const adminActionsSection: BenchSection = {
  name: 'admin-actions',
  async run(ctx) {
    const b = await startBenchCloud(ctx, 'admin-actions', { functionEnv: { admin: { OWNER_SETUP_KEY: SETUP_KEY } }, payRetryDelaysMs: [] })
    try {
      const owner = 'o-bench-owner'
      const manager = 'o-bench-manager'
      const clerk = 'o-bench-clerk'
      await b.call('admin', owner, 'bootstrapOwner', { setupKey: SETUP_KEY, name: '压测老板' })
      const storeId = (await b.call('admin', owner, 'stores.create', { name: '压测门店', ...STORE })).store.id
      const join = async (issuer: string, role: 'manager' | 'clerk', openid: string, name: string) => {
        const inv = await b.call('admin', issuer, 'staff.invite', { role, storeId })
        await b.call('admin', openid, 'joinStaff', { code: inv.code, name })
      }
      await join(owner, 'manager', manager, '压测店长')
      await join(manager, 'clerk', clerk, '压测店员')

      // Members who joined by paying (the pay callback creates the member).
      const member = async (openid: string): Promise<void> => {
        const order = await b.call('member', openid, 'createOrder', { storeId, amountFen: 2580 })
        const res = await fetch(`${b.cloud.url}/pay/orders/${order.outTradeNo}/pay`, { method: 'POST', body: '{}' })
        const body = (await res.json()) as { results: { errcode: number }[] }
        if (body.results[0]?.errcode !== 0) throw new Error(`pay: ${JSON.stringify(body)}`)
      }
      const customer = 'o-bench-customer'
      await member(customer)

      const rows: BenchRow[] = []
      const report = (label: string, c: Counts) => {
        rows.push({ section: 'admin-actions', metric: `${label}: db reads`, value: sum(c, READS), unit: 'ops' })
        rows.push({ section: 'admin-actions', metric: `${label}: db writes`, value: sum(c, WRITES), unit: 'ops' })
        rows.push({ section: 'admin-actions', metric: `${label}: transactions`, value: c['database.startTransaction'] ?? 0, unit: 'txn' })
        // createCollection and the like, which are neither reads nor writes of documents
        const other = Object.entries(c).filter(([k]) => !READS.includes(k) && !WRITES.includes(k) && !/Transaction$/.test(k))
        if (other.length) rows.push({ section: 'admin-actions', metric: `${label}: other db requests (${other.map(([k]) => k.replace('database.', '')).join(', ')})`, value: sum(c, other.map(([k]) => k)), unit: 'ops' })
      }

      // Cashier approvals: a clerk's sale above the line is held; the manager lists and approves it.
      const memberCode = (await b.call('member', customer, 'code', {})).code
      const held = await b.call('admin', clerk, 'cashier.capture', { storeId, amountFen: 80_000, memberCode, clientRequestId: 'bench-held-1' })
      const approvalId = 'pendingApproval' in held ? held.pendingApproval.id : undefined
      if (!approvalId) throw new Error(`bench: the sale was not held for approval: ${JSON.stringify(held)}`)
      report('cashier.approvals (1 pending)', await b.count(() => b.call('admin', manager, 'cashier.approvals', {})))
      report('cashier.decide (approve: order, points, audit)', await b.count(() => b.call('admin', manager, 'cashier.decide', { approvalId, approve: true })))
      report('cashier.decide (repeated tap, refused)', await b.count(() => fetch(`${b.cloud.url}/functions/admin`, { method: 'POST', headers: { 'X-WX-OPENID': manager, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'cashier.decide', input: { approvalId, approve: true } }) })))

      // Staff: change a clerk's stores, then remove them.
      const extra = 'o-bench-clerk-2'
      await join(manager, 'clerk', extra, '压测店员二')
      report('staff.update', await b.count(() => b.call('admin', manager, 'staff.update', { staffId: extra, role: 'clerk', storeIds: [storeId] })))
      report('staff.remove', await b.count(() => b.call('admin', manager, 'staff.remove', { staffId: extra })))

      // 客服: one text message answered by the merchant's keywords (营业时间).
      report('客服 message (auto-reply)', await b.count(() => b.cloud.pushServiceMessage({ openid: customer, content: '营业时间' })))

      // A member with an order and its ledger leaves (注销会员).
      const leaving = 'o-bench-leaving'
      await member(leaving)
      report('deleteMembership (1 order)', await b.count(() => b.call('member', leaving, 'deleteMembership', { confirm: '确认注销' })))

      // First-run setup: on this cloud the collections exist already (answered as done), the
      // unique-index probes write and remove their documents; the second run is the same work.
      report('system.setup (collections exist, probes)', await b.count(() => b.cloud.invoke('system', { action: 'setup', input: {} }, {})))
      report('system.setup (run again)', await b.count(() => b.cloud.invoke('system', { action: 'setup', input: {} }, {})))
      const left = await b.engine.handle({ action: 'database.calculateDocument', collectionName: COLLECTIONS.members, query: JSON.stringify({ openid: leaving }) })
      if ((left.data as { total?: number } | undefined)?.total !== 0) throw new Error(`bench: deleteMembership left the member: ${JSON.stringify(left)}`)
      return rows
    } finally {
      await b.close()
    }
  },
}
