import { BSONRegExp, EJSON } from 'bson'
import { invalidParam } from './errors'

/**
 * EJSON in both directions. Requests carry canonical EJSON strings (docs/cloud-protocol.md §2.1); we parse them
 * relaxed (plain numbers, Dates) and then turn the two values mingo cannot use as they are into
 * JS ones: BSONRegExp → RegExp, and the cloud's `{$tcb_server_date:{offset}}` → a Date on the
 * server's clock.
 */

export type Doc = Record<string, unknown>
/** Anything EJSON.stringify accepts (documents hold only such values). */
export type EjsonValue = Parameters<typeof EJSON.stringify>[0]

/** Parses one EJSON request field; `what` names it in the error message. */
export function parseEjson(input: unknown, what: string, now: number): unknown {
  let parsed: unknown
  if (typeof input === 'string') {
    try {
      parsed = EJSON.parse(input, { relaxed: true })
    } catch (err) {
      throw invalidParam(`${what} is not valid EJSON: ${err instanceof Error ? err.message : String(err)}`)
    }
  } else {
    // Some callers send plain JSON objects instead of strings; accept them the same way.
    try {
      parsed = EJSON.deserialize(input as Doc, { relaxed: true })
    } catch (err) {
      throw invalidParam(`${what} is not valid EJSON: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  return normalize(parsed, now)
}

/** Parses a field that must be an object (a query, an update, a document). */
export function parseEjsonObject(input: unknown, what: string, now: number): Doc {
  const value = parseEjson(input, what, now)
  if (!isPlainObject(value)) throw invalidParam(`${what} must be an object`)
  return value
}

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null
}

const JS_REGEX_FLAGS = new Set(['i', 'm', 's', 'u'])

function toJsRegExp(r: BSONRegExp): RegExp {
  // MongoDB's x/l flags have no JS equivalent; drop them rather than fail.
  const flags = [...new Set(r.options.split(''))].filter((f) => JS_REGEX_FLAGS.has(f)).join('')
  try {
    return new RegExp(r.pattern, flags)
  } catch (err) {
    throw invalidParam(`invalid regular expression /${r.pattern}/: ${err instanceof Error ? err.message : String(err)}`)
  }
}

function normalize(value: unknown, now: number): unknown {
  if (value === null || typeof value !== 'object') return value
  if (value instanceof BSONRegExp) return toJsRegExp(value)
  if (Array.isArray(value)) return value.map((v) => normalize(v, now))
  if (!isPlainObject(value)) return value // Date, RegExp, bson values
  const serverDate = value.$tcb_server_date
  if (serverDate !== undefined && Object.keys(value).length === 1) {
    const offset = isPlainObject(serverDate) && typeof serverDate.offset === 'number' ? serverDate.offset : 0
    return new Date(now + offset)
  }
  const out: Doc = {}
  for (const key of Object.keys(value)) out[key] = normalize(value[key], now)
  return out
}

/** One reply document: canonical EJSON text (`data.list` elements must be strings, §2.2). */
export function toReplyString(doc: unknown): string {
  return EJSON.stringify(doc as EjsonValue, { relaxed: false })
}

// ---- storage encoding -----------------------------------------------------------------------
// Stored documents are JSON with EJSON wrappers only where JSON cannot say it (Dates, RegExps,
// non-finite numbers, bson values). Hand-walked because EJSON.parse over 100k documents is
// several times slower than JSON.parse plus this walk, and start-up time matters.

export function encodeStored(value: unknown): unknown {
  if (value === null) return null
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      return Number.isFinite(value) ? value : { $numberDouble: String(value) }
    case 'undefined':
      return undefined
    case 'object':
      break
    default:
      return null
  }
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : encodeStored(v)))
  if (value instanceof Date) return { $date: { $numberLong: String(value.getTime()) } }
  if (value instanceof RegExp) return { $regularExpression: { pattern: value.source, options: value.flags } }
  if (!isPlainObject(value)) return EJSON.serialize(value, { relaxed: false })
  const out: Doc = {}
  for (const key of Object.keys(value)) {
    const v = value[key]
    if (v !== undefined) out[key] = encodeStored(v)
  }
  return out
}

export function decodeStored(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeStored(value[i])
    return value
  }
  const obj = value as Doc
  const keys = Object.keys(obj)
  if (keys.length > 0 && keys[0].charCodeAt(0) === 36 /* $ */) {
    // Fast path for the common wrapper (Dates); EJSON.deserialize goes through bson's Long.
    const date = obj.$date
    if (keys.length === 1 && isPlainObject(date) && typeof date.$numberLong === 'string') return new Date(Number(date.$numberLong))
    const v = EJSON.deserialize(obj, { relaxed: true }) as unknown
    return v instanceof BSONRegExp ? toJsRegExp(v) : v
  }
  // Decoded in place: the parsed JSON is ours and short-lived.
  for (const key of keys) obj[key] = decodeStored(obj[key])
  return obj
}
