import { callCloud } from '../../../lib/call-cloud'
import { definePage } from '../../../lib/page'
import { getStaffSession } from '../../../lib/staff-session'
import { confirmDialog, toast, toastError } from '../../../lib/ui'
import { approvalRow, type ApprovalRow } from './view-model'

/**
 * 收银审批: a manager's (or the owner's) list of clerks' sales waiting for approval — above the
 * per-sale line, or a typed member number where the merchant chose approval. 批准 records the
 * sale (as the clerk's), 拒绝 records nothing; both are in the audit and on the member's profile.
 */
definePage({
  data: {
    rows: [] as ApprovalRow[],
    deciding: '',
  },
  methods: {
    async decide(id: string, approve: boolean) {
      if (this.data.deciding) return
      const row = this.data.rows.find((r) => r.id === id)
      if (!row) return
      const ok = await confirmDialog(approve ? '批准收银' : '拒绝收银', `${row.memberText}，${row.amountText}（${row.clerkText}）`, approve ? '批准' : '拒绝')
      if (!ok) return
      this.setData({ deciding: id })
      try {
        await callCloud('admin', 'cashier.decide', { approvalId: id, approve })
        toast(approve ? '已批准，消费已记录' : '已拒绝')
      } catch (e) {
        toastError(e)
      } finally {
        this.setData({ deciding: '' })
        await this.reload({ fresh: true })
      }
    },
    onApprove(e: WechatMiniprogram.TouchEvent) {
      void this.decide(String(e.currentTarget.dataset.id ?? ''), true)
    },
    onRefuse(e: WechatMiniprogram.TouchEvent) {
      void this.decide(String(e.currentTarget.dataset.id ?? ''), false)
    },
  },
  async load({ fresh }) {
    const [staff, res] = await Promise.all([getStaffSession({ fresh }), callCloud('admin', 'cashier.approvals', {})])
    const names: Record<string, string> = {}
    for (const s of staff?.stores ?? []) names[s.id] = s.name
    const rows = res.approvals.map((a) => approvalRow(a, names))
    return { rows, viewState: rows.length ? 'ready' : 'empty' }
  },
})
