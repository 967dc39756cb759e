import { z } from 'zod'
import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { seesAllStores } from '../domain/permissions'
import { auditLine, writeAudit } from '../services/audit'
import { getDoc, list, runTransaction, txGet } from '../services/db-util'
import type { StaffDoc, StoreDoc } from '../services/documents'
import type { CouponTemplateDoc, CouponVerificationDoc } from '../services/coupon-docs'
import { chinaDay } from '../services/day-counters'
import { chinaDayBounds } from '../services/counter-reconcile'
import { loadCommissionRules, TP_SETTINGS_ID, type OrderFactDoc, type TpSettingsDoc } from '../services/touchpoints'
import {
  ATTRIBUTION_DAYS_MAX,
  ATTRIBUTION_DAYS_MIN,
  COMMISSION_BP_MAX,
  commissionOf,
  COUPON_FEE_MAX_FEN,
  csvCell,
  dateOfDay,
  dayOfDate,
  daysBetween,
  STATEMENT_LINE_NAMES,
  type CommissionRules,
  type StatementLineKind,
} from '../../miniprogram/shared/touchpoint-rules'
import { defineStaffAction, iso, type StaffActionContext } from './staff-context'

/**
 * 门店佣金: HQ's rules, a settlement per period (a statement per store and per badge clerk, with
 * its lines and totals in fen), confirmed by HQ and then frozen; a refund after the confirmation
 * of an order it settled becomes an adjustment line of the settlement whose period holds the
 * refund. Periods never overlap, so each order and each adjustment is settled once.
 */

export interface StatementLine {
  kind: StatementLineKind
  date: string
  /** What the line is computed on: sales in fen, or the number of coupons. */
  basis: number
  count: number
  /** Basis points for a percentage, fen for a fixed fee. */
  rate: number
  amountFen: number
  /** The order of an adjustment. */
  ref?: string
}

export interface Statement {
  key: string
  kind: 'store' | 'clerk'
  id: string
  name: string
  storeId: string
  lines: StatementLine[]
  totalFen: number
}

export interface SettlementDoc {
  _id: string
  fromDay: string
  toDay: string
  status: 'draft' | 'confirmed'
  rules: CommissionRules
  statements: Statement[]
  totalFen: number
  createdBy: string
  createdAt: Date
  updatedAt: Date
  confirmedAt: Date | null
  confirmedBy: string | null
}

const PAGE = 1000
async function every<T>(db: Database, collection: string, where: Record<string, unknown>): Promise<T[]> {
  const out: T[] = []
  for (let skip = 0; ; skip += PAGE) {
    const rows = await list<T>(db.collection(collection).where(where).skip(skip).limit(PAGE))
    out.push(...rows)
    if (rows.length < PAGE) return out
  }
}

const rulesSchema = z
  .object({
    storeBp: z.number({ invalid_type_error: '门店提成比例应为整数（万分比）' }).int('门店提成比例应为整数（万分比）').min(0, '门店提成比例不能为负数').max(COMMISSION_BP_MAX, `门店提成比例不能超过 ${COMMISSION_BP_MAX / 100}%`),
    couponFeeFen: z.number({ invalid_type_error: '核券费应为整数（单位：分）' }).int('核券费应为整数（单位：分）').min(0, '核券费不能为负数').max(COUPON_FEE_MAX_FEN, `核券费不能超过 ${COUPON_FEE_MAX_FEN / 100} 元`),
    clerkBp: z.number({ invalid_type_error: '导购提成比例应为整数（万分比）' }).int('导购提成比例应为整数（万分比）').min(0, '导购提成比例不能为负数').max(COMMISSION_BP_MAX, `导购提成比例不能超过 ${COMMISSION_BP_MAX / 100}%`),
    includeBroughtIn: z.boolean({ invalid_type_error: '请选择是否计入引流会员消费' }),
    attributionDays: z.number({ invalid_type_error: '归因窗口应为整数天' }).int('归因窗口应为整数天').min(ATTRIBUTION_DAYS_MIN, `归因窗口至少 ${ATTRIBUTION_DAYS_MIN} 天`).max(ATTRIBUTION_DAYS_MAX, `归因窗口不能超过 ${ATTRIBUTION_DAYS_MAX} 天`),
  })
  .strict()

export const commissionRules = defineStaffAction('commission.rules', z.object({}).strict(), async (_input, ctx) => ({ rules: await loadCommissionRules(ctx.db) }))

export const commissionSetRules = defineStaffAction('commission.setRules', rulesSchema, async (input, ctx) => {
  const now = ctx.now()
  const pct = (bp: number) => `${bp / 100}%`
  const line = auditLine(ctx, 'commission.setRules', {
    storeId: null,
    target: 'commission-rules',
    summary: `佣金规则：门店 ${pct(input.storeBp)}，核券 ¥${(input.couponFeeFen / 100).toFixed(2)}/张，导购 ${pct(input.clerkBp)}，归因 ${input.attributionDays} 天`,
  })
  await runTransaction(ctx.db, async (t) => {
    const data: Omit<TpSettingsDoc, '_id'> = { ...input, updatedAt: now }
    await t.collection(COLLECTIONS.tpSettings).doc(TP_SETTINGS_ID).set({ data })
    await writeAudit(t, line)
  })
  return { rules: await loadCommissionRules(ctx.db) }
})

interface Builder {
  statements: Map<string, Statement>
}

function statementOf(b: Builder, kind: 'store' | 'clerk', id: string, name: string, storeId: string): Statement {
  const key = `${kind}:${id}`
  let s = b.statements.get(key)
  if (!s) {
    s = { key, kind, id, name, storeId, lines: [], totalFen: 0 }
    b.statements.set(key, s)
  }
  return s
}

function addLine(s: Statement, line: StatementLine): void {
  if (line.amountFen === 0 && line.count === 0) return
  s.lines.push(line)
  s.totalFen += line.amountFen
}

/** Groups fen by day. */
function byDay(rows: Array<{ day: string; fen: number }>): Map<string, { fen: number; count: number }> {
  const out = new Map<string, { fen: number; count: number }>()
  for (const r of rows) {
    const d = out.get(r.day) ?? { fen: 0, count: 0 }
    d.fen += r.fen
    d.count += 1
    out.set(r.day, d)
  }
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)))
}

/**
 * The statements of a period under `rules`, from the facts as they are now: one line per day and
 * kind (sales × rate, rounded per line), coupon fees per day, and one adjustment line per order of
 * an earlier confirmed settlement refunded within this period after that confirmation.
 */
async function computeStatements(db: Database, fromDay: string, toDay: string, rules: CommissionRules, earlier: SettlementDoc[]): Promise<Statement[]> {
  const _ = db.command
  const { start } = chinaDayBounds(fromDay)
  const { end } = chinaDayBounds(toDay)
  const [facts, verifications, refunded, stores, staff] = await Promise.all([
    every<OrderFactDoc>(db, COLLECTIONS.orderFacts, { paidDay: _.gte(fromDay).and(_.lte(toDay)), state: 'paid' }),
    every<CouponVerificationDoc>(db, COLLECTIONS.couponVerifications, { status: 'done', createdAt: _.gte(start).and(_.lt(end)) }),
    every<OrderFactDoc>(db, COLLECTIONS.orderFacts, { refundDay: _.gte(fromDay).and(_.lte(toDay)), state: 'refunded' }),
    every<StoreDoc>(db, COLLECTIONS.stores, {}),
    every<StaffDoc>(db, COLLECTIONS.staff, {}),
  ])
  const storeName = new Map(stores.map((s) => [s._id, s.name]))
  const staffOf = new Map(staff.map((s) => [s._id, s]))
  const b: Builder = { statements: new Map() }
  const storeStatement = (id: string) => statementOf(b, 'store', id, storeName.get(id) ?? id, id)

  const salesLines = (s: Statement, kind: StatementLineKind, rows: Array<{ day: string; fen: number }>, bp: number) => {
    for (const [day, d] of byDay(rows)) addLine(s, { kind, date: dateOfDay(day), basis: d.fen, count: d.count, rate: bp, amountFen: commissionOf(d.fen, bp) })
  }
  const perStore = new Map<string, Array<{ day: string; fen: number }>>()
  const broughtIn = new Map<string, Array<{ day: string; fen: number }>>()
  const perClerk = new Map<string, Array<{ day: string; fen: number }>>()
  for (const f of facts) {
    perStore.set(f.storeId, [...(perStore.get(f.storeId) ?? []), { day: f.paidDay, fen: f.amountFen }])
    if (rules.includeBroughtIn && f.memberFirstStoreId && f.memberFirstStoreId !== f.storeId) {
      broughtIn.set(f.memberFirstStoreId, [...(broughtIn.get(f.memberFirstStoreId) ?? []), { day: f.paidDay, fen: f.amountFen }])
    }
    if (f.badgeClerkOpenid) perClerk.set(f.badgeClerkOpenid, [...(perClerk.get(f.badgeClerkOpenid) ?? []), { day: f.paidDay, fen: f.amountFen }])
  }
  if (rules.storeBp > 0) {
    for (const [storeId, rows] of perStore) salesLines(storeStatement(storeId), 'storeSale', rows, rules.storeBp)
    for (const [storeId, rows] of broughtIn) salesLines(storeStatement(storeId), 'broughtIn', rows, rules.storeBp)
  }
  if (rules.clerkBp > 0) {
    for (const [openid, rows] of perClerk) {
      const clerk = staffOf.get(openid)
      const storeId = clerk?.storeIds?.[0] ?? ''
      salesLines(statementOf(b, 'clerk', openid, clerk?.name ?? '已离职员工', storeId), 'clerkSale', rows, rules.clerkBp)
    }
  }
  if (rules.couponFeeFen > 0 && verifications.length > 0) {
    const templateIds = [...new Set(verifications.map((v) => v.templateId))]
    const templates = await every<CouponTemplateDoc>(db, COLLECTIONS.couponTemplates, { _id: _.in(templateIds) })
    const hq = new Set(templates.filter((t) => t.storeId === null).map((t) => t._id))
    const perStoreFees = new Map<string, Array<{ day: string; fen: number }>>()
    for (const v of verifications) {
      if (!hq.has(v.templateId)) continue
      const day = chinaDay(new Date(v.createdAt))
      perStoreFees.set(v.storeId, [...(perStoreFees.get(v.storeId) ?? []), { day, fen: 0 }])
    }
    for (const [storeId, rows] of perStoreFees) {
      for (const [day, d] of byDay(rows)) addLine(storeStatement(storeId), { kind: 'couponFee', date: dateOfDay(day), basis: d.count, count: d.count, rate: rules.couponFeeFen, amountFen: d.count * rules.couponFeeFen })
    }
  }
  // Adjustments: orders an earlier confirmed settlement paid out, refunded after its confirmation.
  for (const f of refunded) {
    const settled = earlier.find((s) => s.status === 'confirmed' && f.paidDay >= s.fromDay && f.paidDay <= s.toDay)
    if (!settled || !settled.confirmedAt || !f.refundedAt || new Date(f.refundedAt).getTime() <= new Date(settled.confirmedAt).getTime()) continue
    const r = settled.rules
    const adjust = (s: Statement, bp: number) => addLine(s, { kind: 'adjustment', date: dateOfDay(f.refundDay ?? toDay), basis: -f.amountFen, count: 1, rate: bp, amountFen: commissionOf(-f.amountFen, bp), ref: f._id })
    if (r.storeBp > 0) {
      adjust(storeStatement(f.storeId), r.storeBp)
      if (r.includeBroughtIn && f.memberFirstStoreId && f.memberFirstStoreId !== f.storeId) adjust(storeStatement(f.memberFirstStoreId), r.storeBp)
    }
    if (r.clerkBp > 0 && f.badgeClerkOpenid) {
      const clerk = staffOf.get(f.badgeClerkOpenid)
      adjust(statementOf(b, 'clerk', f.badgeClerkOpenid, clerk?.name ?? '已离职员工', clerk?.storeIds?.[0] ?? ''), r.clerkBp)
    }
  }
  return [...b.statements.values()].sort((x, y) => x.key.localeCompare(y.key))
}

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
const settlementIdSchema = z.string().trim().regex(/^st\d{16}$/, '结算单编号格式不正确')

export function settlementSummary(s: SettlementDoc, visible?: (st: Statement) => boolean) {
  const statements = visible ? s.statements.filter(visible) : s.statements
  return {
    id: s._id,
    fromDate: dateOfDay(s.fromDay),
    toDate: dateOfDay(s.toDay),
    status: s.status,
    statusName: s.status === 'confirmed' ? '已确认' : '待确认',
    rules: s.rules,
    totalFen: statements.reduce((sum, st) => sum + st.totalFen, 0),
    statements: statements.map((st) => ({ key: st.key, kind: st.kind, id: st.id, name: st.name, storeId: st.storeId, totalFen: st.totalFen, lines: st.lines.length })),
    createdAt: iso(s.createdAt) ?? '',
    confirmedAt: iso(s.confirmedAt),
  }
}

async function overlapping(db: Database, fromDay: string, toDay: string): Promise<SettlementDoc[]> {
  const _ = db.command
  return list<SettlementDoc>(db.collection(COLLECTIONS.settlements).where({ fromDay: _.lte(toDay), toDay: _.gte(fromDay) }).limit(10))
}

async function confirmedBefore(db: Database, fromDay: string): Promise<SettlementDoc[]> {
  const _ = db.command
  return every<SettlementDoc>(db, COLLECTIONS.settlements, { status: 'confirmed', toDay: _.lt(fromDay) })
}

export const settlementsCreate = defineStaffAction(
  'settlements.create',
  z
    .object({ fromDate: dateSchema, toDate: dateSchema })
    .strict()
    .refine((v) => v.fromDate <= v.toDate, { message: '开始日期不能晚于结束日期' })
    .refine((v) => daysBetween(dayOfDate(v.fromDate), dayOfDate(v.toDate)) <= 92, { message: '结算周期不能超过 92 天' }),
  async (input, ctx) => {
    const now = ctx.now()
    const fromDay = dayOfDate(input.fromDate)
    const toDay = dayOfDate(input.toDate)
    if (toDay >= chinaDay(now)) throw new AppError('INVALID_INPUT', '结算周期须在今天之前结束')
    if ((await overlapping(ctx.db, fromDay, toDay)).length > 0) throw new AppError('CONFLICT', '该周期与已有结算单重叠')
    const rules = await loadCommissionRules(ctx.db)
    const statements = await computeStatements(ctx.db, fromDay, toDay, rules, await confirmedBefore(ctx.db, fromDay))
    const doc: SettlementDoc = {
      _id: `st${fromDay}${toDay}`,
      fromDay,
      toDay,
      status: 'draft',
      rules,
      statements,
      totalFen: statements.reduce((s, st) => s + st.totalFen, 0),
      createdBy: ctx.staff._id,
      createdAt: now,
      updatedAt: now,
      confirmedAt: null,
      confirmedBy: null,
    }
    const line = auditLine(ctx, 'settlements.create', { storeId: null, target: `settlement:${doc._id}`, summary: `生成佣金结算 ${input.fromDate} 至 ${input.toDate}（合计 ¥${(doc.totalFen / 100).toFixed(2)}）` })
    await runTransaction(ctx.db, async (t) => {
      // The period is the id: two concurrent creations of it collide here.
      if (await txGet<SettlementDoc>(t, COLLECTIONS.settlements, doc._id)) throw new AppError('CONFLICT', '该周期与已有结算单重叠')
      const { _id, ...data } = doc
      await t.collection(COLLECTIONS.settlements).doc(_id).set({ data })
      await writeAudit(t, line)
    })
    return { settlement: settlementSummary(doc) }
  },
)

/** Which statements a caller may read: owner and HQ every one; others those of their stores. */
function visibleTo(ctx: StaffActionContext): (st: Statement) => boolean {
  if (seesAllStores(ctx.staff.role)) return () => true
  return (st) => ctx.staff.storeIds.includes(st.storeId)
}

export const settlementsList = defineStaffAction('settlements.list', z.object({}).strict(), async (_input, ctx) => {
  const rows = await list<SettlementDoc>(ctx.db.collection(COLLECTIONS.settlements).orderBy('fromDay', 'desc').limit(50))
  const see = visibleTo(ctx)
  return { settlements: rows.map((s) => settlementSummary(s, see)) }
})

/** One statement (a store's, or a clerk's of that store), with its lines and CSV. */
export const settlementsStatement = defineStaffAction(
  'settlements.statement',
  z.object({ settlementId: settlementIdSchema, storeId: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, '门店编号格式不正确'), key: z.string().max(80).optional() }).strict(),
  {
    target: async (input, ctx) => {
      const settlement = await getDoc<SettlementDoc>(ctx.db, COLLECTIONS.settlements, input.settlementId)
      if (!settlement) throw new AppError('NOT_FOUND', '结算单不存在')
      return { storeId: input.storeId, settlement }
    },
    run: async (input, _ctx, { settlement }) => {
      const key = input.key ?? `store:${input.storeId}`
      const st = settlement.statements.find((s) => s.key === key && s.storeId === input.storeId)
      if (!st) throw new AppError('NOT_FOUND', '该门店在本期没有结算单')
      const header = ['类型', '日期', '计算基数', '笔数', '比例/单价', '金额（元）', '订单']
      const rows = st.lines.map((l) => [
        STATEMENT_LINE_NAMES[l.kind],
        l.date,
        l.kind === 'couponFee' ? String(l.basis) : (l.basis / 100).toFixed(2),
        String(l.count),
        l.kind === 'couponFee' ? `¥${(l.rate / 100).toFixed(2)}/张` : `${l.rate / 100}%`,
        (l.amountFen / 100).toFixed(2),
        l.ref ?? '',
      ])
      const csv = [header, ...rows, ['合计', '', '', '', '', (st.totalFen / 100).toFixed(2), '']].map((r) => r.map(csvCell).join(',')).join('\r\n')
      return {
        settlement: { id: settlement._id, fromDate: dateOfDay(settlement.fromDay), toDate: dateOfDay(settlement.toDay), status: settlement.status, rules: settlement.rules },
        statement: { key: st.key, kind: st.kind, name: st.name, storeId: st.storeId, totalFen: st.totalFen, lines: st.lines.map((l) => ({ ...l, kindName: STATEMENT_LINE_NAMES[l.kind] })) },
        csv,
      }
    },
  },
)

/** HQ confirms: recomputed from the facts at this moment under the settlement's rules, then frozen. */
export const settlementsConfirm = defineStaffAction('settlements.confirm', z.object({ settlementId: settlementIdSchema }).strict(), async (input, ctx) => {
  const now = ctx.now()
  const read = await getDoc<SettlementDoc>(ctx.db, COLLECTIONS.settlements, input.settlementId)
  if (!read) throw new AppError('NOT_FOUND', '结算单不存在')
  if (read.status === 'confirmed') throw new AppError('INVALID_TRANSITION', '该结算单已确认')
  const statements = await computeStatements(ctx.db, read.fromDay, read.toDay, read.rules, await confirmedBefore(ctx.db, read.fromDay))
  const totalFen = statements.reduce((s, st) => s + st.totalFen, 0)
  const line = auditLine(ctx, 'settlements.confirm', { storeId: null, target: `settlement:${read._id}`, summary: `确认佣金结算 ${dateOfDay(read.fromDay)} 至 ${dateOfDay(read.toDay)}（合计 ¥${(totalFen / 100).toFixed(2)}）` })
  await runTransaction(ctx.db, async (t) => {
    const current = await txGet<SettlementDoc>(t, COLLECTIONS.settlements, read._id)
    if (!current) throw new AppError('NOT_FOUND', '结算单不存在')
    if (current.status !== 'draft') throw new AppError('INVALID_TRANSITION', '该结算单已确认')
    await t.collection(COLLECTIONS.settlements).doc(read._id).update({ data: { status: 'confirmed', statements, totalFen, confirmedAt: now, confirmedBy: ctx.staff._id, updatedAt: now } })
    await writeAudit(t, line)
  })
  const doc = await getDoc<SettlementDoc>(ctx.db, COLLECTIONS.settlements, read._id)
  if (!doc) throw new AppError('NOT_FOUND', '结算单不存在')
  return { settlement: settlementSummary(doc) }
})
