import { z } from 'zod'
import { actions } from '../../cloudfunctions/admin/index'
import { defineStaffAction, PUBLIC_ADMIN_ACTIONS, type AdminActionsMap } from '../../cloudfunctions/admin/staff-context'
import { defineAction, type ActionContext } from '../../cloudfunctions/shared/handler'
import { ADMIN_ACTIONS, type AdminAction } from '../../cloudfunctions/domain/permissions'
import type { StaffDoc } from '../../cloudfunctions/services/documents'

/** A database with just the staff collection, read by id, as loadStaff reads it. */
function ctxAs(openid: string, staff: Partial<StaffDoc> | null): ActionContext {
  const db = {
    collection: (name: string) => ({
      doc: (id: string) => ({
        get: async () => ({ data: name === 'staff' && staff && id === openid ? { _id: openid, openid, name: '员工', storeIds: [], invitedBy: null, createdAt: new Date(), ...staff } : null }),
      }),
    }),
  }
  return { caller: { openid, appid: '', unionid: '', source: 'wx_client' }, db: db as unknown as ActionContext['db'], cloud: {} as ActionContext['cloud'], now: () => new Date() }
}

const empty = z.object({}).strict()

describe('the admin actions map', () => {
  it('holds exactly one staff action per row of ADMIN_ACTIONS, under its own name, plus the public ones', () => {
    const names = Object.keys(actions)
    const staffNames = names.filter((n) => !(PUBLIC_ADMIN_ACTIONS as readonly string[]).includes(n))
    expect(new Set(staffNames)).toEqual(new Set(Object.keys(ADMIN_ACTIONS)))
    for (const name of staffNames) expect([name, (actions as Record<string, { staffAction?: string }>)[name].staffAction]).toEqual([name, name])
    for (const name of PUBLIC_ADMIN_ACTIONS) expect([name, 'staffAction' in actions[name]]).toEqual([name, false])
  })

  it('makes an action without a row, a row without an action, or a mislabelled action a type error', () => {
    const run = async () => ({})
    // An action added to the map with plain defineAction (no row, no check):
    const withUnchecked = {
      ...actions,
      // @ts-expect-error 'coupons.issue' is not a row of ADMIN_ACTIONS
      'coupons.issue': defineAction(empty, run),
    } satisfies AdminActionsMap
    // A staff action for a name the table does not have:
    // @ts-expect-error 'coupons.issue' is not an AdminAction
    const unknownRow = () => defineStaffAction('coupons.issue', empty, run)
    // A row whose action is missing from the map:
    const { 'orders.refund': _dropped, ...rest } = actions
    // @ts-expect-error property 'orders.refund' is missing
    const missing = rest satisfies AdminActionsMap
    // A staff action registered under another row's name:
    const mislabelled = {
      ...actions,
      // @ts-expect-error staffAction 'stores.create' is not 'stores.list'
      'stores.list': actions['stores.create'],
    } satisfies AdminActionsMap
    // A store-scoped action defined without saying how to find its store:
    // @ts-expect-error orders.refund needs { target, run }
    const unscoped = () => defineStaffAction('orders.refund', empty, run)
    expect([withUnchecked, missing, mislabelled, _dropped].every(Boolean)).toBe(true)
    expect(unknownRow).toThrow()
    expect(unscoped).toThrow(/store-scoped/)
  })
})

describe('defineStaffAction', () => {
  const calls: string[] = []
  const unscoped = defineStaffAction('members.tag', empty, async (_input, ctx) => {
    calls.push(`run:${ctx.staff.role}`)
    return { role: ctx.staff.role }
  })
  const scoped = defineStaffAction('orders.refund', empty, {
    target: (_input, ctx) => {
      calls.push(`target:${ctx.staff.role}`)
      return { storeId: 'S1', note: 'found' }
    },
    run: async (_input, ctx, target) => {
      calls.push(`run:${ctx.staff.role}`)
      return { note: target.note }
    },
  })
  beforeEach(() => {
    calls.length = 0
  })

  it('checks identity, staff document and role before run', async () => {
    await expect(unscoped.run({}, ctxAs('', null))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    await expect(unscoped.run({}, ctxAs('o-consumer', null))).rejects.toMatchObject({ code: 'FORBIDDEN', message: '仅限商家员工使用，请先通过邀请码加入' })
    await expect(unscoped.run({}, ctxAs('o-clerk', { role: 'clerk', storeIds: ['S1'] }))).rejects.toMatchObject({ code: 'FORBIDDEN', message: '店员没有权限执行此操作' })
    expect(calls).toEqual([])
    await expect(unscoped.run({}, ctxAs('o-manager', { role: 'manager', storeIds: ['S1'] }))).resolves.toEqual({ role: 'manager' })
    expect(calls).toEqual(['run:manager'])
  })

  it('finds the target store after the role check and refuses a store outside the scope', async () => {
    await expect(scoped.run({}, ctxAs('o-clerk', { role: 'clerk', storeIds: ['S1'] }))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(calls).toEqual([])
    await expect(scoped.run({}, ctxAs('o-manager-b', { role: 'manager', storeIds: ['S2'] }))).rejects.toMatchObject({ code: 'FORBIDDEN', message: '您只能操作自己所在门店的数据' })
    expect(calls).toEqual(['target:manager'])
    await expect(scoped.run({}, ctxAs('o-manager-a', { role: 'manager', storeIds: ['S1'] }))).resolves.toEqual({ note: 'found' })
    await expect(scoped.run({}, ctxAs('o-hq', { role: 'hq', storeIds: [] }))).resolves.toEqual({ note: 'found' })
    expect(calls).toEqual(['target:manager', 'target:manager', 'run:manager', 'target:hq', 'run:hq'])
  })

  it('is the wrapper of every admin action in the map', () => {
    for (const name of Object.keys(ADMIN_ACTIONS) as AdminAction[]) expect(actions[name].staffAction).toBe(name)
  })
})
