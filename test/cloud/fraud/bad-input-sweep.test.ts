/**
 * THE BAD-INPUT SWEEP (issue 12): every action of every cloud function — taken from the real
 * actions maps, so an action a later branch adds is swept without touching this file — gets
 * wrong types, missing and extra fields, operator objects where strings are expected, huge
 * strings and numbers, and control characters. Every answer must be { ok: false, code, message }
 * with a Chinese message (no English sentence from zod, no echoed key names), and the database
 * (every collection, refusal records included) must be exactly as before.
 */
import { z } from 'zod'
import { schema } from '../../../database/schema'
import { actions as adminActions } from '../../../cloudfunctions/admin/index'
import { actions as memberActions } from '../../../cloudfunctions/member/index'
import { actions as systemActions } from '../../../cloudfunctions/system/index'
import type { AnyActionSpec } from '../../../cloudfunctions/shared/handler'
import { all, seedCodeSecret, seedOrg, startAdminCloud, type AdminCloud } from '../admin/helpers'

const FUNCTIONS: Record<string, Record<string, AnyActionSpec>> = { admin: adminActions, member: memberActions, system: systemActions }

let c: AdminCloud
beforeAll(async () => {
  c = await startAdminCloud()
  await seedOrg(c)
  await seedCodeSecret(c.db)
})
afterAll(async () => {
  await c?.stop()
})

/** Every collection, refusal records too. */
async function dump(): Promise<string> {
  const parts: Record<string, unknown[]> = {}
  for (const name of Object.keys(schema)) parts[name] = (await all(c.db, name)).sort((a, b) => String(a._id).localeCompare(String(b._id)))
  return JSON.stringify(parts)
}

/** The object schema under refinements and pipes, to learn an action's field names. */
function shapeOf(t: z.ZodTypeAny): Record<string, z.ZodTypeAny> {
  let s: z.ZodTypeAny = t
  for (let i = 0; i < 10; i += 1) {
    if (s instanceof z.ZodEffects) s = s.innerType()
    else if (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s._def.innerType
    else break
  }
  return s instanceof z.ZodObject ? (s.shape as Record<string, z.ZodTypeAny>) : {}
}

const HUGE = 'x'.repeat(200_000)
const CONTROL = '\u0000\u0007\u001b[2J\u202e\u2066'
/** Whole inputs that are never an action's input. */
const WHOLE: unknown[] = ['text', 12345, true, [], [{}], { $where: '1' }, { __unexpected_key__: 1 }, { _id: { $ne: '' } }]
/** Values put in each field, alone. */
const VALUES: unknown[] = [{ $gt: '' }, { _id: 'x' }, HUGE, 1e308, -1e308, Number.MAX_SAFE_INTEGER * 4, CONTROL, ['a'], { $regex: '.*' }]

function cases(spec: AnyActionSpec): unknown[] {
  const fields = Object.keys(shapeOf(spec.input))
  const out: unknown[] = [...WHOLE]
  for (const field of fields) for (const v of VALUES) out.push({ [field]: v, __unexpected_key__: 'x' })
  for (const field of fields) for (const v of VALUES) out.push({ [field]: v })
  return out
}

const ENGLISH_SENTENCE = /[A-Za-z]{3,}\s+[A-Za-z]{2,}/

describe('the bad-input sweep', () => {
  it('refuses every bad input to every action in Chinese and writes nothing', async () => {
    const before = await dump()
    const problems: string[] = []
    let calls = 0
    for (const [fn, actions] of Object.entries(FUNCTIONS)) {
      for (const [action, spec] of Object.entries(actions)) {
        const inputs = cases(spec)
        for (let i = 0; i < inputs.length; i += 8) {
          const batch = inputs.slice(i, i + 8)
          const answers = await Promise.all(batch.map((input) => c.send(fn, action, input, 'o-owner')))
          answers.forEach((res: any, j) => {
            calls += 1
            const where = `${fn}.${action} ${JSON.stringify(batch[j]).slice(0, 80)}`
            if (res.ok !== false || typeof res.code !== 'string' || typeof res.message !== 'string') problems.push(`${where} → ${JSON.stringify(res).slice(0, 120)}`)
            else if (!/[\u4e00-\u9fff]/.test(res.message) || ENGLISH_SENTENCE.test(res.message) || res.message.includes('__unexpected_key__')) problems.push(`${where} → ${res.message}`)
          })
        }
      }
    }
    expect(problems).toEqual([])
    expect(calls).toBeGreaterThan(500)
    expect(await dump()).toBe(before)
  }, 600_000)

  it('sweeps every action the functions register', () => {
    const swept = Object.entries(FUNCTIONS).flatMap(([fn, a]) => Object.keys(a).map((k) => `${fn}.${k}`))
    expect(swept).toEqual(expect.arrayContaining(['admin.cashier.capture', 'admin.cashier.decide', 'member.createOrder', 'member.bindInviter']))
  })
})
