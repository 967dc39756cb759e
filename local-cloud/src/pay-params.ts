import net from 'net'

/**
 * What WeChat Pay (through cloudPay) requires of each API's parameters, and how it refuses a call
 * that lacks one or has a malformed one. Names are snake_case: the SDK converts the caller's
 * camelCase before sending (docs/cloud-protocol.md §6).
 *
 * Required fields are the "必填: 是" rows of the CloudPay.unifiedOrder / refund / queryOrder /
 * closeOrder / queryRefund docs (envId and functionName included: the callback's environment
 * and function). A refusal is WeChat's protocol-level answer `{return_code:'FAIL', return_msg}`,
 * which the SDK hands back without throwing as `{returnCode:'FAIL', returnMsg, errCode:0,
 * errMsg:'cloudPay.<api>:ok'}`. Texts: `缺少参数` (WeChat's own, which names nothing; we add the
 * field), `受理机构必须传入sub_mch_id` (what cloudPay answers without a sub-merchant id) and
 * `invalid <field>` (WeChat's answer to e.g. a fractional total_fee).
 */
export type PayParams = Record<string, unknown>

interface ApiRules {
  required: string[]
  /** At least one of each group must be present (e.g. transaction_id or out_trade_no). */
  oneOf?: string[][]
}

const RULES: Record<string, ApiRules> = {
  unifiedOrder: { required: ['body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'sub_mch_id', 'nonce_str', 'env_id', 'function_name'] },
  refund: {
    required: ['sub_mch_id', 'nonce_str', 'out_refund_no', 'total_fee', 'refund_fee', 'env_id', 'function_name'],
    oneOf: [['transaction_id', 'out_trade_no']],
  },
  queryOrder: { required: ['sub_mch_id', 'nonce_str'], oneOf: [['transaction_id', 'out_trade_no']] },
  closeOrder: { required: ['sub_mch_id', 'out_trade_no', 'nonce_str'] },
  queryRefund: { required: ['sub_mch_id', 'nonce_str'], oneOf: [['transaction_id', 'out_trade_no', 'out_refund_no', 'refund_id']] },
}

/** Format of a field when present: false = malformed. */
const FORMATS: Record<string, (v: unknown) => boolean> = {
  // cloudPay docs: "要求32个字符内，只能是数字、大小写字母_-".
  out_trade_no: (v) => typeof v === 'string' && /^[0-9A-Za-z_-]{1,32}$/.test(v),
  out_refund_no: (v) => typeof v === 'string' && /^[0-9A-Za-z_\-|*@]{1,64}$/.test(v),
  transaction_id: (v) => typeof v === 'string' && /^[0-9A-Za-z]{1,32}$/.test(v),
  refund_id: (v) => typeof v === 'string' && /^[0-9A-Za-z]{1,32}$/.test(v),
  // "只能为整数", in fen; a number, as the docs type it (Int).
  total_fee: positiveFen,
  refund_fee: positiveFen,
  sub_mch_id: (v) => typeof v === 'string' && /^\d{1,32}$/.test(v),
  nonce_str: (v) => typeof v === 'string' && v.length <= 32,
  spbill_create_ip: (v) => typeof v === 'string' && net.isIP(v) !== 0,
  body: (v) => typeof v === 'string',
  env_id: (v) => typeof v === 'string',
  function_name: (v) => typeof v === 'string',
}

function positiveFen(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0
}

function missing(v: unknown): boolean {
  return v === undefined || v === null || v === ''
}

/** Whether the simulator checks this API's parameters. */
export function hasRules(apiName: string): boolean {
  return Object.prototype.hasOwnProperty.call(RULES, apiName)
}

/** WeChat's refusal text for this call, or null when its parameters are acceptable. */
export function paramRefusal(apiName: string, p: PayParams): string | null {
  const rules = hasRules(apiName) ? RULES[apiName] : undefined
  if (!rules) return null
  for (const key of rules.required) {
    if (!missing(p[key])) continue
    return key === 'sub_mch_id' ? '受理机构必须传入sub_mch_id' : `缺少参数 ${key}`
  }
  for (const group of rules.oneOf ?? []) {
    if (group.every((key) => missing(p[key]))) return `缺少参数 ${group.join('/')}`
  }
  for (const [key, ok] of Object.entries(FORMATS)) {
    if (!missing(p[key]) && !ok(p[key])) return `invalid ${key}`
  }
  return null
}
