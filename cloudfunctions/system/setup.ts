import { z } from 'zod'
import { defineAction, type ActionContext } from '../shared/handler'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { getDoc } from '../services/db-util'
import type { StaffDoc } from '../services/documents'
import { deployedConfig } from '../services/deploy-config'
import { runSetup, setupNotice } from '../services/setup'

/**
 * Who may run setup: an invocation without a WeChat user (the deploy script through the cloud's
 * function API, or 云端测试 in the console — a mini program call always carries an OPENID), or
 * the owner (admin home's 重新检查 after creating the indexes by hand). Setup only creates what
 * is missing and probes with its own documents, so running it again changes nothing else.
 */
async function requireOperator(ctx: ActionContext): Promise<void> {
  if (!ctx.caller.openid) return
  let staff: StaffDoc | null = null
  try {
    staff = await getDoc<StaffDoc>(ctx.db, COLLECTIONS.staff, ctx.caller.openid)
  } catch {
    staff = null
  }
  if (staff?.role !== 'owner') throw new AppError('FORBIDDEN', '仅店主可以运行部署初始化')
}

export const setup = defineAction(z.object({}).strict(), async (_input, ctx) => {
  await requireOperator(ctx)
  const report = await runSetup(ctx.db, { now: ctx.now(), brandName: deployedConfig().brandName })
  return { report, notice: await setupNotice(ctx.db) }
})

export const setupStatus = defineAction(z.object({}).strict(), async (_input, ctx) => {
  await requireOperator(ctx)
  return setupNotice(ctx.db)
})
