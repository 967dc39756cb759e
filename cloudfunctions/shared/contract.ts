/**
 * The one contract between the mini program and the functions, derived from the actions
 * themselves so the two sides cannot drift. Imported with `import type` only: nothing of the
 * server is bundled into the mini program.
 */
import type { z } from 'zod'
import type { AnyActionSpec } from './handler'
import type { actions as systemActions } from '../system/index'
import type { actions as memberActions } from '../member/index'
import type { actions as adminActions } from '../admin/index'

export interface Contract {
  system: typeof systemActions
  member: typeof memberActions
  admin: typeof adminActions
}

export type FunctionName = keyof Contract
export type ActionName<F extends FunctionName> = keyof Contract[F] & string
type SpecOf<F extends FunctionName, A extends ActionName<F>> = Contract[F][A] extends AnyActionSpec ? Contract[F][A] : never
export type ActionInput<F extends FunctionName, A extends ActionName<F>> = z.input<SpecOf<F, A>['input']>
/** Outputs cross JSON: keep them plain (dates as ISO strings). */
export type ActionOutput<F extends FunctionName, A extends ActionName<F>> = Awaited<ReturnType<SpecOf<F, A>['run']>>
