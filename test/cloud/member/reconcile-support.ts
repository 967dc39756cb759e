/** Shared steps of the reconciliation tests (test/cloud/member/reconcile*.test.ts). */
import { COLLECTIONS } from '../../../cloudfunctions/shared/collections'
import { get, post } from '../local-cloud/helpers'
import type { AppCloud } from '../support/app-cloud'

export const MIN = 60_000

export async function placeOrder(app: AppCloud, openid: string, amountFen: number, storeId = 'store-rc'): Promise<string> {
  const res = await app.call('member', 'createOrder', { storeId, amountFen }, openid)
  if (!res.ok) throw new Error(`createOrder: ${res.code} ${res.message}`)
  return res.data.outTradeNo
}

/** The order as our database has it. */
export async function stored(app: AppCloud, outTradeNo: string): Promise<any> {
  return (await app.db.collection(COLLECTIONS.orders).doc(outTradeNo).get()).data
}

/** The order as the simulated WeChat Pay has it. */
export async function atWechat(app: AppCloud, outTradeNo: string): Promise<any> {
  const res = await get(`${app.lc.url}/pay/orders/${outTradeNo}`)
  return res.status === 200 ? res.body.order : null
}

/** Makes our order `ms` older (the function judges age by its createdAt against the server clock). */
export async function age(app: AppCloud, outTradeNo: string, ms: number): Promise<void> {
  await app.db.collection(COLLECTIONS.orders).doc(outTradeNo).update({ data: { createdAt: new Date(Date.now() - ms) } })
}

/** Moves the simulated WeChat Pay's clock forward (its own time rules: closeOrder's 5 minutes). */
export async function advanceWechatClock(app: AppCloud, ms: number): Promise<void> {
  const res = await post(`${app.lc.url}/pay/clock`, { advanceMs: ms })
  if (res.status !== 200) throw new Error(JSON.stringify(res.body))
}

/** The user pays and WeChat's notification is lost on the way. */
export async function payWithoutCallback(app: AppCloud, outTradeNo: string): Promise<void> {
  const results = await app.pay(outTradeNo, { notify: false })
  if (results.length !== 0) throw new Error(`a callback was delivered: ${JSON.stringify(results)}`)
}

/** One pass of the member function's reconciliation timer. */
export function runJob(app: AppCloud): Promise<any> {
  return app.lc.runTimer('member', 'reconcilePayments')
}

/** Waits for a condition on the simulated WeChat order. */
export async function untilWechat(app: AppCloud, outTradeNo: string, ok: (o: any) => boolean, ms = 20_000): Promise<any> {
  const end = Date.now() + ms
  for (;;) {
    const o = await atWechat(app, outTradeNo)
    if (o && ok(o)) return o
    if (Date.now() > end) throw new Error(`timed out: ${JSON.stringify(o)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export async function ledgerOf(app: AppCloud, openid: string): Promise<any[]> {
  return (await app.db.collection(COLLECTIONS.pointsLedger).where({ memberId: `m_${openid}` }).limit(1000).get()).data
}

/** Everything of the database, to show a step changed nothing. */
export async function snapshotOf(app: AppCloud, collections: string[]): Promise<string> {
  const parts = await Promise.all(collections.map(async (c) => (await app.db.collection(c).limit(1000).get()).data.sort((a: any, b: any) => String(a._id).localeCompare(String(b._id)))))
  return JSON.stringify(parts)
}
