import type { ActionInput, ActionName, ActionOutput, FunctionName } from '../../../cloudfunctions/shared/contract'
import { capabilitiesOf } from '../../../cloudfunctions/domain/capabilities'
import { CloudCallError, setTransport } from '../../../miniprogram/lib/call-cloud'
import { ROLE_NAMES, type StaffRole } from '../../../miniprogram/shared/staff-roles'

/** 'member.card', 'admin.cashier.capture', …: every action of the contract. */
export type RouteKey = { [F in FunctionName]: `${F}.${ActionName<F>}` }[FunctionName]
export type RouteOutput<K extends RouteKey> = K extends `${infer F extends FunctionName}.${infer A}` ? (A extends ActionName<F> ? ActionOutput<F, A> : never) : never
export type RouteInput<K extends RouteKey> = K extends `${infer F extends FunctionName}.${infer A}` ? (A extends ActionName<F> ? ActionInput<F, A> : never) : never

/**
 * An action's answer: the data the server returns (typed with the contract's output, so a fixture
 * that no longer matches what the server answers fails type checking), or a function of the input.
 */
export type Route<K extends RouteKey> = RouteOutput<K> | ((input: RouteInput<K>) => RouteOutput<K> | Promise<RouteOutput<K>>)
export type Routes = { [K in RouteKey]?: Route<K> }
type Handler = (input: unknown) => unknown

/**
 * Stubs callCloud at its transport: `routes['member.card']` answers that action (a function is
 * called with the input; anything else is the data). A thrown CloudCallError becomes a failed
 * call; an action without a route fails with TEST_NO_ROUTE. Records every call.
 */
export function fakeCloud(routes: Routes) {
  const calls: { name: string; action: string; input: unknown }[] = []
  setTransport(async (name, event) => {
    calls.push({ name, action: event.action, input: event.input })
    const key = `${name}.${event.action}`
    // A code no page handles, so a missing route can never pass for a real answer.
    if (!(key in routes)) throw new CloudCallError('TEST_NO_ROUTE', `no route ${key}`)
    const r = routes[key as RouteKey] as unknown
    try {
      const data = typeof r === 'function' ? await (r as Handler)(event.input) : r
      return { ok: true, data }
    } catch (e) {
      if (e instanceof CloudCallError) return { ok: false, code: e.code, message: e.message }
      throw e
    }
  })
  return {
    calls,
    actions: () => calls.map((c) => `${c.name}.${c.action}`),
    reset: () => setTransport(null),
  }
}

/**
 * admin.me as the server answers it for a staff member of `role` in `stores`: capabilities come
 * from the server's own capabilitiesOf, so the fixture cannot say what the server would not.
 */
export function staffMe(role: StaffRole, stores: { id: string; name: string }[], name = '林'): { staff: NonNullable<RouteOutput<'admin.me'>['staff']> } {
  const storeIds = stores.map((s) => s.id)
  return { staff: { name, role, roleName: ROLE_NAMES[role], storeIds, stores, subBrands: [], regions: [], capabilities: capabilitiesOf({ role, storeIds }, storeIds) } }
}

export function fail(code: string, message: string): never {
  throw new CloudCallError(code, message)
}

type WxStub = Record<string, unknown>
/** Replaces wx.<api> for one test; answers a restore function. */
export function stubWx(api: string, impl: unknown): () => void {
  const w = (globalThis as unknown as { wx: WxStub }).wx
  const before = w[api]
  w[api] = impl
  return () => {
    w[api] = before
  }
}

/** Text of the rendered page, whitespace collapsed. */
export function textOf(page: { dom?: Element | null }): string {
  return (page.dom?.textContent ?? '').replace(/\s+/g, ' ')
}

/**
 * The per-test frame most page tests need: toasts collected, the transport reset and every
 * `restores.push(stubWx(...))` undone after each test.
 */
export function usePageTest(): { toasts: string[]; restores: (() => void)[] } {
  const toasts: string[] = []
  const restores: (() => void)[] = []
  beforeEach(() => {
    toasts.length = 0
    restores.push(stubWx('showToast', (o: { title: string }) => toasts.push(o.title)))
  })
  afterEach(() => {
    setTransport(null)
    restores.splice(0).forEach((r) => r())
  })
  return { toasts, restores }
}
