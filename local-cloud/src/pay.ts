import crypto from 'crypto'
import path from 'path'
import { JsonFile } from './json-file'
import type { Logger } from './logger'
import { paramRefusal } from './pay-params'
import { isAcknowledged, newNotifyState, resultOf, type CallbackOutcome, type Delivery, type NotifyState } from './pay-notify'
import { textOf } from './text'

export { DEFAULT_RETRY_DELAYS_MS } from './pay-notify'
export type { CallbackOutcome, Delivery, NotifyState } from './pay-notify'

/**
 * WeChat Pay simulation for `cloud.cloudPay.*` (action wx.wxPayApi, docs/cloud-protocol.md §6) and the HTTP
 * "the user paid" switch. Orders persist in `<dataDir>/_pay_orders.json`.
 *
 * Refund callbacks are delivered right after the refund reply (asynchronously, as the real
 * service does), and can be delivered again on demand with POST /pay/refunds/<no>/succeed.
 * A callback not answered `{ errcode: 0 }` is delivered again on the retry schedule
 * (pay-notify.ts) until it is; every delivery and reply is kept on the order.
 *
 * What a bad day at WeChat Pay looks like, on demand (the hooks of reconciliation tests): a
 * payment whose notification is dropped (`pay(no, { notify: false })`), a refund started in the
 * merchant platform (`refundOutside`), a refund that fails after it was accepted (`failRefund`),
 * and the simulator's clock moved forward (`advanceClock`) for WeChat's time rules.
 */
export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND'

/** WeChat Pay v2 refund statuses: SUCCESS, PROCESSING, CHANGE (退款异常), REFUNDCLOSE (退款关闭). */
export type RefundStatus = 'SUCCESS' | 'PROCESSING' | 'CHANGE' | 'REFUNDCLOSE'

/** closeOrder no sooner than this after the order (WeChat Pay v2: 订单生成后不能马上调用关单接口，最短调用时间间隔为5分钟). */
export const CLOSE_MIN_AGE_MS = 5 * 60_000

export interface PayRefund {
  outRefundNo: string
  refundId: string
  refundFee: number
  totalFee: number
  functionName?: string
  status: RefundStatus
  /** API: asked for through cloudPay.refund; VENDOR_PLATFORM: started in the merchant platform (not in the app). */
  source: 'API' | 'VENDOR_PLATFORM'
  createdAt: string
  /** When it succeeded (yyyy-MM-dd HH:mm:ss, China time); absent while it is not SUCCESS. */
  successTime?: string
  /** The refund-result callback's deliveries for the current status (absent without a functionName). */
  notify?: NotifyState
  /** Notifications of earlier statuses (a refund that failed after it succeeded, then was asked again). */
  earlierNotifies?: { status: RefundStatus; notify: NotifyState }[]
}

export interface PayOrder {
  outTradeNo: string
  body: string
  totalFee: number
  /** The payer: the OPENID of the function that placed the order. */
  openid: string
  appid: string
  mchId: string
  subAppid: string
  subMchId: string
  envId: string
  functionName?: string
  tradeType: string
  nonceStr: string
  prepayId: string
  attach?: string
  state: TradeState
  transactionId?: string
  timeEnd?: string
  createdAt: string
  paidAt?: string
  /** Which function and invocation placed the order (for debugging). */
  createdBy?: string
  refunds: PayRefund[]
  /** The payment callback's deliveries, once the order is paid. */
  notify?: NotifyState
}

/** What the HTTP routes list per delivery: the function's answer, or how it failed. */
export type CallbackResult = unknown

export interface PayDeps {
  dataDir: string
  appid: string
  logger: Logger
  /** Invokes a function with SOURCE wx_paycallback as `openid`. */
  invokeCallback(functionName: string, event: Record<string, unknown>, openid: string): Promise<CallbackOutcome>
  /** Delays before each scheduled redelivery of an unacknowledged callback; [] turns it off. */
  retryDelaysMs: readonly number[]
  /** closeOrder refuses orders younger than this (WeChat: CLOSE_MIN_AGE_MS; 0 = off). */
  closeMinAgeMs?: number
}

/** One notification to deliver: a payment's, or one refund's. */
interface Notification {
  key: string
  functionName: string
  openid: string
  state: NotifyState
  event(): Record<string, unknown>
}

type Trigger = Delivery['trigger']

/** Who called a cloudPay API: found from the invocation token, else from the params. */
export interface PayCaller {
  openid: string
  functionName?: string
}

/** The service provider's ids the simulated WeChat Pay answers with. */
export const SIM_SP_APPID = 'wxd678efh567hg6787'
export const SIM_SP_MCH_ID = '1230000109'

type Params = Record<string, unknown>
type Reply = Record<string, unknown>

export class PayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export class PaySimulator {
  private readonly store: JsonFile<{ orders: Record<string, PayOrder> }>
  private readonly background = new Set<Promise<unknown>>()
  /** Each notification's one redelivery chain: its timer, or 'running' while it delivers. */
  private readonly retries = new Map<string, NodeJS.Timeout | 'running'>()
  private closed = false
  /** How far the simulator's clock runs ahead of the real one (advanceClock). */
  private clockOffsetMs = 0

  constructor(private readonly deps: PayDeps) {
    this.store = new JsonFile(path.join(deps.dataDir, '_pay_orders.json'), () => ({ orders: {} }))
  }

  order(outTradeNo: string): PayOrder | undefined {
    return this.store.data.orders[outTradeNo]
  }

  orders(): PayOrder[] {
    return Object.values(this.store.data.orders)
  }

  /** The simulator's clock: the real one, moved forward by advanceClock. */
  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs)
  }

  /** Moves the simulator's clock forward (for WeChat's time rules, e.g. closeOrder's 5 minutes). */
  advanceClock(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new PayError(400, 'INVALID_CLOCK', 'advanceMs must be a non-negative number')
    this.clockOffsetMs += ms
    return this.now()
  }

  /**
   * Resumes the redeliveries a previous run left pending (WeChat keeps delivering while the
   * merchant's server is down). Called once the server can serve the callbacks' SDK calls.
   */
  start(): void {
    const now = Date.now()
    for (const order of this.orders()) {
      const targets = [this.payNotification(order), ...order.refunds.map((r) => this.refundNotification(order, r))]
      for (const t of targets) {
        if (!t || t.state.acknowledged || t.state.exhausted || t.state.deliveries.length === 0) continue
        // Due as planned, or sooner if this run's schedule is faster.
        const planned = t.state.nextRetryAt ? Date.parse(t.state.nextRetryAt) - now : 0
        const delay = Math.min(Number.isFinite(planned) ? planned : 0, this.deps.retryDelaysMs[t.state.retries] ?? 0)
        this.scheduleRetry(t, Math.max(0, delay))
      }
    }
  }

  /** Handles one cloudPay API; answers WeChat Pay's snake_case result (TCB errors as `{code, message}`). */
  async handleApi(apiName: string, params: Params, caller: PayCaller): Promise<Reply> {
    const refusal = paramRefusal(apiName, params)
    if (refusal) {
      this.deps.logger.warn(`cloudPay.${apiName} refused as WeChat Pay would: ${refusal}`)
      return { return_code: 'FAIL', return_msg: refusal }
    }
    switch (apiName) {
      case 'unifiedOrder':
        return this.unifiedOrder(params, caller)
      case 'queryOrder':
        return this.queryOrder(params)
      case 'closeOrder':
        return this.closeOrder(params)
      case 'refund':
        return this.refund(params)
      case 'queryRefund':
        return this.queryRefund(params)
      default:
        return { code: 'INVALID_PARAM', message: `cloudPay.${apiName} is not simulated by the local cloud` }
    }
  }

  /**
   * "The user paid": marks the order paid and delivers the callback `times` times. `notify:
   * false` drops the notification (a payment whose callback never arrives): nothing is
   * delivered and nothing is scheduled; a later pay() delivers it as the first delivery.
   */
  async pay(outTradeNo: string, opts: { times?: number; concurrent?: boolean; notify?: boolean } = {}): Promise<{ order: PayOrder; results: CallbackResult[] }> {
    const order = this.order(outTradeNo)
    if (!order) throw new PayError(404, 'ORDER_NOT_FOUND', `no pay order ${outTradeNo}`)
    if (order.state === 'CLOSED') throw new PayError(409, 'ORDER_CLOSED', `order ${outTradeNo} is closed`)
    if (order.state === 'NOTPAY') {
      const now = this.now()
      await this.store.update(() => {
        order.state = 'SUCCESS'
        order.transactionId = `4200${digits(24)}`
        order.timeEnd = wechatTime(now)
        order.paidAt = now.toISOString()
      })
    }
    if (opts.notify === false) return { order, results: [] }
    const target = this.payNotification(order)
    const results = target ? await this.deliverMany(target, opts) : []
    return { order, results }
  }

  /**
   * A refund started in WeChat Pay's merchant platform (not through cloudPay.refund): WeChat
   * numbers it, and its result notification goes where the order's payment notification went,
   * with refundRequestSource VENDOR_PLATFORM. Whole order unless `refundFee` says less.
   */
  async refundOutside(outTradeNo: string, opts: { refundFee?: number } = {}): Promise<{ order: PayOrder; refund: PayRefund }> {
    const order = this.order(outTradeNo)
    if (!order) throw new PayError(404, 'ORDER_NOT_FOUND', `no pay order ${outTradeNo}`)
    if (order.state !== 'SUCCESS' && order.state !== 'REFUND') throw new PayError(409, 'TRADE_STATE_ERROR', `order ${outTradeNo} is ${order.state}, not paid`)
    const refunded = this.refundedFee(order)
    const refundFee = opts.refundFee ?? order.totalFee - refunded
    if (!Number.isSafeInteger(refundFee) || refundFee <= 0 || refunded + refundFee > order.totalFee) throw new PayError(409, 'NOTENOUGH', '退款金额大于支付金额')
    const now = this.now()
    const refund: PayRefund = {
      outRefundNo: `${digits(20)}`,
      refundId: `5030${digits(24)}`,
      refundFee,
      totalFee: order.totalFee,
      functionName: order.functionName,
      status: 'SUCCESS',
      source: 'VENDOR_PLATFORM',
      createdAt: now.toISOString(),
      successTime: chinaTime(now),
    }
    await this.store.update(() => {
      order.refunds.push(refund)
      order.state = 'REFUND'
    })
    this.notifyRefundSoon(order, refund)
    return { order, refund }
  }

  /**
   * A refund WeChat accepted fails afterwards: CHANGE (退款异常, e.g. the payer's card was
   * cancelled) or REFUNDCLOSE (退款关闭). The money stays with the merchant, the trade is paid
   * again unless another refund succeeded, and the new status is notified (redelivered until
   * acknowledged). Asking cloudPay.refund again with the same out_refund_no starts it over.
   */
  async failRefund(outRefundNo: string, status: 'CHANGE' | 'REFUNDCLOSE' = 'CHANGE'): Promise<{ order: PayOrder; refund: PayRefund }> {
    const found = this.findRefund(outRefundNo)
    if (!found) throw new PayError(404, 'REFUND_NOT_FOUND', `no refund ${outRefundNo}`)
    const { order, refund } = found
    if (refund.status !== 'SUCCESS' && refund.status !== 'PROCESSING') throw new PayError(409, 'REFUND_NOT_ACTIVE', `refund ${outRefundNo} is ${refund.status}`)
    this.cancelRetry(this.refundKey(refund))
    await this.store.update(() => {
      if (refund.notify) (refund.earlierNotifies ??= []).push({ status: refund.status, notify: refund.notify })
      delete refund.notify
      refund.status = status
      delete refund.successTime
      if (!order.refunds.some((r) => r.status === 'SUCCESS' || r.status === 'PROCESSING')) order.state = 'SUCCESS'
    })
    this.notifyRefundSoon(order, refund)
    return { order, refund }
  }

  /** After the reply or the hook, like the real service; close() waits for it. */
  private notifyRefundSoon(order: PayOrder, refund: PayRefund): void {
    const target = this.refundNotification(order, refund)
    if (target) this.track(new Promise((r) => setImmediate(r)).then(() => this.deliverOnce(target, 'first')))
  }

  private refundedFee(order: PayOrder): number {
    return order.refunds.filter((r) => r.status === 'SUCCESS' || r.status === 'PROCESSING').reduce((sum, r) => sum + r.refundFee, 0)
  }

  /** One chain per refund and status (a failure after success is a new notification). */
  private refundKey(refund: PayRefund): string {
    return `refund:${refund.outRefundNo}:${refund.earlierNotifies?.length ?? 0}`
  }

  /** Delivers the refund callback again (`times` times). */
  async refundCallback(outRefundNo: string, opts: { times?: number; concurrent?: boolean } = {}): Promise<{ refund: PayRefund; results: CallbackResult[] }> {
    const found = this.findRefund(outRefundNo)
    if (!found) throw new PayError(404, 'REFUND_NOT_FOUND', `no refund ${outRefundNo}`)
    const { order, refund } = found
    const target = this.refundNotification(order, refund)
    const results = target ? await this.deliverMany(target, opts) : []
    return { refund, results }
  }

  /** Stops the schedule, waits for callbacks still being delivered, then for the last write. */
  async close(): Promise<void> {
    this.closed = true
    for (const timer of this.retries.values()) if (timer !== 'running') clearTimeout(timer)
    this.retries.clear()
    await Promise.allSettled([...this.background])
    await this.store.flush()
  }

  private payNotification(order: PayOrder): Notification | undefined {
    if (!order.functionName || order.state === 'NOTPAY' || order.state === 'CLOSED') return undefined
    const functionName = order.functionName
    order.notify ??= newNotifyState()
    const state = order.notify
    return { key: `pay:${order.outTradeNo}`, functionName, openid: order.openid, state, event: () => this.payEvent(order) }
  }

  private refundNotification(order: PayOrder, refund: PayRefund): Notification | undefined {
    if (!refund.functionName) return undefined
    const functionName = refund.functionName
    refund.notify ??= newNotifyState()
    const state = refund.notify
    return { key: this.refundKey(refund), functionName, openid: order.openid, state, event: () => this.refundEvent(order, refund) }
  }

  /** Deliveries asked for over HTTP: the first one ever is the notification itself. */
  private deliverMany(t: Notification, opts: { times?: number; concurrent?: boolean }): Promise<CallbackResult[]> {
    const firstEver = t.state.deliveries.length === 0
    return deliver(opts, (i) => this.deliverOnce(t, firstEver && i === 0 ? 'first' : 'replay').then(resultOf))
  }

  /**
   * One delivery, judged: acknowledged ends the schedule; anything else starts it unless it is
   * already running (a scheduled redelivery schedules its successor itself).
   */
  private async deliverOnce(t: Notification, trigger: Trigger): Promise<CallbackOutcome> {
    let outcome: CallbackOutcome
    try {
      outcome = await this.deps.invokeCallback(t.functionName, t.event(), t.openid)
    } catch (err) {
      outcome = { ok: false, code: 'DELIVERY_FAILED', message: (err as Error).message }
    }
    const acknowledged = isAcknowledged(outcome)
    const delivery: Delivery = {
      n: t.state.deliveries.length + 1,
      at: new Date().toISOString(),
      trigger,
      acknowledged,
      ...(outcome.ok ? { reply: outcome.reply } : { error: { code: outcome.code, message: outcome.message } }),
    }
    this.persist(() => {
      t.state.deliveries.push(delivery)
      if (acknowledged) {
        t.state.acknowledged = true
        delete t.state.nextRetryAt
      }
    })
    if (acknowledged) {
      this.cancelRetry(t.key)
    } else {
      const answer = outcome.ok ? JSON.stringify(outcome.reply) : `${outcome.code}: ${outcome.message}`
      this.deps.logger.warn(`${t.key} callback ${t.functionName} answered ${answer}; not { errcode: 0 }, so WeChat delivers it again`)
      if (trigger !== 'retry') this.scheduleRetry(t)
    }
    return outcome
  }

  /** Schedules the next redelivery unless one is pending, the callback was acknowledged, or the schedule is used up. */
  private scheduleRetry(t: Notification, delayOverride?: number): void {
    if (this.closed || t.state.acknowledged || this.retries.has(t.key)) return
    const delays = this.deps.retryDelaysMs
    if (t.state.retries >= delays.length) {
      if (delays.length > 0 && !t.state.exhausted) {
        this.persist(() => (t.state.exhausted = true))
        this.deps.logger.warn(`${t.key}: ${delays.length} redeliveries, none answered { errcode: 0 }; WeChat stops delivering`)
      }
      return
    }
    const delay = Math.max(0, delayOverride ?? delays[t.state.retries])
    this.persist(() => (t.state.nextRetryAt = new Date(Date.now() + delay).toISOString()))
    const timer = setTimeout(() => {
      this.retries.set(t.key, 'running')
      this.track(this.redeliver(t))
    }, delay)
    this.retries.set(t.key, timer)
  }

  /** The chain's next link: deliver, then schedule the one after unless acknowledged. */
  private async redeliver(t: Notification): Promise<void> {
    try {
      if (this.closed || t.state.acknowledged) return
      this.persist(() => {
        t.state.retries += 1
        delete t.state.nextRetryAt
      })
      await this.deliverOnce(t, 'retry')
    } finally {
      this.retries.delete(t.key)
    }
    this.scheduleRetry(t)
  }

  /** A pending timer is dropped; a redelivery already running finishes and sees the acknowledgement. */
  private cancelRetry(key: string): void {
    const timer = this.retries.get(key)
    if (timer === undefined || timer === 'running') return
    clearTimeout(timer)
    this.retries.delete(key)
  }

  /** Keeps a background delivery for close() to wait on. */
  private track(work: Promise<unknown>): void {
    const tracked = work.catch((err: Error) => this.deps.logger.warn(`pay callback delivery failed: ${err.message}`))
    this.background.add(tracked)
    void tracked.finally(() => this.background.delete(tracked))
  }

  /** Applies a change now; the write follows (close() waits for it). */
  private persist(change: () => unknown): void {
    this.store.update(() => void change()).catch((err: Error) => this.deps.logger.warn(`pay orders not saved: ${err.message}`))
  }

  private base(order: Pick<PayOrder, 'subMchId' | 'subAppid'>): Reply {
    return {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      appid: SIM_SP_APPID,
      mch_id: SIM_SP_MCH_ID,
      sub_appid: order.subAppid,
      sub_mch_id: order.subMchId,
      nonce_str: nonce(),
      sign: 'LOCALSIGN',
    }
  }

  private fail(params: Params, errCode: string, des: string): Reply {
    return {
      ...this.base({ subMchId: str(params.sub_mch_id), subAppid: this.deps.appid }),
      result_code: 'FAIL',
      err_code: errCode,
      err_code_des: des,
    }
  }

  private async unifiedOrder(p: Params, caller: PayCaller): Promise<Reply> {
    // Parameters were checked by paramRefusal (pay-params.ts).
    const outTradeNo = str(p.out_trade_no)
    const totalFee = p.total_fee as number
    const existing = this.order(outTradeNo)
    if (existing && existing.state !== 'NOTPAY') {
      return this.fail(p, existing.state === 'CLOSED' ? 'ORDERCLOSED' : 'ORDERPAID', '该订单已支付或已关闭')
    }
    if (existing && existing.totalFee !== totalFee) return this.fail(p, 'INVALID_REQUEST', '201 商户订单号重复')
    const order: PayOrder = existing ?? {
      outTradeNo,
      body: str(p.body),
      totalFee,
      openid: caller.openid || str(p.sub_openid) || str(p.openid),
      appid: SIM_SP_APPID,
      mchId: SIM_SP_MCH_ID,
      subAppid: str(p.sub_appid) || this.deps.appid,
      subMchId: str(p.sub_mch_id),
      envId: str(p.env_id),
      functionName: str(p.function_name) || undefined,
      tradeType: str(p.trade_type) || 'JSAPI',
      nonceStr: str(p.nonce_str) || nonce(),
      prepayId: `wx${wechatTime(this.now())}${digits(18)}`,
      attach: p.attach === undefined ? undefined : str(p.attach),
      state: 'NOTPAY',
      createdAt: this.now().toISOString(),
      createdBy: caller.functionName,
      refunds: [],
    }
    if (!existing) await this.store.update((s) => (s.orders[outTradeNo] = order))
    const timeStamp = String(Math.floor(Date.now() / 1000))
    const nonceStr = nonce()
    return {
      ...this.base(order),
      result_code: 'SUCCESS',
      trade_type: order.tradeType,
      prepay_id: order.prepayId,
      // camelCase on purpose: exactly the fields wx.requestPayment takes (docs/cloud-protocol.md §6).
      payment: {
        appId: order.subAppid,
        timeStamp,
        nonceStr,
        package: `prepay_id=${order.prepayId}`,
        signType: 'MD5',
        paySign: md5(`${order.subAppid}${timeStamp}${nonceStr}${order.prepayId}`).toUpperCase(),
      },
    }
  }

  private queryOrder(p: Params): Reply {
    const order = this.lookup(p)
    if (!order) return this.fail(p, 'ORDERNOTEXIST', '订单不存在')
    const paid = order.state !== 'NOTPAY' && order.state !== 'CLOSED'
    return {
      ...this.base(order),
      result_code: 'SUCCESS',
      openid: order.openid,
      sub_openid: order.openid,
      is_subscribe: 'N',
      trade_type: order.tradeType,
      trade_state: order.state,
      bank_type: paid ? 'OTHERS' : undefined,
      total_fee: order.totalFee,
      fee_type: 'CNY',
      cash_fee: paid ? order.totalFee : undefined,
      transaction_id: order.transactionId,
      out_trade_no: order.outTradeNo,
      attach: order.attach,
      time_end: order.timeEnd,
      trade_state_desc: TRADE_STATE_DESC[order.state],
    }
  }

  private async closeOrder(p: Params): Promise<Reply> {
    const order = this.lookup(p)
    if (!order) return this.fail(p, 'ORDERNOTEXIST', '订单不存在')
    if (order.state === 'SUCCESS' || order.state === 'REFUND') return this.fail(p, 'ORDERPAID', '订单已支付，不能发起关单')
    if (order.state === 'NOTPAY' && this.now().getTime() - Date.parse(order.createdAt) < (this.deps.closeMinAgeMs ?? 0)) {
      // WeChat documents the rule but no code of its own for it; SYSTEMERROR is its generic one.
      return this.fail(p, 'SYSTEMERROR', '订单生成后不能马上调用关单接口，最短调用时间间隔为5分钟')
    }
    await this.store.update(() => (order.state = 'CLOSED'))
    return { ...this.base(order), result_code: 'SUCCESS' }
  }

  private async refund(p: Params): Promise<Reply> {
    const order = this.lookup(p)
    if (!order) return this.fail(p, 'ORDERNOTEXIST', '订单不存在')
    const outRefundNo = str(p.out_refund_no)
    const refundFee = p.refund_fee as number
    let refund = order.refunds.find((r) => r.outRefundNo === outRefundNo)
    if (refund && (refund.status === 'CHANGE' || refund.status === 'REFUNDCLOSE')) {
      // 一笔退款失败后重新提交，请使用原商户退款单号: the same number starts the refund over.
      if (this.refundedFee(order) + refund.refundFee > order.totalFee) return this.fail(p, 'NOTENOUGH', '退款金额大于支付金额')
      const again = refund
      const now = this.now()
      await this.store.update(() => {
        if (again.notify) (again.earlierNotifies ??= []).push({ status: again.status, notify: again.notify })
        delete again.notify
        again.status = 'SUCCESS'
        again.successTime = chinaTime(now)
        order.state = 'REFUND'
      })
      this.notifyRefundSoon(order, again)
    }
    if (!refund) {
      if (order.state !== 'SUCCESS' && order.state !== 'REFUND') return this.fail(p, 'TRADE_STATE_ERROR', '订单状态错误')
      // WeChat checks total_fee against the order it has.
      if (p.total_fee !== order.totalFee) return this.fail(p, 'PARAM_ERROR', '订单金额或退款金额与之前请求不一致，请核实后再试')
      const refunded = this.refundedFee(order)
      if (refunded + refundFee > order.totalFee) return this.fail(p, 'NOTENOUGH', '退款金额大于支付金额')
      const now = this.now()
      const created: PayRefund = {
        outRefundNo,
        refundId: `5030${digits(24)}`,
        refundFee,
        totalFee: order.totalFee,
        functionName: str(p.function_name) || undefined,
        status: 'SUCCESS',
        source: 'API',
        createdAt: now.toISOString(),
        successTime: chinaTime(now),
      }
      await this.store.update(() => {
        order.refunds.push(created)
        order.state = 'REFUND'
      })
      refund = created
      this.notifyRefundSoon(order, created)
    }
    return {
      ...this.base(order),
      result_code: 'SUCCESS',
      transaction_id: order.transactionId,
      out_trade_no: order.outTradeNo,
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      refund_fee: refund.refundFee,
      total_fee: order.totalFee,
      cash_fee: order.totalFee,
      refund_channel: '',
      coupon_refund_fee: 0,
      cash_refund_fee: refund.refundFee,
    }
  }

  private queryRefund(p: Params): Reply {
    const outRefundNo = str(p.out_refund_no)
    const found = outRefundNo ? this.findRefund(outRefundNo) : undefined
    const order = found?.order ?? this.lookup(p)
    const refunds = found ? [found.refund] : (order?.refunds ?? [])
    if (!order || refunds.length === 0) return this.fail(p, 'REFUNDNOTEXIST', '退款订单查询失败')
    const reply: Reply = {
      ...this.base(order),
      result_code: 'SUCCESS',
      transaction_id: order.transactionId,
      out_trade_no: order.outTradeNo,
      total_fee: order.totalFee,
      cash_fee: order.totalFee,
      refund_count: refunds.length,
    }
    refunds.forEach((r, i) => {
      reply[`out_refund_no_${i}`] = r.outRefundNo
      reply[`refund_id_${i}`] = r.refundId
      reply[`refund_fee_${i}`] = r.refundFee
      reply[`refund_status_${i}`] = r.status
      if (r.successTime) reply[`refund_success_time_${i}`] = r.successTime
      reply[`refund_recv_accout_${i}`] = '支付用户的零钱'
    })
    return reply
  }

  private lookup(p: Params): PayOrder | undefined {
    const outTradeNo = str(p.out_trade_no)
    if (outTradeNo) return this.order(outTradeNo)
    const transactionId = str(p.transaction_id)
    return transactionId ? this.orders().find((o) => o.transactionId === transactionId) : undefined
  }

  private findRefund(outRefundNo: string): { order: PayOrder; refund: PayRefund } | undefined {
    for (const order of this.orders()) {
      const refund = order.refunds.find((r) => r.outRefundNo === outRefundNo)
      if (refund) return { order, refund }
    }
    return undefined
  }

  /** The fields every WeChat Pay notification starts with. */
  private notifyHeader(order: PayOrder): Record<string, unknown> {
    return { returnCode: 'SUCCESS', appid: order.appid, mchId: order.mchId, subAppid: order.subAppid, subMchId: order.subMchId, nonceStr: nonce() }
  }

  /** The payment result callback event, camelCase as the cloud delivers it. */
  private payEvent(order: PayOrder): Record<string, unknown> {
    return {
      ...this.notifyHeader(order),
      resultCode: 'SUCCESS',
      openid: order.openid,
      isSubscribe: 'N',
      subOpenid: order.openid,
      subIsSubscribe: 'N',
      tradeType: order.tradeType,
      bankType: 'OTHERS',
      totalFee: order.totalFee,
      feeType: 'CNY',
      cashFee: order.totalFee,
      transactionId: order.transactionId,
      outTradeNo: order.outTradeNo,
      ...(order.attach !== undefined ? { attach: order.attach } : {}),
      timeEnd: order.timeEnd,
    }
  }

  /** The refund result callback event: WeChat's fields with the decrypted req_info, camelCase. */
  private refundEvent(order: PayOrder, refund: PayRefund): Record<string, unknown> {
    return {
      ...this.notifyHeader(order),
      reqInfo: {
        transactionId: order.transactionId,
        outTradeNo: order.outTradeNo,
        refundId: refund.refundId,
        outRefundNo: refund.outRefundNo,
        totalFee: order.totalFee,
        settlementTotalFee: order.totalFee,
        refundFee: refund.refundFee,
        settlementRefundFee: refund.refundFee,
        refundStatus: refund.status,
        ...(refund.successTime ? { successTime: refund.successTime } : {}),
        refundRecvAccout: '支付用户的零钱',
        refundAccount: 'REFUND_SOURCE_RECHARGE_FUNDS',
        refundRequestSource: refund.source ?? 'API',
      },
    }
  }
}

const TRADE_STATE_DESC: Record<TradeState, string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  CLOSED: '订单已关闭',
  REFUND: '订单发生过退款',
}

async function deliver<T>(opts: { times?: number; concurrent?: boolean }, once: (i: number) => Promise<T>): Promise<T[]> {
  const times = Math.max(1, Math.min(1000, Math.floor(opts.times ?? 1)))
  if (opts.concurrent) return Promise.all(Array.from({ length: times }, (_, i) => once(i)))
  const results: T[] = []
  for (let i = 0; i < times; i++) results.push(await once(i))
  return results
}

function str(v: unknown): string {
  return textOf(v)
}

function nonce(): string {
  return crypto.randomBytes(16).toString('hex')
}

function digits(n: number): string {
  let s = ''
  while (s.length < n) s += crypto.randomInt(0, 1e9).toString().padStart(9, '0')
  return s.slice(0, n)
}

function md5(text: string): string {
  return crypto.createHash('md5').update(text).digest('hex')
}

/** yyyyMMddHHmmss in China Standard Time, WeChat Pay's time_end format. */
export function wechatTime(d: Date): string {
  return chinaTime(d).replace(/[-: ]/g, '')
}

/** yyyy-MM-dd HH:mm:ss in China Standard Time. */
function chinaTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}
