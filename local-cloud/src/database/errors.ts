/**
 * Error codes and messages the cloud database answers with. The SDK maps the string `code` to
 * its numeric errCode (see docs/cloud-protocol.md §1.5), so the spellings (including the cloud's
 * own typo `OPERRATOR`) must stay exactly as they are.
 */
import { textOf } from '../text'
export const DB_ERROR_CODES = {
  collectionNotExist: 'DATABASE_COLLECTION_NOT_EXIST',
  collectionAlreadyExist: 'DATABASE_COLLECTION_ALREADY_EXIST',
  requestFailed: 'DATABASE_REQUEST_FAILED',
  invalidOperator: 'DATABASE_INVALID_OPERRATOR',
  invalidParam: 'INVALID_PARAM',
  transactionConflict: 'DATABASE_TRANSACTION_CONFLICT',
  transactionFail: 'DATABASE_TRANSACTION_FAIL',
  systemError: 'SYS_ERR',
} as const

export type DbErrorCode = (typeof DB_ERROR_CODES)[keyof typeof DB_ERROR_CODES]

/** A failure that becomes a `{ requestId, code, message }` reply instead of a crash. */
export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'DbError'
  }
}

/** The real cloud's wording, as users report it (docs/cloud-protocol.md §1.5). */
export const COLLECTION_NOT_EXIST_MESSAGE =
  '[ResourceNotFound] Db or Table not exist. Please check your request, but if the problem cannot be solved, contact us.'

export function collectionNotExist(): DbError {
  return new DbError(DB_ERROR_CODES.collectionNotExist, COLLECTION_NOT_EXIST_MESSAGE)
}

export function collectionAlreadyExist(name: string): DbError {
  return new DbError(
    DB_ERROR_CODES.collectionAlreadyExist,
    `[ResourceInUse] Table already exists: ${name}. Please check your request, but if the problem cannot be solved, contact us.`,
  )
}

export function invalidParam(message: string): DbError {
  return new DbError(DB_ERROR_CODES.invalidParam, `[InvalidParameter] ${message}`)
}

export function invalidOperator(message: string): DbError {
  return new DbError(DB_ERROR_CODES.invalidOperator, `[InvalidParameter] ${message}`)
}

/** MongoDB's E11000 text, which the cloud forwards under DATABASE_REQUEST_FAILED (docs/cloud-protocol.md §3.2). */
export function duplicateKey(env: string, collection: string, indexName: string, fields: Record<string, unknown>): DbError {
  const shown = Object.entries(fields)
    .map(([k, v]) => `${k}: ${formatDupValue(v)}`)
    .join(', ')
  return new DbError(
    DB_ERROR_CODES.requestFailed,
    `[FailedOperation] E11000 duplicate key error collection: ${env}.${collection} index: ${indexName} dup key: { ${shown} }`,
  )
}

function formatDupValue(v: unknown): string {
  if (v instanceof Date) return `new Date(${v.getTime()})`
  if (typeof v === 'string') return JSON.stringify(v)
  if (v === undefined) return 'null'
  try {
    return JSON.stringify(v) ?? textOf(v)
  } catch {
    return textOf(v)
  }
}

/** What the cloud's transactions refuse (guide/database/transaction: 事务中不支持批量操作). */
export function batchInTransaction(what: string, inferred: boolean): DbError {
  const how = inferred
    ? '（这次调用有事务尚未结束：SDK 发出这类请求时不带事务 ID，云端会在事务之外执行它，本地云因此拒绝）'
    : ''
  return new DbError(
    DB_ERROR_CODES.invalidParam,
    `[InvalidParameter] 事务中不支持批量操作（${what}）：事务内只支持单记录操作 collection.doc().get/update/set/remove 和 collection.add${how}`,
  )
}

/** A write to a document another open transaction holds (事务锁: 其他事务的写入会直接失败). */
export function writeConflict(collection: string, id: unknown, why: string): DbError {
  return new DbError(DB_ERROR_CODES.transactionConflict, `[TransactionConflict] write conflict on ${collection}/${String(id)}: ${why}`)
}

/** A write outside any transaction that waited for a transaction's lock until the wait timed out. */
export function lockWaitTimeout(collection: string, id: unknown, ms: number): DbError {
  return new DbError(
    DB_ERROR_CODES.transactionConflict,
    `[LockTimeout] ${collection}/${String(id)} is locked by an open transaction; gave up after waiting ${ms} ms`,
  )
}

/**
 * Thrown by a write outside any transaction that touches a locked document: the engine queues
 * the request and runs it again once a transaction ends (普通的更新操作会被阻塞，直到事务锁释放或者超时).
 */
export class LockWait extends Error {
  constructor(
    readonly collection: string,
    readonly id: unknown,
  ) {
    super(`waiting for the transaction lock on ${collection}/${String(id)}`)
    this.name = 'LockWait'
  }
}

/** Turns anything thrown while handling a request into a DbError (never lets it escape). */
export function toDbError(err: unknown): DbError {
  if (err instanceof DbError) return err
  if (err instanceof LockWait) return lockWaitTimeout(err.collection, err.id, 0)
  const message = err instanceof Error ? err.message : String(err)
  // mingo's messages for unknown/invalid operators; everything else is a request failure.
  if (/operator|unregistered|\$where|scriptEnabled/i.test(message)) return invalidOperator(message)
  return new DbError(DB_ERROR_CODES.requestFailed, `[FailedOperation] ${message}`)
}
