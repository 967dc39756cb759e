import type { Database } from '../shared/cloud'
import { COLLECTIONS } from '../shared/collections'
import { AppError } from '../shared/errors'
import { getDoc, txGet, type Transaction } from './db-util'
import type { StoreDoc } from './documents'

/**
 * The one rule for taking money at a store, for a consumer's order (member.createOrder) and a
 * clerk's cashier sale (admin.cashier.capture, and a manager's approval of one) alike: the store
 * exists and is open. Each caller words the refusal for its reader (NOT_FOUND either way).
 */
export type StoreRefusal = 'MISSING' | 'CLOSED'

export function storeRefusal(store: StoreDoc | null): StoreRefusal | null {
  if (!store) return 'MISSING'
  if (store.status !== 'open') return 'CLOSED'
  return null
}

export interface StoreRefusalWords {
  missing: string
  closed: string
}

/** A consumer learns no more than that they cannot pay there. */
export const ORDER_STORE_WORDS: StoreRefusalWords = { missing: '门店不存在或已停止营业', closed: '门店不存在或已停止营业' }
/** Staff are told which. */
export const CASHIER_STORE_WORDS: StoreRefusalWords = { missing: '门店不存在', closed: '门店已停止营业，不能收银' }

export function assertOpen(store: StoreDoc | null, words: StoreRefusalWords): StoreDoc {
  const refusal = storeRefusal(store)
  if (refusal) throw new AppError('NOT_FOUND', refusal === 'MISSING' ? words.missing : words.closed)
  return store as StoreDoc
}

export async function requireOpenStore(db: Database, storeId: string, words: StoreRefusalWords): Promise<StoreDoc> {
  return assertOpen(await getDoc<StoreDoc>(db, COLLECTIONS.stores, storeId), words)
}

/** The same check inside a capture's transaction: a store closed a moment ago takes no sale. */
export async function requireOpenStoreIn(t: Transaction, storeId: string, words: StoreRefusalWords): Promise<StoreDoc> {
  return assertOpen(await txGet<StoreDoc>(t, COLLECTIONS.stores, storeId), words)
}
