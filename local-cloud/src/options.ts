import type { IncomingMessage, ServerResponse } from 'http'
import type { DatabaseLike } from './types'

/** The database schema shape (database/schema.ts): indexes per collection. */
export type SchemaLike = Record<string, { indexes: { name: string; keys: Record<string, 1 | -1 | '2dsphere'>; unique?: boolean }[] }>

export interface LocalCloudOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Default 8787. */
  port?: number
  /** Loopback only, by design: the local cloud never listens beyond this machine. */
  host?: '127.0.0.1'
  /** Persistent data folder (database in `db/`, pay orders and the open-API outbox as JSON). */
  dataDir: string
  /** Built functions: `<functionsDir>/<name>/index.js` (+ config.json). */
  functionsDir: string
  schema: SchemaLike
  /**
   * false: the database starts like a new cloud environment, with no collection until one is
   * created (db.createCollection, as the deployment's setup does); the schema's indexes apply
   * to a collection when it is created. Default true.
   */
  createSchemaCollections?: boolean
  /** Start from empty data. */
  reset?: boolean
  /** No server or function output (tests). */
  quiet?: boolean
  /** The mini program's appid seen as getWXContext().APPID. Default DEFAULT_APPID. */
  appid?: string
  /** Run timer triggers on their schedule. Default true; tests turn it off. */
  timers?: boolean
  /** Workers per function under concurrency; invocations queue beyond. Default 8. */
  maxWorkersPerFunction?: number
  /**
   * Delays (ms) before each scheduled redelivery of a pay or refund callback not answered
   * `{ errcode: 0 }`. Default DEFAULT_RETRY_DELAYS_MS: WeChat Pay's 15 intervals (15 s … 6 h)
   * 60 times faster. `[]` turns redelivery off; zeros run the whole schedule at once (tests).
   */
  payRetryDelaysMs?: readonly number[]
  /**
   * closeOrder refuses an order younger than this (WeChat Pay: 订单生成后不能马上调用关单接口，最短
   * 调用时间间隔为5分钟 — CLOSE_MIN_AGE_MS). Default 0 (off, so a test may close at once); the
   * app's reconciliation tests run with WeChat's 5 minutes and move the simulator's clock.
   */
  payCloseMinAgeMs?: number
  /** security.msgSecCheck flags content containing this word. Default DEFAULT_RISKY_WORD ('违禁词'). */
  riskyWord?: string
  /** The function 客服消息推送 goes to (消息推送 config; default 'member'). */
  servicePushFunction?: string
  /**
   * Each function's own environment variables, `{ admin: { OWNER_SETUP_KEY: '…' } }`, as set per
   * function in the console. A function sees only its own (and the runtime's), never the
   * server's environment. See function-env.ts for the file and flag forms.
   */
  functionEnv?: Record<string, Record<string, string>>
  /**
   * Browser origins allowed besides the server's own (`http://127.0.0.1:<port>`,
   * `http://localhost:<port>`). Never for /tcb. Default none.
   */
  allowOrigins?: string[]
  /** Opens the database instead of the embedded engine (for tests of the server alone). */
  openDatabase?: (opts: { dataDir: string; schema: SchemaLike; reset: boolean }) => Promise<DatabaseLike>
  /** Asked before a 404: answers true when it handled the request (the browser preview's pages). */
  fallback?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>
}

export const DEFAULT_PORT = 8787
export const DEFAULT_HOST = '127.0.0.1'
/** getWXContext().ENV and the SDK's env name. */
export const LOCAL_ENV_ID = 'local'
export const DEFAULT_APPID = 'wx0000000000000000'
export const DEFAULT_MAX_WORKERS = 8
