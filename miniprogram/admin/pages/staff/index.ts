import { formatTime } from '../../../lib/date-format'
import { callCloud } from '../../../lib/call-cloud'
import { definePage, exclusive } from '../../../lib/page'
import { getStaffSession, may } from '../../../lib/staff-session'
import { confirmDialog, toast } from '../../../lib/ui'
import { scopeKindOf, type StaffRole } from '../../../shared/staff-roles'
import { scopeText } from '../index/view-model'
import {
  assignOptions,
  inviteText,
  KIND_LABELS,
  roleOptions,
  staffRowView,
  updateInput,
  type AssignOptions,
  type Option,
  type StaffRowView,
} from './view-model'

interface Editing {
  id: string
  name: string
  role: StaffRole
  kindLabel: string
  options: (Option & { on: boolean })[]
}

const NO_OPTIONS: AssignOptions = { store: [], subBrand: [], region: [] }

/** 员工管理: my role and stores; the staff I manage (change role or stores, remove); unused invites (revoke). */
definePage({
  data: {
    me: { name: '', roleName: '', scopeText: '' },
    canList: false,
    staff: [] as StaffRowView[],
    invites: [] as { code: string; text: string; expiresText: string; expired: boolean }[],
    roles: [] as { value: StaffRole; label: string }[],
    assign: NO_OPTIONS,
    editing: null as Editing | null,
    saving: false,
  },
  methods: {
    optionsFor(role: StaffRole, picked: string[]): Pick<Editing, 'kindLabel' | 'options'> {
      const kind = scopeKindOf(role)
      if (kind === 'none') return { kindLabel: '', options: [] }
      return { kindLabel: KIND_LABELS[kind], options: this.data.assign[kind].map((o) => ({ ...o, on: picked.includes(o.id) })) }
    },
    onEdit(e: WechatMiniprogram.TouchEvent) {
      const row = this.data.staff.find((s) => s.id === e.currentTarget.dataset.id)
      const role = this.data.roles[this.data.roles.length - 1]?.value
      if (!row || !role) return
      this.setData({ editing: { id: row.id, name: row.name, role, ...this.optionsFor(role, []) } })
    },
    onCancelEdit() {
      this.setData({ editing: null })
    },
    onPickRole(e: WechatMiniprogram.TouchEvent) {
      const editing = this.data.editing
      const role = this.data.roles.find((r) => r.value === e.currentTarget.dataset.role)?.value
      if (editing && role) this.setData({ editing: { ...editing, role, ...this.optionsFor(role, []) } })
    },
    onToggleOption(e: WechatMiniprogram.TouchEvent) {
      const editing = this.data.editing
      if (!editing) return
      const id = String(e.currentTarget.dataset.id ?? '')
      this.setData({ editing: { ...editing, options: editing.options.map((o) => (o.id === id ? { ...o, on: !o.on } : o)) } })
    },
    async onSaveEdit() {
      const editing = this.data.editing
      if (!editing) return
      const picked = editing.options.filter((o) => o.on).map((o) => o.id)
      if (editing.kindLabel && picked.length === 0) return toast(`请选择${editing.kindLabel}`)
      await exclusive(this, 'saving', async () => {
        await callCloud('admin', 'staff.update', updateInput(editing.id, editing.role, picked))
        toast('已调整')
        this.setData({ editing: null })
        await this.reload({ quiet: true })
      })
    },
    async onRemove(e: WechatMiniprogram.TouchEvent) {
      const row = this.data.staff.find((s) => s.id === e.currentTarget.dataset.id)
      if (!row) return
      if (!(await confirmDialog('移除员工', `移除后「${row.name}」将无法再使用商家管理，确定移除？`, '移除'))) return
      await exclusive(this, 'saving', async () => {
        await callCloud('admin', 'staff.remove', { staffId: row.id })
        toast('已移除')
        await this.reload({ quiet: true })
      })
    },
    async onRevoke(e: WechatMiniprogram.TouchEvent) {
      const code = String(e.currentTarget.dataset.code ?? '')
      if (!code) return
      if (!(await confirmDialog('撤销邀请码', `撤销后邀请码 ${code} 将无法再加入，确定撤销？`, '撤销'))) return
      await exclusive(this, 'saving', async () => {
        await callCloud('admin', 'staff.revokeInvite', { code })
        toast('已撤销')
        await this.reload({ quiet: true })
      })
    },
  },
  async load({ fresh }) {
    const staff = await getStaffSession({ fresh })
    if (!staff) return { viewState: 'empty' }
    const caps = staff.capabilities
    const me = { name: staff.name || '员工', roleName: staff.roleName, scopeText: caps.seesAllStores ? '全部门店' : scopeText(staff) }
    if (!may(caps, 'staff.list')) return { me, canList: false, staff: [], invites: [] }
    const [list, invites, tree] = await Promise.all([
      callCloud('admin', 'staff.list', {}),
      may(caps, 'staff.invites') ? callCloud('admin', 'staff.invites', {}) : Promise.resolve({ invites: [] }),
      caps.canManageStaff ? callCloud('admin', 'subBrands.list', {}) : Promise.resolve(null),
    ])
    return {
      me,
      canList: true,
      staff: list.staff.map(staffRowView),
      invites: invites.invites.map((i) => ({
        code: i.code,
        text: inviteText(i),
        expiresText: i.expired ? '已过期' : `有效期至 ${formatTime(i.expiresAt, 'MM-DD HH:mm')}`,
        expired: i.expired,
      })),
      roles: caps.canManageStaff ? roleOptions(caps.invitableRoles) : [],
      assign: caps.canManageStaff ? assignOptions(staff, tree) : NO_OPTIONS,
      editing: null,
    }
  },
})
